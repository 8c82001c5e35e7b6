import { useMemo } from 'react'
import { List } from '@refinedev/antd'
import { CanAccess, type HttpError } from '@refinedev/core'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Progress,
  Result,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tooltip,
  Typography,
} from 'antd'
import { DislikeOutlined, DownloadOutlined, LikeOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { useSearchParams } from 'react-router'
import type { paths } from '../../api/schema'
import type { Schemas } from '../../api/types'
import { api } from '../../providers/http'
import { useChannels, useTeams } from '../../lib/lookups'
import { fieldMessage } from '../../lib/form_errors'
import { TeamSelect } from '../../components/team_select'
import { count, money } from '../../lib/format'
import { downloadText, toCsv, type CsvColumn } from '../../lib/csv'

type UsageRow = Schemas['UsageRow']
type UsageResponse = paths['/api/v1/usage']['get']['responses'][200]['content']['application/json']
type GroupBy = UsageResponse['meta']['groupBy']
type Row = Required<Omit<UsageRow, 'key'>> & { key: string; label: string }

const GROUPS: { value: GroupBy; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'team', label: 'Team' },
  { value: 'channel', label: 'Channel' },
  { value: 'model', label: 'Model' },
]
const DAY = 'YYYY-MM-DD'
const MAX_DAYS = 366

/** The API's days are UTC calendar days. */
const utcToday = () => new Date().toISOString().slice(0, 10)
const utcMonthStart = () => `${utcToday().slice(0, 8)}01`

const PRESETS: { label: string; value: () => [Dayjs, Dayjs] }[] = [
  { label: 'This month', value: () => [dayjs(utcMonthStart()), dayjs(utcToday())] },
  {
    label: 'Last month',
    value: () => {
      const start = dayjs(utcMonthStart()).subtract(1, 'month')
      return [start, start.endOf('month').startOf('day')]
    },
  },
  { label: 'Last 7 days', value: () => [dayjs(utcToday()).subtract(6, 'day'), dayjs(utcToday())] },
  {
    label: 'Last 30 days',
    value: () => [dayjs(utcToday()).subtract(29, 'day'), dayjs(utcToday())],
  },
  {
    label: 'Last 90 days',
    value: () => [dayjs(utcToday()).subtract(89, 'day'), dayjs(utcToday())],
  },
  {
    label: 'This year',
    value: () => [dayjs(`${utcToday().slice(0, 4)}-01-01`), dayjs(utcToday())],
  },
]

const ZERO: Omit<Row, 'key' | 'label'> = {
  modelCalls: 0,
  failedCalls: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  costUsd: 0,
  retrievals: 0,
  answers: 0,
  handoffs: 0,
  votesUp: 0,
  votesDown: 0,
}

function fetchUsage(query: Record<string, string | number | undefined>) {
  return api<UsageResponse>('GET', '/usage', { query })
}

/** The assistant's model calls, tokens, cost and outcomes over a period, and each team's budget. */
export default function UsagePage() {
  return (
    <CanAccess
      resource="usage"
      action="list"
      fallback={
        <Result
          status="403"
          title="Not available"
          subTitle="Usage is for supervisors and admins."
        />
      }
    >
      <Usage />
    </CanAccess>
  )
}

