/*
| A team's business hours: a weekly calendar in its own timezone, with
| holidays. `{timezone: "Europe/Berlin", weekly: {mon: ["09:00-17:30"], ...},
| holidays: ["2026-12-25"]}`. A team without a calendar is always open, so
| an after-hours rule stays quiet until someone sets hours.
*/
import { DateTime } from 'luxon'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export interface BusinessHours {
  timezone: string
  weekly: Partial<Record<(typeof WEEKDAYS)[number], string[]>>
  holidays?: string[]
}

export const SPAN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/

function minutesOf(hhmm: string) {
  const [h, m] = hhmm.split(':').map(Number)
  return h * 60 + m
}

/** True when `at` falls inside the calendar's hours (and is not a holiday). */
export function isOpen(calendar: BusinessHours | undefined | null, at: DateTime): boolean {
  if (!calendar) return true
  const local = at.setZone(calendar.timezone)
  if (!local.isValid) return true
  if (calendar.holidays?.includes(local.toISODate()!)) return false
  const day = WEEKDAYS[local.weekday - 1]
  const now = local.hour * 60 + local.minute
  return (calendar.weekly[day] ?? []).some((span) => {
    const [from, to] = span.split('-')
    return now >= minutesOf(from) && now < minutesOf(to)
  })
}

/** A zone name luxon (and so the ICU data) knows. */
export function validZone(zone: string) {
  return DateTime.now().setZone(zone).isValid
}
