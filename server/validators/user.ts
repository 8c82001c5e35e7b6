import vine from '@vinejs/vine'
import { ROLES } from '#models/user'
import { email, id, pageFields, password, sortField } from '#validators/common'

export const createUserValidator = vine.create({
  email: email(),
  fullName: vine.string().trim().maxLength(200).optional(),
  password: password(),
  role: vine.enum(ROLES).optional(),
  teamIds: vine.array(id()).maxLength(100).distinct().optional(),
})

export const updateUserValidator = vine.create({
  email: email().optional(),
  fullName: vine.string().trim().maxLength(200).nullable().optional(),
  password: password().optional(),
  role: vine.enum(ROLES).optional(),
  disabled: vine.boolean().optional(),
})

export const listUsersValidator = vine.create({
  ...pageFields,
  role: vine.enum(ROLES).optional(),
  teamId: id().optional(),
  q: vine.string().trim().maxLength(200).optional(),
  sort: sortField(['id', 'email', 'createdAt']).optional(),
})
