import { useState } from 'react'
import { Typography } from 'antd'
import type { Series } from './types'

type Cell = Series['busiestHours'][number]

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
const pad = (hour: number) => String(hour).padStart(2, '0')

/** Light blue to the panel's primary colour, by the cell's share of the busiest hour. */
function shade(count: number, max: number): string {
  if (!count || !max) return '#f5f5f5'
  const t = 0.15 + 0.85 * (count / max)
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t)
  return `rgb(${mix(232, 48)}, ${mix(238, 86)}, ${mix(255, 211)})`
}

function describe(cell: Cell): string {
  const what = cell.count === 1 ? 'customer message' : 'customer messages'
  return `${WEEKDAYS[cell.weekday]} ${pad(cell.hour)}:00–${pad((cell.hour + 1) % 24)}:00 · ${cell.count} ${what}`
}

/**
 * Customer messages by weekday and hour: a CSS grid of 7 × 24 shaded cells.
 * Hovering (or tapping) a cell names it under the grid, which works on
 * phones too and costs no popup per cell.
 */
export function Heatmap({ cells }: { cells: Cell[] }) {
  const [active, setActive] = useState<Cell | null>(null)
  const busiest = cells.reduce<Cell | null>(
    (top, c) => (c.count > (top?.count ?? 0) ? c : top),
    null
  )
  const max = busiest?.count ?? 0
  const byKey = new Map(cells.map((c) => [c.weekday * 24 + c.hour, c]))
  return (
    <div onMouseLeave={() => setActive(null)}>
      <div
        role="group"
        aria-label="Customer messages by weekday and hour"
        style={{
          display: 'grid',
          gridTemplateColumns: '32px repeat(24, minmax(0, 1fr))',
          gap: 2,
          fontSize: 11,
        }}
      >
        <span />
        {Array.from({ length: 24 }, (_, hour) => (
          <span key={hour} style={{ textAlign: 'center', color: '#8c8c8c' }}>
            {hour % 3 === 0 ? pad(hour) : ''}
          </span>
        ))}
        {WEEKDAYS.map((name, weekday) => (
          <div key={name} style={{ display: 'contents' }}>
            <span style={{ color: '#8c8c8c', lineHeight: '20px' }}>{name}</span>
            {Array.from({ length: 24 }, (_, hour) => {
              const cell = byKey.get(weekday * 24 + hour) ?? { weekday, hour, count: 0 }
              const selected = active?.weekday === weekday && active.hour === hour
              return (
                <div
                  key={hour}
                  role="img"
                  aria-label={describe(cell)}
                  title={describe(cell)}
                  onMouseEnter={() => setActive(cell)}
                  onClick={() => setActive(cell)}
                  style={{
                    height: 20,
                    borderRadius: 3,
                    background: shade(cell.count, max),
                    outline: selected ? '2px solid #1f1f1f' : undefined,
                    cursor: 'default',
                  }}
                />
              )
            })}
          </div>
        ))}
      </div>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
        {active
          ? describe(active)
          : busiest
            ? `Busiest: ${describe(busiest)}`
            : 'No customer messages in this period.'}
      </Typography.Text>
    </div>
  )
}