function Usage() {
  const [params, setParams] = useSearchParams()
  const from = params.get('from') ?? utcMonthStart()
  const to = params.get('to') ?? utcToday()
  const groupBy = (
    GROUPS.some((g) => g.value === params.get('groupBy')) ? params.get('groupBy') : 'day'
  ) as GroupBy
  const teamId = Number(params.get('teamId')) || undefined

  const update = (change: Record<string, string | number | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current)
      for (const [key, value] of Object.entries(change)) {
        if (value === undefined || value === '') next.delete(key)
        else next.set(key, String(value))
      }
      return next
    })

  const { teams, nameOf } = useTeams()
  const { channels, channelById } = useChannels()
  const channelName = (id: unknown) => channelById.get(Number(id))?.name ?? `Channel #${id}`

  const usage = useQuery<UsageResponse, HttpError>({
    queryKey: ['usage', from, to, groupBy, teamId],
    queryFn: () => fetchUsage({ from, to, groupBy, teamId }),
    placeholderData: (previous) => previous,
    retry: false,
  })

  const labelOf = (key: unknown): string => {
    if (key === null || key === undefined) {
      return groupBy === 'channel' ? 'No channel' : groupBy === 'model' ? 'No model' : '—'
    }
    if (groupBy === 'team') return nameOf(Number(key))
    if (groupBy === 'channel') return channelName(key)
    if (groupBy === 'day') return dayjs(String(key)).format('D MMM')
    return String(key)
  }

  // Days without activity are shown as zeros, so the chart's time axis is even.
  const rows: Row[] = useMemo(() => {
    const body = usage.data
    if (!body) return []
    const given = body.data.map((r) => ({ ...ZERO, ...r, key: String(r.key ?? '') }))
    if (body.meta.groupBy !== 'day') {
      return given.map((r, i) => ({ ...r, label: labelOf(body.data[i].key) }))
    }
    const byDay = new Map(given.map((r) => [r.key, r]))
    const days: Row[] = []
    for (let d = dayjs(body.meta.from); !d.isAfter(dayjs(body.meta.to)); d = d.add(1, 'day')) {
      const key = d.format(DAY)
      days.push({ ...ZERO, ...byDay.get(key), key, label: d.format('D MMM') })
    }
    return days
    // Labels name teams and channels, which may arrive after the figures.
  }, [usage.data, teams, channels])

  const totals = { ...ZERO, ...usage.data?.meta.totals }
  const groupLabel = GROUPS.find((g) => g.value === groupBy)!.label
  const empty =
    usage.isSuccess &&
    totals.modelCalls + totals.retrievals + totals.answers + totals.handoffs === 0
  const periodError = fieldMessage(usage.error, 'from') ?? fieldMessage(usage.error, 'to')

  const columns: (CsvColumn<Row> & { key: keyof Row; money?: boolean })[] = [
    { key: 'label', title: groupLabel, value: (r) => (groupBy === 'day' ? r.key : r.label) },
    { key: 'modelCalls', title: 'Model calls', value: (r) => r.modelCalls },
    { key: 'failedCalls', title: 'Failed calls', value: (r) => r.failedCalls },
    { key: 'promptTokens', title: 'Prompt tokens', value: (r) => r.promptTokens },
    { key: 'completionTokens', title: 'Completion tokens', value: (r) => r.completionTokens },
    { key: 'totalTokens', title: 'Total tokens', value: (r) => r.totalTokens },
    { key: 'costUsd', title: 'Cost (USD)', value: (r) => r.costUsd, money: true },
    { key: 'retrievals', title: 'Retrievals', value: (r) => r.retrievals },
    { key: 'answers', title: 'Answers', value: (r) => r.answers },
    { key: 'handoffs', title: 'Handoffs', value: (r) => r.handoffs },
    { key: 'votesUp', title: 'Votes up', value: (r) => r.votesUp },
    { key: 'votesDown', title: 'Votes down', value: (r) => r.votesDown },
  ]

  const exportCsv = () => {
    const team = teamId ? `-${nameOf(teamId).replace(/[^\w-]+/g, '_')}` : ''
    downloadText(`usage-by-${groupBy}-${from}-to-${to}${team}.csv`, toCsv(rows, columns))
  }

  return (
    <List
      title="Usage"
      headerButtons={
        <Button
          icon={<DownloadOutlined />}
          onClick={exportCsv}
          disabled={!rows.length}
          data-testid="usage-export-csv"
        >
          Export CSV
        </Button>
      }
    >
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item
          label="Period"
          validateStatus={periodError ? 'error' : undefined}
          help={periodError}
          tooltip="Whole days in UTC, both included"
        >
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(from), dayjs(to)]}
            presets={PRESETS.map((p) => ({ label: p.label, value: p.value() }))}
            disabledDate={(day) => day.isAfter(dayjs(utcToday()), 'day')}
            onChange={(range) => {
              if (!range?.[0] || !range[1]) return
              let [start, end] = range
              // The API answers at most a year; keep the end and shorten the start.
              if (end.diff(start, 'day') >= MAX_DAYS) start = end.subtract(MAX_DAYS - 1, 'day')
              update({ from: start.format(DAY), to: end.format(DAY) })
            }}
            data-testid="usage-period"
            aria-label="Period"
          />
        </Form.Item>
        <Form.Item label="Group by">
          <Segmented
            options={GROUPS}
            value={groupBy}
            onChange={(value) => update({ groupBy: value === 'day' ? undefined : value })}
            data-testid="usage-group-by"
            aria-label="Group by"
          />
        </Form.Item>
        {teams.length > 1 && (
          <Form.Item label="Team">
            <TeamSelect
              allowClear
              placeholder="All teams"
              style={{ width: 200 }}
              value={teamId}
              onChange={(value) => update({ teamId: value })}
              aria-label="Team"
              data-testid="usage-team"
            />
          </Form.Item>
        )}
      </Form>

      {usage.isError && !periodError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={usage.error?.message ?? 'Usage could not be loaded.'}
          action={<Button onClick={() => usage.refetch()}>Retry</Button>}
        />
      )}

      <Totals totals={totals} loading={usage.isLoading} />

      {usage.isLoading ? (
        <Skeleton active style={{ marginTop: 24 }} />
      ) : (
        <>
          {empty && (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 16 }}
              message="Nothing in this period"
              description="The assistant made no model calls and answered nothing. Choose a longer period, or check that the assistant is enabled in the team's settings."
              data-testid="usage-empty"
            />
          )}
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}>
              <Card size="small" title="Tokens and cost" data-testid="usage-chart">
                <TokensChart rows={rows} byDay={groupBy === 'day'} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title="Calls and outcomes" data-testid="usage-outcomes-chart">
                <OutcomesChart rows={rows} byDay={groupBy === 'day'} />
              </Card>
            </Col>
          </Row>
          <Table<Row>
            style={{ marginTop: 16 }}
            size="small"
            rowKey="key"
            dataSource={rows}
            loading={usage.isFetching}
            data-testid="usage-table"
            scroll={{ x: 1400 }}
            pagination={rows.length > 31 ? { pageSize: 31, showSizeChanger: false } : false}
            locale={{ emptyText: () => <Empty description="No usage in this period." /> }}
            columns={columns.map((c) => ({
              key: c.key,
              dataIndex: c.key,
              title: c.title,
              fixed: c.key === 'label' ? ('left' as const) : undefined,
              width: c.key === 'label' ? 130 : Math.max(96, c.title.length * 8 + 28),
              onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }),
              align: c.key === 'label' ? ('left' as const) : ('right' as const),
              render: (value: unknown) =>
                c.key === 'label'
                  ? String(value)
                  : c.money
                    ? money(Number(value))
                    : count(Number(value)),
            }))}
            summary={() =>
              rows.length > 1 ? (
                <Table.Summary fixed>
                  <Table.Summary.Row>
                    {columns.map((c, i) => (
                      <Table.Summary.Cell key={c.key} index={i} align={i ? 'right' : 'left'}>
                        <Typography.Text strong>
                          {i === 0
                            ? 'Total'
                            : c.money
                              ? money(totals.costUsd)
                              : count(totals[c.key as keyof typeof ZERO])}
                        </Typography.Text>
                      </Table.Summary.Cell>
                    ))}
                  </Table.Summary.Row>
                </Table.Summary>
              ) : null
            }
          />
        </>
      )}

      <Budgets teamId={teamId} />
    </List>
  )
}

