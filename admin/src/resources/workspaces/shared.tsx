import { Badge, Tag, Tooltip, Typography } from 'antd'
import type { Schemas } from '../../api/types'

export type Workspace = Schemas['Workspace']
export type Kind = NonNullable<Workspace['platform']>

export const KINDS: Record<Kind, { label: string; color: string; summary: string }> = {
  slack: {
    label: 'Slack channel',
    color: 'purple',
    summary:
      'Each conversation becomes a thread in a Slack channel; operators reply in the thread.',
  },
  telegram: {
    label: 'Telegram group',
    color: 'blue',
    summary:
      'Each conversation becomes a topic in a Telegram forum group, run by one of your bots.',
  },
}

export function KindTag({ kind }: { kind?: string }) {
  const info = KINDS[kind as Kind]
  return <Tag color={info?.color}>{info?.label ?? kind}</Tag>
}

export function WorkspaceStatus({ workspace }: { workspace: Workspace }) {
  if (!workspace.enabled) return <Badge status="default" text="Paused" />
  const error = workspace.status === 'error'
  return (
    <span>
      <Badge status={error ? 'error' : 'success'} text={error ? 'Error' : 'Active'} />
      {workspace.statusDetail && (
        <Tooltip title={workspace.statusDetail}>
          <Typography.Paragraph
            type={error ? 'danger' : 'secondary'}
            ellipsis={{ rows: 2 }}
            style={{ margin: 0, fontSize: 12, maxWidth: 300 }}
          >
            {workspace.statusDetail}
          </Typography.Paragraph>
        </Tooltip>
      )}
    </span>
  )
}

/** "Handed-off conversations · 2 channels · tags: vip" */
export function routingSummary(routing: Workspace['routing'], channelName: (id: number) => string) {
  const parts = [
    routing?.conversations === 'all' ? 'Every conversation' : 'Handed-off conversations',
  ]
  if (routing?.channelIds?.length)
    parts.push(`from ${routing.channelIds.map(channelName).join(', ')}`)
  if (routing?.tags?.length) parts.push(`tagged ${routing.tags.join(', ')}`)
  return parts.join(' · ')
}
