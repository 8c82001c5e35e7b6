/*
| Dry run: what the rule would do now for a conversation, changing
| nothing. Each condition with the value it sees, and the actions with
| their messages filled in.
*/
import { useState } from 'react'
import type { HttpError } from '@refinedev/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Alert, Button, Card, Collapse, Empty, Flex, Input, Select, Table, Typography } from 'antd'
import { ExperimentOutlined } from '@ant-design/icons'
import { api } from '../../providers/http'
import type { ApiList } from '../../providers/data_core'
import type { Conversation, Rule } from './data'
import { conditionText, sampleEventData, type RuleSchema } from './rule_form'
import { actionLabel, OutcomeTag, ResultTag, Seen } from './view'
import type { paths } from '../../api/schema'

type DryRunResult =
  paths['/api/v1/rules/{id}/dry-run']['post']['responses'][200]['content']['application/json']['data']

type Evaluation = {
  outcome?: string
  reason?: string
  note?: string
  actions?: Array<{ index?: number; type?: string; outcome?: string; detail?: string }>
}

const HEADLINE: Record<string, { type: 'success' | 'warning' | 'info' | 'error'; text: string }> = {
  would_fire: { type: 'success', text: 'It would fire' },
  conditions_failed: { type: 'warning', text: 'It would not fire: the conditions do not hold' },
  trigger_mismatch: {
    type: 'warning',
    text: 'It would not fire: the event does not match the trigger',
  },
  cooldown: { type: 'warning', text: 'It would not fire now: it is cooling down' },
  loop_prevented: { type: 'info', text: 'It would not fire: loop prevention' },
  failed: { type: 'error', text: 'The evaluation failed' },
}

function conversationLabel(c: Conversation) {
  const who = c.contact?.name ?? c.contact?.email ?? 'Unknown contact'
  const last = c.lastMessage?.body ? ` — “${c.lastMessage.body.slice(0, 60)}”` : ''
  return `#${c.id} · ${who} · ${c.status}${last}`
}

