/*
| The dashboard's period and team selection (kept in the address so a reload
| or a shared link shows the same report) and the shaping of the overview's
| series for the charts. No React and no imports from the panel, so the
| unit tests load it directly; the series are typed by shape (the generated
| types are in ./types.ts).
*/
import dayjs from 'dayjs'

export type Preset = '7' | '30' | '90' | 'custom'

export const PRESETS: { value: Preset; label: string }[] = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'custom', label: 'Custom' },
]

/** The API accepts at most this many days. */
export const MAX_DAYS = 366

const DAY = /^\d{4}-\d{2}-\d{2}$/

export interface Selection {
  preset: Preset
  /** Whole days, both included, in the browser's zone. */
  from: string
  to: string
  /** undefined: all the teams the user may see. */
  teamId?: number
}

/** The selection the address describes; the last 30 days for anything it does not. */
export function readSelection(params: URLSearchParams, today = dayjs()): Selection {
  const teamId = Number(params.get('teamId'))
  const team = Number.isInteger(teamId) && teamId > 0 ? teamId : undefined
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  if (
    params.get('period') === 'custom' &&
    DAY.test(from) &&
    DAY.test(to) &&
    from <= to &&
    dayjs(to).diff(dayjs(from), 'day') < MAX_DAYS
  ) {
    return { preset: 'custom', from, to, teamId: team }
  }
  const preset = (['7', '30', '90'] as const).find((p) => p === params.get('period')) ?? '30'
  return { preset, ...lastDays(Number(preset), today), teamId: team }
}

/** The address for a selection: presets stay relative, so a bookmark keeps rolling. */
export function writeSelection(selection: Selection): URLSearchParams {
  const params = new URLSearchParams({ period: selection.preset })
  if (selection.preset === 'custom') {
    params.set('from', selection.from)
    params.set('to', selection.to)
  }
  if (selection.teamId) params.set('teamId', String(selection.teamId))
  return params
}

/** The last `days` days, today included. */
export function lastDays(days: number, today = dayjs()): { from: string; to: string } {
  return {
    from: today.subtract(days - 1, 'day').format('YYYY-MM-DD'),
    to: today.format('YYYY-MM-DD'),
  }
}

/** The query both report endpoints take. */
export type ReportQuery = { from: string; to: string; tz: string; teamId?: number }

export function reportQuery(selection: Selection, tz: string): ReportQuery {
  const query: ReportQuery = { from: selection.from, to: selection.to, tz }
  if (selection.teamId) query.teamId = selection.teamId
  return query
}

/** A plain GET the browser downloads itself: the session cookie authenticates it. */
export function csvUrl(selection: Selection, tz: string): string {
  const query = new URLSearchParams(
    Object.entries(reportQuery(selection, tz)).map(([k, v]): [string, string] => [k, String(v)])
  )
  return `/api/v1/reports/conversations.csv?${query}`
}

/* ------------------------------------------------------------------------ */

const CHANNEL_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  slack: 'Slack',
  discord: 'Discord',
  whatsapp: 'WhatsApp',
  api: 'API',
  none: 'No channel',
}

export function channelName(platform: string): string {
  return CHANNEL_NAMES[platform] ?? platform.charAt(0).toUpperCase() + platform.slice(1)
}

/** One row per day with a count per channel, for stacked bars; channels by total, largest first. */
export function perDayByChannel(
  rows: ReadonlyArray<{ day: string; channel: string; count: number }>
): {
  channels: string[]
  data: Array<Record<string, string | number>>
} {
  const totals = new Map<string, number>()
  const days = new Map<string, Record<string, string | number>>()
  for (const { day, channel, count } of rows) {
    totals.set(channel, (totals.get(channel) ?? 0) + count)
    let row = days.get(day)
    if (!row) days.set(day, (row = { day }))
    row[channel] = count
  }
  const channels = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c)
  return { channels, data: [...days.values()] }
}

/** Nothing happened in the period: no conversation started, nobody wrote. */
export function isEmpty(overview: {
  kpis: { createdInPeriod: number; resolvedInPeriod: number }
  series: { busiestHours: ReadonlyArray<{ count: number }> }
}): boolean {
  return (
    overview.kpis.createdInPeriod === 0 &&
    overview.kpis.resolvedInPeriod === 0 &&
    overview.series.busiestHours.every((c) => c.count === 0)
  )
}
