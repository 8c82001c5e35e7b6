import { useState } from 'react'
import { useInvalidate, type HttpError } from '@refinedev/core'
import { App, Badge, Button, Popconfirm, Tag, Tooltip, Typography } from 'antd'
import { PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons'
import type { Schemas } from '../../api/types'
import { api } from '../../providers/http'

export type Channel = Schemas['Channel']
export type Platform = NonNullable<Channel['platform']>

export const PLATFORMS: Record<Platform, { label: string; color: string; summary: string }> = {
  telegram: {
    label: 'Telegram bot',
    color: 'blue',
    summary: 'Customers write to your Telegram bot.',
  },
  api: {
    label: 'Your own app (API)',
    color: 'purple',
    summary:
      'Your website or app sends customer messages over HTTP and receives replies as webhooks.',
  },
}

/** The settings each platform takes (the API rejects others). */
export const CONFIG_KEYS: Record<Platform, string[]> = {
  telegram: ['token', 'mode', 'apiRoot'],
  api: ['webhookUrl'],
}

export function PlatformTag({ platform }: { platform?: string }) {
  const info = PLATFORMS[platform as Platform]
  return <Tag color={info?.color}>{info?.label ?? platform}</Tag>
}

const STATUS: Record<
  string,
  { badge: 'success' | 'processing' | 'default' | 'error' | 'warning'; label: string }
> = {
  running: { badge: 'success', label: 'Running' },
  starting: { badge: 'processing', label: 'Starting' },
  stopped: { badge: 'default', label: 'Stopped' },
  error: { badge: 'error', label: 'Error' },
}

/** The status, and the last problem the channel reported (a bad token, an unreachable webhook). */
export function ChannelStatus({ channel, detail = true }: { channel: Channel; detail?: boolean }) {
  const s = STATUS[channel.status ?? ''] ?? {
    badge: 'warning' as const,
    label: channel.status ?? '?',
  }
  return (
    <span data-testid={`channel-status-${channel.id}`}>
      <Badge status={s.badge} text={s.label} />
      {detail && channel.statusDetail && (
        <Tooltip title={channel.statusDetail}>
          <Typography.Paragraph
            type={channel.status === 'error' ? 'danger' : 'secondary'}
            ellipsis={{ rows: 2 }}
            style={{ margin: 0, fontSize: 12, maxWidth: 320 }}
          >
            {channel.statusDetail}
          </Typography.Paragraph>
        </Tooltip>
      )}
    </span>
  )
}

/** Start or stop receiving and sending; stopping asks first. */
export function StartStopButton({ channel, size }: { channel: Channel; size?: 'small' }) {
  const { message, notification } = App.useApp()
  const invalidate = useInvalidate()
  const [busy, setBusy] = useState(false)
  const run = async (action: 'start' | 'stop') => {
    setBusy(true)
    try {
      await api('POST', `/channels/${channel.id}/${action}`)
      message.success(`${channel.name} ${action === 'start' ? 'starting' : 'stopped'}`)
      invalidate({ resource: 'channels', invalidates: ['list', 'detail'], id: channel.id })
    } catch (error) {
      notification.error({
        message: `Could not ${action} the channel`,
        description: (error as HttpError).message,
      })
    } finally {
      setBusy(false)
    }
  }
  if (!channel.enabled) {
    return (
      <Button
        size={size}
        icon={<PlayCircleOutlined />}
        loading={busy}
        onClick={() => run('start')}
        data-testid={`channel-start-${channel.id}`}
      >
        Start
      </Button>
    )
  }
  return (
    <Popconfirm
      title={`Stop ${channel.name}?`}
      description="Customers' messages are not received and replies wait until you start it again."
      okText="Stop"
      okButtonProps={{ 'danger': true, 'data-testid': 'channel-stop-confirm' } as any}
      onConfirm={() => run('stop')}
    >
      <Button
        size={size}
        icon={<PauseCircleOutlined />}
        loading={busy}
        data-testid={`channel-stop-${channel.id}`}
      >
        Stop
      </Button>
    </Popconfirm>
  )
}
