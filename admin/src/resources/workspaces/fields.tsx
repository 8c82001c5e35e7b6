import { Form, Input, Radio, Select, Space, Switch, Typography } from 'antd'
import { useChannels, useTags } from '../../lib/lookups'
import type { Kind } from './shared'
import { Advanced } from '../../components/setup_form'

const { Text } = Typography

/** The Slack app's or the Telegram group's settings. `editing`: secrets may stay empty. */
export function KindFields({
  kind,
  teamId,
  editing = false,
}: {
  kind: Kind
  teamId?: number
  editing?: boolean
}) {
  const { channels } = useChannels()
  if (kind === 'slack') {
    const keep = editing ? 'Leave empty to keep the stored one. ' : ''
    return (
      <>
        <Form.Item
          label="Bot token"
          name={['config', 'botToken']}
          rules={[
            ...(editing ? [] : [{ required: true, message: 'Paste the Bot User OAuth Token' }]),
            { pattern: /^xoxb-[\w-]{8,}$/, message: 'A bot token starts with xoxb-' },
          ]}
          extra={`${keep}OAuth & Permissions → Bot User OAuth Token. Stored encrypted, never shown again.`}
        >
          <Input.Password
            autoComplete="off"
            placeholder={editing ? '•••••••• (kept)' : 'xoxb-…'}
            data-testid="workspace-bot-token"
          />
        </Form.Item>
        <Form.Item
          label="Signing secret"
          name={['config', 'signingSecret']}
          rules={[
            ...(editing ? [] : [{ required: true, message: 'Paste the signing secret' }]),
            { pattern: /^[0-9a-f]{16,128}$/i, message: 'The signing secret is hexadecimal' },
          ]}
          extra={`${keep}Basic Information → App Credentials → Signing Secret. Proves requests come from Slack.`}
        >
          <Input.Password
            autoComplete="off"
            placeholder={editing ? '•••••••• (kept)' : ''}
            data-testid="workspace-signing-secret"
          />
        </Form.Item>
        <Form.Item
          label="Channel ID"
          name={['config', 'channelId']}
          rules={[
            { required: true, message: "Paste the channel's id" },
            { pattern: /^[CG][A-Z0-9]{2,30}$/, message: 'A channel id looks like C0123ABCD' },
          ]}
          extra="The Slack channel the operators use: channel details → bottom. The app must be invited to it."
        >
          <Input placeholder="C0123ABCD" data-testid="workspace-channel-id" />
        </Form.Item>
        <Advanced>
          <Form.Item
            label="Slack API URL"
            name={['config', 'apiUrl']}
            extra="Only for a Slack API proxy or test server. Empty: slack.com."
            style={{ marginBottom: 0 }}
          >
            <Input placeholder="https://slack.com/api/" />
          </Form.Item>
        </Advanced>
      </>
    )
  }
  const bots = channels.filter((c) => c.platform === 'telegram' && (!teamId || c.teamId === teamId))
  return (
    <>
      <Form.Item
        label="Bot (a Telegram channel of the team)"
        name={['config', 'channelId']}
        rules={[{ required: true, message: 'Choose the bot that runs the group' }]}
        extra={
          !teamId
            ? 'Choose the team first: its Telegram channels are listed here.'
            : bots.length === 0
              ? 'This team has no Telegram channel yet: create one under Channels first.'
              : 'Its bot must be an administrator of the group with the “Manage topics” right.'
        }
      >
        <Select
          options={bots.map((c) => ({
            value: c.id,
            label: `${c.name}${(c.config as any)?.bot?.username ? ` (@${(c.config as any).bot.username})` : ''}`,
          }))}
          placeholder="Choose a bot"
          aria-label="Bot"
          data-testid="workspace-telegram-channel"
        />
      </Form.Item>
      <Form.Item
        label="Group id"
        name={['config', 'chatId']}
        rules={[
          { required: true, message: "Enter the group's id" },
          { pattern: /^-\d{5,20}$/, message: 'A negative number such as -1001234567890' },
        ]}
        getValueProps={(v) => ({ value: v === undefined || v === null ? v : String(v) })}
        normalize={(v: string) => v.trim()}
        extra="The forum group's id, starting with -100."
      >
        <Input placeholder="-1001234567890" data-testid="workspace-chat-id" />
      </Form.Item>
    </>
  )
}

/** Which conversations appear in the workspace. */
export function RoutingFields({ teamId }: { teamId?: number }) {
  const { channels } = useChannels()
  const { tags } = useTags(teamId)
  const teamChannels = channels.filter((c) => !teamId || c.teamId === teamId)
  return (
    <>
      <Form.Item label="Conversations shown" name={['routing', 'conversations']}>
        <Radio.Group data-testid="workspace-routing">
          <Space direction="vertical">
            <Radio value="handoff" data-testid="workspace-routing-handoff">
              <Text strong>Handed to people</Text>{' '}
              <Text type="secondary">
                — only when a customer asks for a person, the assistant is unsure, or a rule hands
                over (recommended)
              </Text>
            </Radio>
            <Radio value="all" data-testid="workspace-routing-all">
              <Text strong>Every conversation</Text>{' '}
              <Text type="secondary">— including those the assistant is answering</Text>
            </Radio>
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        label="Only from these channels"
        name={['routing', 'channelIds']}
        extra="Empty: all of the team's channels."
      >
        <Select
          mode="multiple"
          allowClear
          optionFilterProp="label"
          options={teamChannels.map((c) => ({ value: c.id, label: c.name }))}
          placeholder="All channels"
          aria-label="Only from these channels"
          data-testid="workspace-routing-channels"
        />
      </Form.Item>
      <Form.Item
        label="Only with these tags"
        name={['routing', 'tags']}
        extra="Empty: any tags. A conversation with one of them is shown."
      >
        <Select
          mode="tags"
          allowClear
          options={tags.map((t) => ({ value: t.name, label: t.name }))}
          placeholder="Any tags"
          aria-label="Only with these tags"
          data-testid="workspace-routing-tags"
        />
      </Form.Item>
      <Form.Item
        label="Active"
        name="enabled"
        valuePropName="checked"
        extra="Paused workspaces receive nothing."
      >
        <Switch data-testid="workspace-enabled" />
      </Form.Item>
    </>
  )
}

/** The form's values as the API wants them: config keys of the kind only, numbers as numbers. */
export function toConfig(kind: Kind, config: Record<string, any> | undefined) {
  const keys =
    kind === 'slack'
      ? ['botToken', 'signingSecret', 'channelId', 'apiUrl']
      : ['channelId', 'chatId']
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const value = config?.[key]
    if (value === undefined || value === null || value === '') continue
    out[key] = key === 'chatId' ? Number(value) : value
  }
  return out
}
