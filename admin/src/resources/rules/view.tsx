/* Read-only pieces of a rule: its condition tree, its actions, outcomes and seen values. */
import { Tag, Tooltip, Typography } from 'antd'
import {
  childrenOf,
  conditionText,
  groupKey,
  humanize,
  isGroup,
  type Action,
  type Condition,
  type RuleSchema,
} from './rule_form'

export function ConditionTree(props: { node: unknown; schema?: RuleSchema; root?: boolean }) {
  const { node, schema } = props
  if (!isGroup(node)) {
    return <Typography.Text code>{conditionText(node as Condition, schema)}</Typography.Text>
  }
  const children = childrenOf(node)
  if (!children.length) {
    return props.root === false ? (
      <Typography.Text type="secondary">(empty group)</Typography.Text>
    ) : (
      <Typography.Text type="secondary">
        No conditions: every time the trigger happens
      </Typography.Text>
    )
  }
  return (
    <div>
      <Typography.Text strong>{groupKey(node) === 'all' ? 'All of' : 'Any of'}</Typography.Text>
      <ul style={{ margin: '2px 0 0', paddingLeft: 20 }}>
        {children.map((child, i) => (
          <li key={i}>
            <ConditionTree node={child} schema={schema} root={false} />
          </li>
        ))}
      </ul>
    </div>
  )
}

export function actionLabel(type: string | undefined, schema?: RuleSchema): string {
  return schema?.actions.find((a) => a.type === type)?.label ?? humanize(String(type ?? '?'))
}

/** "Send a message: “Hi {{contact.first_name}}…”" */
export function actionText(action: Action, schema?: RuleSchema): string {
  const options = Object.entries(action)
    .filter(([k]) => k !== 'type')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
  return options.length
    ? `${actionLabel(action.type, schema)} · ${options.join(', ')}`
    : actionLabel(action.type, schema)
}

const OUTCOMES: Record<string, { color: string; label: string }> = {
  fired: { color: 'green', label: 'Fired' },
  would_fire: { color: 'green', label: 'Would fire' },
  conditions_failed: { color: 'orange', label: 'Conditions not met' },
  cooldown: { color: 'blue', label: 'Cooldown' },
  loop_prevented: { color: 'purple', label: 'Loop prevented' },
  waiting: { color: 'cyan', label: 'Waiting' },
  failed: { color: 'red', label: 'Failed' },
  trigger_mismatch: { color: 'default', label: 'Trigger does not match' },
  done: { color: 'green', label: 'Done' },
  would_run: { color: 'green', label: 'Would run' },
  skipped: { color: 'default', label: 'Skipped' },
}

export function outcomeLabel(outcome: string | undefined): string {
  return OUTCOMES[outcome ?? '']?.label ?? humanize(String(outcome ?? '—'))
}

export function OutcomeTag({ outcome }: { outcome?: string }) {
  const known = OUTCOMES[outcome ?? '']
  return (
    <Tag color={known?.color ?? 'default'} data-testid="outcome" data-outcome={outcome}>
      {outcomeLabel(outcome)}
    </Tag>
  )
}

/** A value a condition saw, short; the whole of it on hover. */
export function Seen({ value }: { value: unknown }) {
  if (value === null || value === undefined) {
    return <Typography.Text type="secondary">nothing</Typography.Text>
  }
  const text = typeof value === 'string' ? `“${value}”` : JSON.stringify(value)
  const short = text.length > 80 ? `${text.slice(0, 80)}…` : text
  return short === text ? (
    <Typography.Text>{text}</Typography.Text>
  ) : (
    <Tooltip title={<span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>}>
      <Typography.Text>{short}</Typography.Text>
    </Tooltip>
  )
}

export function ResultTag({ result, reached }: { result?: boolean; reached?: boolean }) {
  if (reached === false) {
    return (
      <Tooltip title="The evaluation stopped before this one: its group was already decided">
        <Tag>{result ? 'holds (not reached)' : 'fails (not reached)'}</Tag>
      </Tooltip>
    )
  }
  return result ? <Tag color="green">holds</Tag> : <Tag color="red">fails</Tag>
}
