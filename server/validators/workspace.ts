import vine from '@vinejs/vine'
import { id, pageFields, sortField, tagName } from '#validators/common'

// Each platform checks its own config (WorkspaceFactory.prepare); here it is any object.
const config = () => vine.object({}).allowUnknownProperties()

const routing = () =>
  vine.object({
    conversations: vine.enum(['handoff', 'all'] as const),
    channelIds: vine.array(id()).maxLength(100).distinct().optional(),
    tags: vine.array(tagName()).maxLength(50).distinct().optional(),
  })

export const createWorkspaceValidator = vine.create({
  platform: vine.enum(['slack', 'telegram'] as const),
  name: vine.string().trim().minLength(1).maxLength(100),
  teamId: id(),
  config: config(),
  routing: routing().optional(),
  enabled: vine.boolean().optional(),
})

export const updateWorkspaceValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100).optional(),
  config: config().optional(),
  routing: routing().optional(),
  enabled: vine.boolean().optional(),
})

export const listWorkspacesValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  platform: vine.enum(['slack', 'telegram'] as const).optional(),
  sort: sortField(['name', 'id', 'createdAt']).optional(),
})

export const createOperatorIdentityValidator = vine.create({
  userId: id(),
  platform: vine.enum(['slack', 'telegram'] as const),
  // Slack: <team id>:<user id>; Telegram: the numeric user id.
  externalId: vine
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_-]{1,255}$/),
  displayName: vine.string().trim().maxLength(200).optional(),
})

export const listOperatorIdentitiesValidator = vine.create({
  ...pageFields,
  userId: id().optional(),
  platform: vine.enum(['slack', 'telegram'] as const).optional(),
})
