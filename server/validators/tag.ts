import vine from '@vinejs/vine'
import { id, pageFields, sortField, tagName } from '#validators/common'

export const createTagValidator = vine.create({
  teamId: id(),
  name: tagName(),
  color: vine
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
})

export const updateTagValidator = vine.create({
  name: tagName().optional(),
  color: vine
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .nullable()
    .optional(),
})

export const listTagsValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  sort: sortField(['name', 'id']).optional(),
})
