import { Form, Input, Radio, Space, Typography } from 'antd'
import type { Platform } from './shared'
import { Advanced } from '../../components/setup_form'

const { Text, Link } = Typography

/**
 * The platform's own settings, each explained: what it is, where to get it,
 * what happens with it. `editing`: secrets may be left empty to keep them.
 */
export function PlatformFields({
  platform,
  editing = false,
}: {
  platform: Platform
  editing?: boolean
}) {
  if (platform === 'telegram') {
    return (
      <>
        <Form.Item
          label="Bot token"
          name={['config', 'token']}
          rules={
            editing ? [] : [{ required: true, message: 'Paste the token @BotFather gave you' }]
          }
          extra={
            <span>
              {editing && (
                <>
                  <Text strong>Leave empty to keep the current token.</Text>{' '}
                </>
              )}
              In Telegram, open{' '}
              <Link href="https://t.me/BotFather" target="_blank">
                @BotFather
              </Link>
              , send <Text code>/newbot</Text> and choose a name and a username ending in “bot”. It
              answers with a token like <Text code>123456789:AAH…</Text>. Switchboard checks it with
              Telegram when you save, stores it encrypted and never shows it again.
            </span>
          }
        >
          <Input.Password
            autoComplete="off"
            placeholder={editing ? '•••••••• (kept)' : '123456789:AAH…'}
            data-testid="channel-token"
          />
        </Form.Item>
        <Form.Item
          label="How messages reach Switchboard"
          name={['config', 'mode']}
          rules={[{ required: true, message: 'Choose how messages arrive' }]}
        >
          <Radio.Group data-testid="channel-mode">
            <Space direction="vertical">
              <Radio value="webhook" data-testid="channel-mode-webhook">
                <Text strong>Webhook</Text>{' '}
                <Text type="secondary">
                  — Telegram delivers each message to this server immediately. For production: the
                  server needs a public https address (its <Text code>PUBLIC_URL</Text> setting);
                  the channel registers its webhook URL with Telegram itself.
                </Text>
              </Radio>
              <Radio value="polling" data-testid="channel-mode-polling">
                <Text strong>Polling</Text>{' '}
                <Text type="secondary">
                  — this server keeps asking Telegram for new messages. Works without a public
                  address (a laptop, a private network); a message may take a second longer.
                </Text>
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Advanced>
          <Form.Item
            label="Bot API server"
            name={['config', 'apiRoot']}
            extra="Only for a self-hosted Telegram Bot API server. Empty: api.telegram.org."
            rules={[{ type: 'url', message: 'An http(s) URL' }]}
            style={{ marginBottom: 0 }}
          >
            <Input placeholder="https://api.telegram.org" data-testid="channel-api-root" />
          </Form.Item>
        </Advanced>
      </>
    )
  }
  return (
    <Form.Item
      label="Webhook URL (your app's endpoint for replies)"
      name={['config', 'webhookUrl']}
      rules={[
        { required: true, message: "Enter the address of your app's endpoint" },
        {
          type: 'url',
          message: 'An absolute http(s) URL, such as https://app.example.com/switchboard',
        },
      ]}
      extra={
        <span>
          Every reply to a customer — from the assistant or an operator — is POSTed here as JSON{' '}
          <Text code>
            {
              '{"type":"message.created","data":{conversationId, contact:{externalId}, message:{id,text,authorKind,createdAt}}}'
            }
          </Text>
          , signed per{' '}
          <Link href="https://www.standardwebhooks.com/" target="_blank">
            Standard Webhooks
          </Link>{' '}
          with the webhook secret shown after saving. Answer 2xx; anything else is retried with
          backoff (same <Text code>webhook-id</Text>, so you can drop repeats).
        </span>
      }
    >
      <Input placeholder="https://app.example.com/switchboard" data-testid="channel-webhook-url" />
    </Form.Item>
  )
}
