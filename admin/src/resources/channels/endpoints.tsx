import { Alert, Descriptions, Space, Typography } from 'antd'
import { CopyValue, absoluteUrl } from '../../components/copy_value'
import type { Channel } from './shared'

const { Text, Paragraph } = Typography

/**
 * What must be copied elsewhere for a channel to work: the URL customer
 * messages arrive at and, right after creation, the secrets shown once.
 */
export function ChannelEndpoints({ channel }: { channel: Channel }) {
  const secrets = channel.secrets
  const inbound = channel.inboundUrl ? absoluteUrl(channel.inboundUrl) : null
  const noPublicUrl = channel.inboundUrl?.startsWith('/')
  const config = (channel.config ?? {}) as Record<string, any>

  if (channel.platform === 'api') {
    return (
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {secrets?.inboundKey && (
          <Alert
            type="warning"
            showIcon
            message="Copy the inbound key and the webhook secret now"
            description="They are shown only this once. If you lose them, delete the channel and create it again."
          />
        )}
        <Descriptions column={1} bordered size="small" styles={{ label: { width: 220 } }}>
          {inbound && (
            <Descriptions.Item label="Inbound URL">
              <CopyValue value={inbound} label="inbound URL" testId="channel-inbound-url" />
              <Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                Your app POSTs each customer message here.
                {noPublicUrl &&
                  ' (PUBLIC_URL is not set on the server, so this uses the address you opened the panel with.)'}
              </Paragraph>
            </Descriptions.Item>
          )}
          {secrets?.inboundKey && (
            <Descriptions.Item label="Inbound key">
              <CopyValue
                value={secrets.inboundKey}
                label="inbound key"
                testId="channel-inbound-key"
                secret
              />
              <Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                Sent by your app as <Text code>Authorization: Bearer &lt;inbound key&gt;</Text>.
              </Paragraph>
            </Descriptions.Item>
          )}
          {secrets?.webhookSecret && (
            <Descriptions.Item label="Webhook secret">
              <CopyValue
                value={secrets.webhookSecret}
                label="webhook secret"
                testId="channel-webhook-secret"
                secret
              />
              <Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                Your endpoint verifies each reply's signature with it (any Standard Webhooks
                library).
              </Paragraph>
            </Descriptions.Item>
          )}
          <Descriptions.Item label="Replies go to">
            <Text copyable data-testid="channel-outbound-url">
              {config.webhookUrl}
            </Text>
          </Descriptions.Item>
        </Descriptions>
        {inbound && (
          <div>
            <Text strong>Try it</Text>
            <pre
              data-testid="channel-curl"
              style={{
                background: '#fafafa',
                padding: 12,
                borderRadius: 6,
                fontSize: 12,
                whiteSpace: 'pre-wrap',
                marginTop: 4,
              }}
            >
              {`curl -X POST ${inbound} \\
  -H "authorization: Bearer ${secrets?.inboundKey ?? '$INBOUND_KEY'}" \\
  -H "idempotency-key: evt-1" -H "content-type: application/json" \\
  -d '{"contact":{"externalId":"user-1","name":"Ana"},"message":{"id":"m-1","text":"Hello"}}'`}
            </pre>
          </div>
        )}
      </Space>
    )
  }

  const bot = config.bot as { username?: string } | undefined
  return (
    <Descriptions column={1} bordered size="small" styles={{ label: { width: 220 } }}>
      <Descriptions.Item label="Bot">
        {bot?.username ? (
          <Typography.Link href={`https://t.me/${bot.username}`} target="_blank">
            @{bot.username}
          </Typography.Link>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="Mode">
        {config.mode === 'webhook' ? 'Webhook' : 'Polling (this server asks Telegram)'}
      </Descriptions.Item>
      {inbound && (
        <Descriptions.Item label="Webhook URL">
          <CopyValue value={inbound} label="webhook URL" testId="channel-inbound-url" />
          <Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            Registered with Telegram by the channel when it starts; nothing to paste anywhere.
          </Paragraph>
          {noPublicUrl && (
            <Alert
              style={{ marginTop: 8 }}
              type="error"
              showIcon
              message="PUBLIC_URL is not set on the server"
              description="Telegram cannot reach a webhook without a public https address. Set PUBLIC_URL and restart, or edit the channel and switch to polling."
            />
          )}
        </Descriptions.Item>
      )}
    </Descriptions>
  )
}
