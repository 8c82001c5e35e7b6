import vine from '@vinejs/vine'
import { id, pageFields, sortField } from '#validators/common'

const settings = vine
  .object({
    welcomeText: vine.string().maxLength(4000).optional(),
    autoReplyText: vine.string().maxLength(4000).optional(),
    helpText: vine.string().maxLength(4000).optional(),
  })
  .allowUnknownProperties()

export const createTeamValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  description: vine.string().trim().maxLength(2000).optional(),
  settings: settings.optional(),
})

export const updateTeamValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100).optional(),
  description: vine.string().trim().maxLength(2000).nullable().optional(),
  settings: settings.optional(),
})

export const listTeamsValidator = vine.create({
  ...pageFields,
  q: vine.string().trim().maxLength(200).optional(),
  sort: sortField(['id', 'name', 'createdAt']).optional(),
})

export const addMemberValidator = vine.create({
  userId: id(),
})
