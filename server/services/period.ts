/*
| Reporting periods of whole days: `from` and `to` name calendar days, both
| included, read in a time zone (UTC unless the caller names one). Usage and
| the dashboard reports share this so both answer the same way.
*/
import { DateTime } from 'luxon'
import clock from '#services/clock'
import { invalidField } from '#services/team_scope'

export const MAX_PERIOD_DAYS = 366

export interface DayPeriod {
  /** The first day's midnight in `zone`. */
  from: DateTime
  /** Midnight after the last day: the period is [from, to). */
  to: DateTime
  zone: string
}

/**
 * The calendar day a validated date names. VineJS parses `YYYY-MM-DD` as
 * midnight of the server's own zone, so the day is read back from the local
 * fields rather than from the instant (which a non-UTC server would shift).
 */
function calendarDay(date: Date, zone: string): DateTime {
  return DateTime.fromObject(
    { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() },
    { zone }
  )
}

/**
 * The period [from, to) for optional `from`/`to` days. Without `to` it ends
 * with today; without `from` it starts where `defaultFrom` says, given
 * today's midnight. `to` before `from` is a 422 naming `to`; more than
 * MAX_PERIOD_DAYS days a 422 naming `from`.
 */
export function dayPeriod(
  params: { from?: Date; to?: Date },
  options: { zone?: string; defaultFrom: (today: DateTime) => DateTime }
): DayPeriod {
  const zone = options.zone ?? 'UTC'
  const today = clock.now().setZone(zone).startOf('day')
  const from = params.from ? calendarDay(params.from, zone) : options.defaultFrom(today)
  const to = (params.to ? calendarDay(params.to, zone) : today).plus({ days: 1 })
  if (to <= from) throw invalidField('to', 'afterOrEqual', '`to` must not be before `from`')
  if (to.diff(from, 'days').days > MAX_PERIOD_DAYS) {
    throw invalidField('from', 'range', `The period may span at most ${MAX_PERIOD_DAYS} days`)
  }
  return { from, to, zone }
}

/** The period's days as `YYYY-MM-DD`, first to last. */
export function periodDays(period: DayPeriod): string[] {
  const days: string[] = []
  for (let day = period.from; day < period.to; day = day.plus({ days: 1 })) {
    days.push(day.toISODate()!)
  }
  return days
}
