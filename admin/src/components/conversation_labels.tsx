import { Tag, Tooltip } from 'antd'
import type { Conversation } from '../api/types'
import { dateTime } from '../lib/format'

/*
| How a conversation's status, owner and priority read and look everywhere
| in the panel (inbox, conversation page, contact page, dashboards).
*/
export type ConversationStatus = NonNullable<Conversation['status']>
export type ConversationOwner = NonNullable<Conversation['owner']>
export type ConversationPriority = NonNullable<Conversation['priority']>

export const STATUS: Record<ConversationStatus, { label: string; color: string }> = {
  open: { label: 'Open', color: 'blue' },
  pending: { label: 'Pending', color: 'gold' },
  snoozed: { label: 'Snoozed', color: 'purple' },
  resolved: { label: 'Resolved', color: 'green' },
}

export const OWNER: Record<ConversationOwner, { label: string; color: string; hint: string }> = {
  bot: { label: 'Bot', color: 'cyan', hint: 'The assistant answers' },
  queued: {
    label: 'Waiting for a person',
    color: 'orange',
    hint: 'Handed off, nobody took it yet',
  },
  human: { label: 'Person', color: 'geekblue', hint: 'An operator answers' },
}

export const PRIORITY: Record<ConversationPriority, { label: string; color?: string }> = {
  low: { label: 'Low' },
  normal: { label: 'Normal' },
  high: { label: 'High', color: 'orange' },
  urgent: { label: 'Urgent', color: 'red' },
}

export const statusOptions = Object.entries(STATUS).map(([value, s]) => ({ value, label: s.label }))
export const ownerOptions = Object.entries(OWNER).map(([value, o]) => ({ value, label: o.label }))
export const priorityOptions = Object.entries(PRIORITY).map(([value, p]) => ({
  value,
  label: p.label,
}))

export function StatusTag({
  status,
  snoozedUntil,
}: {
  status?: string | null
  snoozedUntil?: string | null
}) {
  const s = STATUS[status as ConversationStatus]
  if (!s) return null
  const tag = <Tag color={s.color}>{s.label}</Tag>
  return status === 'snoozed' && snoozedUntil ? (
    <Tooltip title={`Until ${dateTime(snoozedUntil)}`}>{tag}</Tooltip>
  ) : (
    tag
  )
}

export function OwnerTag({ owner }: { owner?: string | null }) {
  const o = OWNER[owner as ConversationOwner]
  if (!o) return null
  return (
    <Tooltip title={o.hint}>
      <Tag color={o.color}>{o.label}</Tag>
    </Tooltip>
  )
}

/** Normal priority says nothing worth a tag. */
export function PriorityTag({ priority, always }: { priority?: string | null; always?: boolean }) {
  const p = PRIORITY[priority as ConversationPriority]
  if (!p || (priority === 'normal' && !always)) return null
  return <Tag color={p.color}>{p.label} priority</Tag>
}
