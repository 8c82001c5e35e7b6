/*
| A rule's log: every time its trigger happened, whether it fired and, when
| it did not, the condition that failed with the value it saw.
*/
import { useState } from 'react'
import { Link } from 'react-router'
import { useNavigation, type HttpError } from '@refinedev/core'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Alert, Button, Empty, Flex, Select, Table, Tooltip, Typography } from 'antd'
import { ReloadOutlined } from '@ant-design/icons'
import { api } from '../../providers/http'
import type { ApiList } from '../../providers/data_core'
import { ago, dateTime } from '../../lib/format'
import type { Execution, Rule } from './data'
import { conditionText, type RuleSchema } from './rule_form'
import { actionLabel, OutcomeTag, outcomeLabel, ResultTag, Seen } from './view'

const OUTCOMES = ['fired', 'conditions_failed', 'cooldown', 'loop_prevented', 'waiting', 'failed']
const PAGE_SIZE = 20

type SeenCondition = NonNullable<Execution['conditions']>[number]

/** Why it did not fire, in a line: the conditions that failed and what they saw. */
function Why({ entry, schema }: { entry: Execution; schema?: RuleSchema }) {
  if (entry.outcome === 'conditions_failed') {
    const failed = (entry.conditions ?? []).filter((c) => c.result === false)
    if (!failed.length) return <Typography.Text type="secondary">{entry.reason}</Typography.Text>
    return (
      <Flex vertical gap={2}>
        {failed.slice(0, 2).map((c, i) => (
          <span key={i} data-testid="execution-failed-condition">
            <Typography.Text code>
              {conditionText({ field: c.field, operator: c.operator, value: c.value }, schema)}
            </Typography.Text>{' '}
            <Typography.Text type="secondary">saw</Typography.Text> <Seen value={c.seen} />
          </span>
        ))}
        {failed.length > 2 && (
          <Typography.Text type="secondary">
            and {failed.length - 2} more (expand the row)
          </Typography.Text>
        )}
      </Flex>
    )
  }
  if (entry.outcome === 'fired') {
    const actions = entry.actions ?? []
    const failed = actions.filter((a) => a.outcome === 'failed').length
    return (
      <Typography.Text>
        {actions.map((a) => actionLabel(a.type, schema)).join(', ') || 'No actions'}
        {failed ? <Typography.Text type="danger"> · {failed} failed</Typography.Text> : null}
      </Typography.Text>
    )
  }
  return <Typography.Text>{entry.reason ?? outcomeLabel(entry.outcome)}</Typography.Text>
}

function Details({ entry, schema }: { entry: Execution; schema?: RuleSchema }) {
  return (
    <Flex vertical gap={12} style={{ padding: '4px 8px' }}>
      {entry.reason && (
        <Typography.Text>
          <b>Reason:</b> {entry.reason}
        </Typography.Text>
      )}
      <Table<SeenCondition>
        size="small"
        pagination={false}
        rowKey={(c) => c.path ?? ''}
        dataSource={entry.conditions ?? []}
        locale={{ emptyText: 'No condition was evaluated' }}
        title={() => <b>Conditions evaluated</b>}
        columns={[
          {
            title: 'Condition',
            key: 'c',
            render: (_, c) => (
              <Typography.Text code>
                {conditionText({ field: c.field, operator: c.operator, value: c.value }, schema)}
              </Typography.Text>
            ),
          },
          { title: 'Value seen', key: 'seen', render: (_, c) => <Seen value={c.seen} /> },
          {
            title: 'Result',
            key: 'r',
            width: 120,
            render: (_, c) => <ResultTag result={c.result} />,
          },
        ]}
      />
      {(entry.actions ?? []).length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey={(a) => String(a.index)}
          dataSource={entry.actions}
          title={() => <b>Actions</b>}
          columns={[
            {
              title: 'Action',
              key: 'a',
              render: (_, a) => `${(a.index ?? 0) + 1}. ${actionLabel(a.type, schema)}`,
            },
            {
              title: 'Outcome',
              key: 'o',
              width: 140,
              render: (_, a) => <OutcomeTag outcome={a.outcome} />,
            },
            { title: 'Detail', dataIndex: 'detail', key: 'd' },
          ]}
        />
      )}
      {entry.event && (
        <details>
          <summary style={{ cursor: 'pointer' }}>The event</summary>
          <pre style={{ fontSize: 12, background: '#fafafa', padding: 8, margin: 0 }}>
            {JSON.stringify(entry.event, null, 2)}
          </pre>
        </details>
      )}
    </Flex>
  )
}