function Totals({ totals, loading }: { totals: typeof ZERO; loading: boolean }) {
  const items = [
    {
      title: 'Tokens',
      value: count(totals.totalTokens),
      hint: `${count(totals.promptTokens)} prompt, ${count(totals.completionTokens)} completion`,
    },
    { title: 'Cost', value: money(totals.costUsd), hint: 'Estimated from OPENAI_PRICE_* settings' },
    {
      title: 'Model calls',
      value: count(totals.modelCalls),
      hint: `${count(totals.failedCalls)} failed`,
    },
    {
      title: 'Answers',
      value: count(totals.answers),
      hint: `${count(totals.retrievals)} retrievals`,
    },
    {
      title: 'Handoffs',
      value: count(totals.handoffs),
      hint: 'Conversations the assistant passed to people',
    },
    {
      title: 'Votes',
      value: (
        <Space size={12}>
          <span aria-label="Votes up">
            <LikeOutlined /> {count(totals.votesUp)}
          </span>
          <span aria-label="Votes down">
            <DislikeOutlined /> {count(totals.votesDown)}
          </span>
        </Space>
      ),
      hint: 'Customers rating the answers',
    },
  ]
  return (
    <Row gutter={[16, 16]} data-testid="usage-totals">
      {items.map((item) => (
        <Col key={item.title} xs={12} md={8} xl={4}>
          <Card size="small">
            <Tooltip title={item.hint}>
              <Statistic title={item.title} valueRender={() => item.value} loading={loading} />
            </Tooltip>
          </Card>
        </Col>
      ))}
    </Row>
  )
}

const axisNumber = (value: number) =>
  value >= 1_000_000 ? `${value / 1_000_000}M` : value >= 1000 ? `${value / 1000}k` : String(value)

/**
 * A measure over days is a line; over teams, channels or models (no order
 * between them) a bar. Called as a function so recharts sees its own child.
 */
function series(
  byDay: boolean,
  props: { dataKey: keyof Row; name: string; color: string; yAxisId?: string }
) {
  const { color, ...rest } = props
  return byDay ? (
    <Line
      key={props.dataKey}
      isAnimationActive={false}
      stroke={color}
      dot={false}
      strokeWidth={2}
      {...rest}
    />
  ) : (
    <Bar key={props.dataKey} isAnimationActive={false} fill={color} {...rest} />
  )
}

