import vine from '@vinejs/vine'
import { id, pageFields } from '#validators/common'

export const listAuditLogsValidator = vine.create({
  ...pageFields,
  action: vine.string().trim().maxLength(64).optional(),
  actorId: id().optional(),
  subjectType: vine.string().trim().maxLength(32).optional(),
  subjectId: vine.string().trim().maxLength(64).optional(),
})