export function Executions({
  rule,
  schema,
  onTest,
}: {
  rule: Rule
  schema?: RuleSchema
  onTest: () => void
}) {
  const { showUrl } = useNavigation()
  const [page, setPage] = useState(1)
  const [outcome, setOutcome] = useState<string>()
  const log = useQuery<ApiList<Execution>, HttpError>({
    queryKey: ['rule-executions', rule.id, page, outcome],
    queryFn: () =>
      api<ApiList<Execution>>('GET', `/rules/${rule.id}/executions`, {
        query: { page, perPage: PAGE_SIZE, outcome },
      }),
    placeholderData: keepPreviousData,
  })
  const rows = (log.data?.data ?? []).map((e, i) => ({
    ...e,
    key: `${e.id ?? 'miss'}-${e.eventKey ?? i}-${e.outcome}`,
  }))

  return (
    <Flex vertical gap={12} data-testid="executions">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">
          Each time the trigger happened, newest first: whether the rule fired, and if not, why.
        </Typography.Text>
        <Flex gap={8}>
          <Select
            allowClear
            placeholder="All outcomes"
            value={outcome}
            onChange={(v: string | undefined) => {
              setOutcome(v)
              setPage(1)
            }}
            options={OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) }))}
            aria-label="Outcome"
            data-testid="executions-outcome"
            style={{ width: 200 }}
          />
          <Tooltip title="Refresh">
            <Button
              icon={<ReloadOutlined />}
              onClick={() => log.refetch()}
              aria-label="Refresh the log"
              loading={log.isFetching}
            />
          </Tooltip>
        </Flex>
      </Flex>
      {log.isError && (
        <Alert
          type="error"
          showIcon
          message="The log could not be loaded"
          description={log.error?.message}
        />
      )}
      <Table
        size="small"
        data-testid="executions-table"
        dataSource={rows}
        loading={log.isLoading}
        expandable={{ expandedRowRender: (entry) => <Details entry={entry} schema={schema} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: log.data?.meta.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => `${total} ${total === 1 ? 'entry' : 'entries'}`,
        }}
        locale={{
          emptyText: (
            <Empty
              description={
                outcome
                  ? `No “${outcomeLabel(outcome)}” entries.`
                  : 'Nothing logged yet. Each time the trigger happens, the evaluation shows here: fired, or why not.'
              }
            >
              {!outcome && (
                <Button onClick={onTest} data-testid="executions-try">
                  Test it on a conversation
                </Button>
              )}
            </Empty>
          ),
        }}
        columns={[
          {
            title: 'When',
            key: 'when',
            width: 170,
            render: (_, e) => <Tooltip title={ago(e.createdAt)}>{dateTime(e.createdAt)}</Tooltip>,
          },
          {
            title: 'Outcome',
            key: 'outcome',
            width: 170,
            render: (_, e) => <OutcomeTag outcome={e.outcome} />,
          },
          {
            title: 'Conversation',
            key: 'conversation',
            width: 120,
            render: (_, e) =>
              e.conversationId ? (
                <Link to={showUrl('conversations', e.conversationId)}>#{e.conversationId}</Link>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: 'What happened',
            key: 'why',
            render: (_, e) => <Why entry={e} schema={schema} />,
          },
        ]}
      />
    </Flex>
  )
}