function TokensChart({ rows, byDay }: { rows: Row[]; byDay: boolean }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="label"
          tick={{ fontSize: 12 }}
          interval="preserveStartEnd"
          minTickGap={12}
        />
        <YAxis yAxisId="tokens" tickFormatter={axisNumber} tick={{ fontSize: 12 }} width={48} />
        <YAxis
          yAxisId="cost"
          orientation="right"
          tickFormatter={(v: number) => `$${v}`}
          tick={{ fontSize: 12 }}
          width={56}
        />
        <ChartTooltip
          formatter={(value, name) =>
            name === 'Cost' ? money(Number(value)) : count(Number(value))
          }
        />
        <Legend />
        <Bar
          isAnimationActive={false}
          yAxisId="tokens"
          dataKey="promptTokens"
          name="Prompt tokens"
          stackId="t"
          fill="#3056d3"
        />
        <Bar
          isAnimationActive={false}
          yAxisId="tokens"
          dataKey="completionTokens"
          name="Completion tokens"
          stackId="t"
          fill="#8ea6f0"
        />
        {series(byDay, { yAxisId: 'cost', dataKey: 'costUsd', name: 'Cost', color: '#fa8c16' })}
      </ComposedChart>
    </ResponsiveContainer>
  )
}

function OutcomesChart({ rows, byDay }: { rows: Row[]; byDay: boolean }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="label"
          tick={{ fontSize: 12 }}
          interval="preserveStartEnd"
          minTickGap={12}
        />
        <YAxis
          allowDecimals={false}
          tickFormatter={axisNumber}
          tick={{ fontSize: 12 }}
          width={40}
        />
        <ChartTooltip formatter={(value) => count(Number(value))} />
        <Legend />
        <Bar
          isAnimationActive={false}
          dataKey="answers"
          name="Answers"
          stackId="o"
          fill="#52c41a"
        />
        <Bar
          isAnimationActive={false}
          dataKey="handoffs"
          name="Handoffs"
          stackId="o"
          fill="#faad14"
        />
        {series(byDay, { dataKey: 'modelCalls', name: 'Model calls', color: '#3056d3' })}
        {series(byDay, { dataKey: 'votesUp', name: 'Votes up', color: '#13c2c2' })}
        {series(byDay, { dataKey: 'votesDown', name: 'Votes down', color: '#f5222d' })}
      </ComposedChart>
    </ResponsiveContainer>
  )
}

/**
 * Each team's tokens this calendar month (UTC, the month the assistant
 * enforces the budget over) against its monthly token budget.
 */
function Budgets({ teamId }: { teamId?: number }) {
  const { teams, loading } = useTeams()
  const month = useQuery<UsageResponse, HttpError>({
    queryKey: ['usage', 'month-by-team', utcMonthStart(), teamId],
    queryFn: () => fetchUsage({ from: utcMonthStart(), to: utcToday(), groupBy: 'team', teamId }),
    retry: false,
  })
  const shown = teams.filter((t) => !teamId || t.id === teamId)
  const usedBy = new Map((month.data?.data ?? []).map((r) => [Number(r.key), r]))

  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={`Monthly token budgets · ${dayjs(utcMonthStart()).format('MMMM YYYY')}`}
      data-testid="usage-budgets"
    >
      {loading || month.isLoading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : month.isError ? (
        <Alert
          type="error"
          showIcon
          message={month.error?.message ?? 'Could not load this month.'}
        />
      ) : shown.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No teams." />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {shown.map((team) => {
            const used = usedBy.get(team.id!)
            const tokens = used?.totalTokens ?? 0
            const budget = team.settings?.assistant?.monthlyTokenBudget ?? null
            const percent = budget ? (tokens / budget) * 100 : 0
            return (
              <Row key={team.id} gutter={16} align="middle" data-testid={`usage-budget-${team.id}`}>
                <Col flex="200px">
                  <Typography.Text strong>{team.name}</Typography.Text>
                </Col>
                <Col flex="auto">
                  {budget === null ? (
                    <Typography.Text type="secondary">
                      No budget: the assistant is not limited. {count(tokens)} tokens used (
                      {money(used?.costUsd ?? 0)}). Set one in the team's assistant settings.
                    </Typography.Text>
                  ) : (
                    <>
                      <Progress
                        percent={Math.min(100, Math.round(percent * 10) / 10)}
                        status={percent >= 100 ? 'exception' : 'normal'}
                        strokeColor={
                          percent >= 100 ? undefined : percent >= 80 ? '#faad14' : undefined
                        }
                        format={() => `${Math.round(percent)}%`}
                        aria-label={`${team.name}: ${Math.round(percent)}% of the monthly budget`}
                      />
                      <Typography.Text type={percent >= 100 ? 'danger' : 'secondary'}>
                        {count(tokens)} of {count(budget)} tokens · {money(used?.costUsd ?? 0)}
                        {percent >= 100 && ' · spent: the assistant hands every question to people'}
                      </Typography.Text>
                    </>
                  )}
                </Col>
              </Row>
            )
          })}
        </Space>
      )}
    </Card>
  )
}
