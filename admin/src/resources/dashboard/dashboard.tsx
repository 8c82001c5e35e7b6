import type { ReactNode } from 'react'
import { useCan, useCustom } from '@refinedev/core'
import { Alert, Button, Card, Col, DatePicker, Empty, Flex, Row, Select, Typography } from 'antd'
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import { Link, useSearchParams } from 'react-router'
import dayjs, { type Dayjs } from 'dayjs'
import { browserTimeZone, date } from '../../lib/format'
import { TeamSelect } from '../../components/team_select'
import { ConversationsChart, HandoffsChart, TokensChart } from './charts'
import { Heatmap } from './heatmap'
import { KpiCards } from './kpis'
import {
  csvUrl,
  isEmpty,
  MAX_DAYS,
  PRESETS,
  readSelection,
  reportQuery,
  writeSelection,
  type Preset,
  type Selection,
} from './report'
import type { OverviewBody } from './types'

function ChartCard({
  name,
  title,
  loading,
  children,
}: {
  name: string
  title: string
  loading: boolean
  children: ReactNode
}) {
  return (
    <Col xs={24} xl={12}>
      <Card size="small" title={title} data-testid={`chart-${name}`} loading={loading}>
        {children}
      </Card>
    </Col>
  )
}

function Toolbar({
  selection,
  onChange,
}: {
  selection: Selection
  onChange: (next: Selection) => void
}) {
  const today = dayjs()
  const setPreset = (preset: Preset) => {
    if (preset === 'custom') onChange({ ...selection, preset })
    else
      onChange({
        ...readSelection(new URLSearchParams({ period: preset })),
        teamId: selection.teamId,
      })
  }
  return (
    <Flex wrap gap={8} align="center">
      <Select
        aria-label="Period"
        data-testid="period"
        value={selection.preset}
        onChange={setPreset}
        options={PRESETS}
        style={{ width: 140 }}
      />
      {selection.preset === 'custom' ? (
        <DatePicker.RangePicker
          aria-label="Custom period"
          allowClear={false}
          value={[dayjs(selection.from), dayjs(selection.to)]}
          disabledDate={(day: Dayjs, info) =>
            day.isAfter(today, 'day') ||
            (!!info?.from && Math.abs(day.diff(info.from, 'day')) >= MAX_DAYS)
          }
          onChange={(range) => {
            const [from, to] = range ?? []
            if (from && to) {
              onChange({
                ...selection,
                from: from.format('YYYY-MM-DD'),
                to: to.format('YYYY-MM-DD'),
              })
            }
          }}
          style={{ width: 240 }}
        />
      ) : null}
      <TeamSelect
        aria-label="Team"
        data-testid="team"
        allowClear
        placeholder="All my teams"
        value={selection.teamId}
        onChange={(teamId?: number) => onChange({ ...selection, teamId: teamId || undefined })}
        style={{ width: 180 }}
      />
      <Button
        icon={<DownloadOutlined />}
        href={csvUrl(selection, browserTimeZone)}
        data-testid="download-csv"
      >
        Download CSV
      </Button>
    </Flex>
  )
}

export default function Dashboard() {
  const [params, setParams] = useSearchParams()
  const selection = readSelection(params)
  const { query, result } = useCustom<OverviewBody>({
    url: '/reports/overview',
    method: 'get',
    config: { query: reportQuery(selection, browserTimeZone) },
    queryOptions: {
      // Keep the last report on screen while the next period loads; refresh the
      // "right now" numbers (open, waiting) every minute.
      placeholderData: (previous) => previous,
      refetchInterval: 60_000,
    },
    errorNotification: false,
  })
  const channels = useCan({ resource: 'channels', action: 'list' })
  const body = result.data as OverviewBody | undefined
  const report = body?.data
  const loading = query.isLoading

  return (
    <Flex vertical gap={16} data-testid="dashboard">
      <Flex wrap gap={12} justify="space-between" align="center">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            Dashboard
          </Typography.Title>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {date(selection.from)} – {date(selection.to)} · days and hours in {browserTimeZone}
          </Typography.Text>
        </div>
        <Toolbar selection={selection} onChange={(next) => setParams(writeSelection(next))} />
      </Flex>

      {query.isError ? (
        <Alert
          type="error"
          showIcon
          message="The report could not be loaded."
          description={query.error?.message}
          action={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => query.refetch()}>
              Retry
            </Button>
          }
        />
      ) : null}

      <KpiCards kpis={report?.kpis} loading={loading} />

      {report && isEmpty(report) ? (
        <Card data-testid="dashboard-empty">
          <Empty
            description={
              channels.data?.can ? (
                <>
                  No conversations in this period — <Link to="/channels">connect a channel</Link>
                </>
              ) : (
                'No conversations in this period.'
              )
            }
          />
        </Card>
      ) : report || loading ? (
        <Row gutter={[12, 12]}>
          <ChartCard
            name="conversations"
            title="Conversations per day, by channel"
            loading={!report}
          >
            {report ? <ConversationsChart rows={report.series.conversationsPerDay} /> : null}
          </ChartCard>
          <ChartCard name="handoffs" title="Hand-offs to people per day" loading={!report}>
            {report ? <HandoffsChart rows={report.series.handoffsPerDay} /> : null}
          </ChartCard>
          <ChartCard
            name="busiest-hours"
            title="Busiest hours (customer messages)"
            loading={!report}
          >
            {report ? <Heatmap cells={report.series.busiestHours} /> : null}
          </ChartCard>
          <ChartCard name="tokens" title="Model tokens and cost per day" loading={!report}>
            {report ? <TokensChart rows={report.series.tokensPerDay} /> : null}
          </ChartCard>
        </Row>
      ) : null}
    </Flex>
  )
}
