import vine from '@vinejs/vine'
import { id } from '#validators/common'

const day = () => vine.date({ formats: ['YYYY-MM-DD', 'x'] })

export const usageValidator = vine.create({
  from: day().optional(),
  to: day().optional(),
  groupBy: vine.enum(['day', 'team', 'channel', 'model'] as const).optional(),
  teamId: id().optional(),
})
