import vine from '@vinejs/vine'
import { id, pageFields, sortField } from '#validators/common'
import { channelPlatforms } from '#channels/registry'

// Each platform checks its own config (ChannelFactory.prepare); here it is any object.
const config = () => vine.object({}).allowUnknownProperties()

export const createChannelValidator = vine.create({
  platform: vine.enum(() => channelPlatforms()),
  name: vine.string().trim().minLength(1).maxLength(100),
  teamId: id(),
  config: config(),
})

export const updateChannelValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100).optional(),
  config: config().optional(),
})

export const listChannelsValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  platform: vine.string().maxLength(32).optional(),
  sort: sortField(['name', 'id', 'createdAt']).optional(),
})
