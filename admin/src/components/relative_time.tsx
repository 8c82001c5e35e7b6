import { useEffect, useState } from 'react'
import { Tooltip } from 'antd'
import { ago, dateTime } from '../lib/format'

/** "3 minutes ago", the exact time in a tooltip; re-reads the clock every minute. */
export function RelativeTime({ value }: { value: string | Date | null | undefined }) {
  const [, tick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 60_000)
    return () => clearInterval(timer)
  }, [])
  if (!value) return <span>—</span>
  return (
    <Tooltip title={dateTime(value)}>
      <time dateTime={new Date(value).toISOString()}>{ago(value)}</time>
    </Tooltip>
  )
}
