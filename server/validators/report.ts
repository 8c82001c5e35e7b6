import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { IANAZone } from 'luxon'
import { id } from '#validators/common'

/** Area/Location names only: no offsets or `local`, which PostgreSQL would read differently. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/

const ianaZone = vine.createRule((value: unknown, _: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  if (!ZONE_NAME.test(value) || !IANAZone.isValidZone(value)) {
    field.report(
      'The {{ field }} field must be an IANA time zone, like Europe/Berlin',
      'timezone',
      field
    )
  }
})

const day = () => vine.date({ formats: ['YYYY-MM-DD'] })

/** The dashboard reports: whole days from `from` to `to`, read in `tz`. */
export const reportValidator = vine.create({
  from: day().optional(),
  to: day().optional(),
  teamId: id().optional(),
  tz: vine.string().trim().maxLength(64).use(ianaZone()).optional(),
})