export function DryRun({ rule, schema }: { rule: Rule; schema?: RuleSchema }) {
  const [search, setSearch] = useState('')
  const [conversationId, setConversationId] = useState<number>()
  const sample = sampleEventData(rule.trigger)
  const [eventText, setEventText] = useState(sample ? JSON.stringify(sample, null, 2) : '')
  const [eventError, setEventError] = useState<string>()
  const onSchedule = rule.trigger?.type === 'schedule'

  const conversations = useQuery({
    queryKey: ['rule-dry-run-conversations', rule.teamId, search],
    queryFn: () =>
      api<ApiList<Conversation>>('GET', '/conversations', {
        query: {
          teamId: rule.teamId,
          q: search.trim().length >= 3 ? search.trim() : undefined,
          perPage: 20,
        },
      }),
    enabled: rule.teamId !== undefined,
    staleTime: 10_000,
  })

  const run = useMutation<DryRunResult, HttpError, Record<string, unknown>>({
    mutationFn: async (body) =>
      (await api<{ data: DryRunResult }>('POST', `/rules/${rule.id}/dry-run`, { body })).data,
  })

  const start = () => {
    let data: unknown
    if (sample) {
      try {
        data = eventText.trim() ? JSON.parse(eventText) : {}
      } catch (error) {
        setEventError(`Not valid JSON: ${(error as Error).message}`)
        return
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) {
        setEventError('The event data is a JSON object: {"key": "value"}')
        return
      }
    }
    setEventError(undefined)
    run.mutate(
      sample
        ? { event: { type: rule.trigger?.type, ...(conversationId && { conversationId }), data } }
        : { conversationId }
    )
  }

  const numeric = /^\d+$/.test(search.trim()) ? Number(search.trim()) : undefined
  const options = [
    ...(numeric && !conversations.data?.data.some((c) => c.id === numeric)
      ? [{ value: numeric, label: `Conversation #${numeric}` }]
      : []),
    ...(conversations.data?.data ?? []).map((c) => ({ value: c.id!, label: conversationLabel(c) })),
  ]
  const canRun = onSchedule || !!conversationId
  const result = run.data
  const evaluation = (result?.evaluation ?? {}) as Evaluation
  const headline = HEADLINE[evaluation.outcome ?? '']
  const fieldError = run.error?.errors
    ? Object.entries(run.error.errors).map(
        ([f, m]) => `${f}: ${Array.isArray(m) ? m.join(' ') : m}`
      )
    : []

  return (
    <Flex vertical gap={16} data-testid="dry-run">
      <Typography.Text type="secondary">
        Try the rule on a conversation as it is now: nothing is sent or changed.
        {sample
          ? ' The event data below is what the trigger would carry; edit it to try other cases.'
          : ' The conversation’s latest customer message is the event.'}
      </Typography.Text>
      <Flex gap={8} wrap align="start">
        <Select
          showSearch
          allowClear
          value={conversationId}
          onChange={(v: number | undefined) => setConversationId(v)}
          onSearch={setSearch}
          filterOption={false}
          options={options}
          loading={conversations.isFetching}
          placeholder={
            onSchedule
              ? 'No conversation needed (optional)'
              : 'Pick a conversation: search by name, words or #id'
          }
          notFoundContent={conversations.isFetching ? 'Searching…' : 'No conversation found'}
          aria-label="Conversation"
          data-testid="dry-run-conversation"
          style={{ width: 560, maxWidth: '100%' }}
        />
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          onClick={start}
          loading={run.isPending}
          disabled={!canRun}
          data-testid="dry-run-submit"
        >
          Run test
        </Button>
      </Flex>
      {sample && (
        <Collapse
          size="small"
          items={[
            {
              key: 'event',
              label: `Event data (${rule.trigger?.type})`,
              children: (
                <>
                  <Input.TextArea
                    value={eventText}
                    onChange={(e) => setEventText(e.target.value)}
                    autoSize={{ minRows: 3, maxRows: 12 }}
                    spellCheck={false}
                    aria-label="Event data"
                    data-testid="dry-run-event"
                    style={{ fontFamily: 'monospace' }}
                  />
                  {eventError && <Typography.Text type="danger">{eventError}</Typography.Text>}
                </>
              ),
            },
          ]}
        />
      )}
      {run.isError && (
        <Alert
          type="error"
          showIcon
          message={run.error.message}
          description={fieldError.length ? fieldError.join('; ') : undefined}
        />
      )}
      {result && (
        <Flex vertical gap={16} data-testid="dry-run-result">
          <Alert
            type={headline?.type ?? 'info'}
            showIcon
            data-testid="dry-run-outcome"
            data-outcome={evaluation.outcome}
            message={
              <Flex gap={8} align="center">
                <span>{headline?.text ?? 'Result'}</span>
                <OutcomeTag outcome={evaluation.outcome} />
              </Flex>
            }
            description={
              [
                evaluation.outcome !== 'would_fire' && evaluation.outcome !== 'conditions_failed'
                  ? evaluation.reason
                  : undefined,
                evaluation.note,
              ]
                .filter(Boolean)
                .join(' ') || undefined
            }
          />
          <Card size="small" title="Conditions">
            {result.conditions?.length ? (
              <Table
                size="small"
                pagination={false}
                rowKey={(c) => c.path ?? ''}
                dataSource={result.conditions}
                data-testid="dry-run-conditions"
                columns={[
                  {
                    title: 'Condition',
                    key: 'condition',
                    render: (_, c) => (
                      <Typography.Text code>
                        {conditionText(
                          { field: c.field, operator: c.operator, value: c.value },
                          schema
                        )}
                      </Typography.Text>
                    ),
                  },
                  { title: 'Value seen', key: 'seen', render: (_, c) => <Seen value={c.seen} /> },
                  {
                    title: 'Result',
                    key: 'result',
                    width: 170,
                    render: (_, c) => <ResultTag result={c.result} reached={c.reached} />,
                  },
                ]}
              />
            ) : (
              <Typography.Text type="secondary">
                No conditions: the trigger alone decides.
              </Typography.Text>
            )}
          </Card>
          <Card
            size="small"
            title={
              evaluation.outcome === 'would_fire'
                ? 'Actions'
                : 'Actions (what they would do if it fired)'
            }
          >
            {result.actions?.length ? (
              <Flex vertical gap={12} data-testid="dry-run-actions">
                {result.actions.map((a) => {
                  const outcome = evaluation.actions?.find((x) => x.index === a.index)
                  const texts = Object.entries(a.rendered ?? {})
                  return (
                    <div key={a.index}>
                      <Flex gap={8} align="center">
                        <Typography.Text strong>
                          {(a.index ?? 0) + 1}. {actionLabel(a.type, schema)}
                        </Typography.Text>
                        {outcome && <OutcomeTag outcome={outcome.outcome} />}
                        {outcome?.detail && !texts.length && (
                          <Typography.Text type="secondary">{outcome.detail}</Typography.Text>
                        )}
                      </Flex>
                      {texts.map(([option, text]) => (
                        <div
                          key={option}
                          data-testid={`dry-run-text-${a.index}`}
                          style={{
                            marginTop: 6,
                            padding: '8px 12px',
                            background: '#f5f7ff',
                            borderRadius: 8,
                            whiteSpace: 'pre-wrap',
                          }}
                        >
                          {text}
                        </div>
                      ))}
                    </div>
                  )
                })}
              </Flex>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No actions" />
            )}
          </Card>
        </Flex>
      )}
    </Flex>
  )
}
