import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { compact, money, shortDay } from '../../lib/format'
import { channelName, perDayByChannel } from './report'
import type { Series } from './types'

const HEIGHT = 260
const PRIMARY = '#3056d3'
const PALETTE = [PRIMARY, '#13c2c2', '#faad14', '#eb2f96', '#52c41a', '#722ed1', '#fa541c']
const NO_CHANNEL = '#bfbfbf'

const axis = { fontSize: 12, fill: '#8c8c8c' }
const dayAxis = (
  <XAxis dataKey="day" tickFormatter={shortDay} tick={axis} minTickGap={16} tickLine={false} />
)
const grid = <CartesianGrid strokeDasharray="3 3" vertical={false} />
const dayLabel = (label: unknown) => shortDay(String(label))

/** New conversations per day, stacked by the channel they came in on. */
export function ConversationsChart({ rows }: { rows: Series['conversationsPerDay'] }) {
  const { channels, data } = perDayByChannel(rows)
  let colour = 0
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={data} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        {grid}
        {dayAxis}
        <YAxis allowDecimals={false} tick={axis} tickLine={false} axisLine={false} />
        <Tooltip labelFormatter={dayLabel} cursor={{ fill: 'rgba(0,0,0,0.04)' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {channels.map((channel) => (
          <Bar
            key={channel}
            dataKey={channel}
            name={channelName(channel)}
            stackId="channels"
            fill={channel === 'none' ? NO_CHANNEL : PALETTE[colour++ % PALETTE.length]}
            maxBarSize={32}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  )
}

/** Hand-offs from the assistant to people per day. */
export function HandoffsChart({ rows }: { rows: Series['handoffsPerDay'] }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={rows} margin={{ top: 8, right: 8, left: -16, bottom: 0 }}>
        {grid}
        {dayAxis}
        <YAxis allowDecimals={false} tick={axis} tickLine={false} axisLine={false} />
        <Tooltip labelFormatter={dayLabel} />
        <Line
          type="monotone"
          dataKey="count"
          name="Hand-offs"
          stroke={PRIMARY}
          strokeWidth={2}
          dot={rows.length <= 31}
        />
      </LineChart>
    </ResponsiveContainer>
  )
}

/** Model tokens (bars, left axis) and their cost (line, right axis) per day. */
export function TokensChart({ rows }: { rows: Series['tokensPerDay'] }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <ComposedChart data={rows} margin={{ top: 8, right: 0, left: -8, bottom: 0 }}>
        {grid}
        {dayAxis}
        <YAxis
          yAxisId="tokens"
          tickFormatter={(v: number) => compact(v)}
          tick={axis}
          tickLine={false}
          axisLine={false}
        />
        <YAxis
          yAxisId="cost"
          orientation="right"
          tickFormatter={(v: number) => `$${v < 1 ? Number(v.toPrecision(2)) : Math.round(v)}`}
          tick={axis}
          tickLine={false}
          axisLine={false}
        />
        <Tooltip
          labelFormatter={dayLabel}
          formatter={(value, name) =>
            name === 'Cost' ? money(Number(value)) : compact(Number(value))
          }
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="tokens" dataKey="tokens" name="Tokens" fill="#adc6ff" maxBarSize={32} />
        <Line
          yAxisId="cost"
          type="monotone"
          dataKey="cost"
          name="Cost"
          stroke="#fa541c"
          strokeWidth={2}
          dot={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  )
}
