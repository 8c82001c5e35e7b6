import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'

dayjs.extend(relativeTime)

/** Dates in the browser's own time zone: "6 Dec 2026, 21:42". */
export function dateTime(value: string | Date | null | undefined): string {
  if (!value) return '—'
  return dayjs(value).format('D MMM YYYY, HH:mm')
}

export function date(value: string | Date | null | undefined): string {
  if (!value) return '—'
  return dayjs(value).format('D MMM YYYY')
}

/** "3 minutes ago", with the exact time left to a tooltip by the caller. */
export function ago(value: string | Date | null | undefined): string {
  if (!value) return '—'
  return dayjs(value).fromNow()
}

/** Seconds as "1 h 5 min", "42 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  if (seconds < 60) return `${Math.round(seconds)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  const h = Math.floor(seconds / 3600)
  const m = Math.round((seconds % 3600) / 60)
  return m ? `${h} h ${m} min` : `${h} h`
}

export function money(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—'
  return `$${value.toFixed(value < 1 ? 4 : 2)}`
}

/** The browser's IANA time zone, for the API's `tz` parameters. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone

/** A calendar day from a report ("2026-11-30") as "30 Nov"; dayjs reads it as local midnight. */
export function shortDay(day: string): string {
  return dayjs(day).format('D MMM')
}

/** A share between 0 and 1 as "46%". */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—'
  return `${Math.round(share * 100)}%`
}

const compactFormat = new Intl.NumberFormat(undefined, {
  notation: 'compact',
  maximumFractionDigits: 1,
})

/** Large counts as "1.2M", "35K". */
export function compact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return compactFormat.format(value)
}

/** Bytes as "812 B", "14.2 KB", "3.1 MB". */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  if (value < 1024) return `${value} B`
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`
  return `${(value / 1024 / 1024).toFixed(1)} MB`
}

/** Whole numbers with thousands separators: 1,234,567. */
export function count(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return Math.round(value).toLocaleString('en-US')
}
