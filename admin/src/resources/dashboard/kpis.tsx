import type { ReactNode } from 'react'
import { Card, Grid, Progress, Statistic, Tooltip, Typography } from 'antd'
import { InfoCircleOutlined, LikeOutlined } from '@ant-design/icons'
import { compact, duration, money, percent } from '../../lib/format'
import type { Kpis } from './types'

function Kpi({
  name,
  title,
  hint,
  value,
  extra,
  loading,
}: {
  name: string
  title: ReactNode
  hint: string
  value: ReactNode
  extra?: ReactNode
  loading?: boolean
}) {
  const twoLines = Grid.useBreakpoint().sm === false
  return (
    <Card size="small" data-testid={`kpi-${name}`} loading={loading} style={{ height: '100%' }}>
      <Statistic
        title={
          // On a phone every title gets two lines, so values line up across a row.
          <span
            style={{
              display: 'flex',
              justifyContent: 'space-between',
              alignItems: 'flex-start',
              gap: 4,
              minHeight: twoLines ? 44 : undefined,
            }}
          >
            <span>{title}</span>
            <Tooltip title={hint}>
              <InfoCircleOutlined aria-label={hint} style={{ fontSize: 12, marginTop: 4 }} />
            </Tooltip>
          </span>
        }
        value={typeof value === 'number' ? value : undefined}
        formatter={typeof value === 'number' ? undefined : () => value}
      />
      {extra}
    </Card>
  )
}

/** This month's model spend; tokens against the teams' token budgets when one is set. */
function Spend({ kpis }: { kpis: Kpis }) {
  const { tokensThisMonth: tokens, budgetThisMonth: budget } = kpis
  if (!budget) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {compact(tokens)} tokens · no monthly budget set
      </Typography.Text>
    )
  }
  const used = tokens / budget
  return (
    <>
      <Progress
        percent={Math.min(100, Math.round(used * 100))}
        status={used >= 1 ? 'exception' : 'normal'}
        strokeColor={used >= 0.8 && used < 1 ? '#faad14' : undefined}
        size="small"
        aria-label="Share of the monthly token budget used"
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {compact(tokens)} of {compact(budget)} tokens
      </Typography.Text>
    </>
  )
}

export function KpiCards({ kpis, loading }: { kpis?: Kpis; loading: boolean }) {
  const k = kpis
  const cards: Array<{
    name: string
    title: ReactNode
    hint: string
    value: ReactNode
    extra?: ReactNode
  }> = [
    {
      name: 'open',
      title: 'Open',
      hint: 'Conversations not resolved, right now.',
      value: k ? k.open : '—',
    },
    {
      name: 'waiting',
      title: 'Waiting for a person',
      hint: 'Open conversations handed to people that nobody has taken yet, right now.',
      value: k ? k.waitingForPerson : '—',
    },
    {
      name: 'created',
      title: 'New in the period',
      hint: 'Conversations started in the period.',
      value: k ? k.createdInPeriod : '—',
    },
    {
      name: 'resolved',
      title: 'Resolved in the period',
      hint: 'Conversations resolved in the period (and not reopened since).',
      value: k ? k.resolvedInPeriod : '—',
    },
    {
      name: 'first-response-median',
      title: 'First response, median',
      hint: 'From the first customer message to the first reply by the assistant or a person, over conversations started in the period.',
      value: duration(k?.firstResponseMedianS),
    },
    {
      name: 'first-response-p90',
      title: 'First response, p90',
      hint: 'Nine in ten conversations started in the period got their first reply within this time.',
      value: duration(k?.firstResponseP90S),
    },
    {
      name: 'resolution-median',
      title: 'Resolution time, median',
      hint: 'From start to resolution, over conversations resolved in the period.',
      value: duration(k?.resolutionMedianS),
    },
    {
      name: 'without-person',
      title: 'Resolved by assistant',
      hint: 'Share of the conversations resolved in the period in which no person replied: the assistant handled them.',
      value: percent(k?.resolvedWithoutPersonShare),
    },
    {
      name: 'thumbs-up',
      title: (
        <>
          <LikeOutlined aria-label="Thumbs up" /> on answers
        </>
      ),
      hint: 'Share of thumbs-up among the votes on the assistant’s answers written in the period.',
      value: percent(k?.thumbsUpShare),
    },
    {
      name: 'model-cost',
      title: 'Model cost this month',
      hint: 'What the assistant’s model calls cost since the start of this calendar month (UTC), against the teams’ monthly token budgets.',
      value: !k ? '—' : k.costThisMonth ? money(k.costThisMonth) : '$0',
      extra: k ? <Spend kpis={k} /> : null,
    },
  ]
  return (
    // Two columns on a phone, as many as fit (five at 1280 px) on wider screens.
    <div
      style={{
        display: 'grid',
        gap: 12,
        gridTemplateColumns: 'repeat(auto-fill, minmax(min(180px, calc(50% - 6px)), 1fr))',
      }}
    >
      {cards.map((card) => (
        <Kpi key={card.name} {...card} loading={loading && !kpis} />
      ))}
    </div>
  )
}
