import { Card, Typography } from 'antd'
import { CopyValue, absoluteUrl } from '../../components/copy_value'
import type { Kind } from './shared'

const { Text, Link, Paragraph } = Typography

const SCOPES = [
  'chat:write',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'commands',
]

/** The setup guide beside the form: what to do in Slack or Telegram, in order. */
export function SetupSteps({ kind, webhookUrl }: { kind: Kind; webhookUrl?: string | null }) {
  const url = webhookUrl ? absoluteUrl(webhookUrl) : null
  if (kind === 'slack') {
    return (
      <Card size="small" title="Setting up Slack" data-testid="workspace-steps">
        <ol style={{ paddingLeft: 20, margin: 0, lineHeight: 1.6 }}>
          <li>
            At{' '}
            <Link href="https://api.slack.com/apps" target="_blank">
              api.slack.com/apps
            </Link>
            , create an app <Text italic>From scratch</Text> in your Slack workspace.
          </li>
          <li>
            Under <Text strong>OAuth &amp; Permissions</Text>, add the bot scopes{' '}
            {SCOPES.map((s, i) => (
              <span key={s}>
                <Text code>{s}</Text>
                {i < SCOPES.length - 1 ? ' ' : ''}
              </span>
            ))}
            . Install the app to the workspace and copy the <Text strong>Bot User OAuth Token</Text>{' '}
            (<Text code>xoxb-…</Text>) into <Text strong>Bot token</Text>.
          </li>
          <li>
            Under <Text strong>Basic Information</Text>, copy the <Text strong>Signing Secret</Text>
            .
          </li>
          <li>
            In Slack, invite the app to your operators' channel (<Text code>/invite @yourapp</Text>
            ), open the channel's details and copy its <Text strong>Channel ID</Text> (at the
            bottom, <Text code>C…</Text>).
          </li>
          <li>Save here: the token and the channel are checked with Slack.</li>
          <li>
            Paste the Request URL {url ? 'below' : '(shown after saving)'} into the app in three
            places: <Text strong>Event Subscriptions</Text> (subscribe to the bot events{' '}
            <Text code>message.channels</Text> and <Text code>message.groups</Text>),{' '}
            <Text strong>Interactivity &amp; Shortcuts</Text> (the card's buttons) and{' '}
            <Text strong>Slash Commands</Text> (create <Text code>/sb</Text>).
          </li>
        </ol>
        {url ? (
          <div style={{ marginTop: 12 }}>
            <Text strong>Request URL</Text>
            <CopyValue value={url} label="Slack request URL" testId="workspace-webhook-url" />
            {webhookUrl?.startsWith('/') && (
              <Paragraph type="warning" style={{ margin: '4px 0 0' }}>
                PUBLIC_URL is not set on the server: this is the address you opened the panel with,
                and Slack must be able to reach it.
              </Paragraph>
            )}
          </div>
        ) : (
          <Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
            The Request URL is <Text code>&lt;server address&gt;/webhooks/slack/&lt;id&gt;</Text>;
            the exact one appears here once the workspace is saved.
          </Paragraph>
        )}
        <Paragraph type="secondary" style={{ margin: '12px 0 0' }}>
          Operators are recognised by the email of their Slack account. Anyone whose Slack email
          differs from their Switchboard one: link them under Operator identities.
        </Paragraph>
      </Card>
    )
  }
  return (
    <Card size="small" title="Setting up a Telegram group" data-testid="workspace-steps">
      <ol style={{ paddingLeft: 20, margin: 0, lineHeight: 1.6 }}>
        <li>Create a Telegram channel for this team first (Channels): its bot runs the group.</li>
        <li>
          In Telegram, create a group and turn on <Text strong>Topics</Text> (group settings →
          Topics).
        </li>
        <li>
          Add that bot to the group and make it an administrator with the{' '}
          <Text strong>Manage topics</Text> right.
        </li>
        <li>
          Find the group's id, a negative number starting with <Text code>-100</Text>: open the
          group at web.telegram.org, where the address ends with it.
        </li>
        <li>Save here: the bot's rights in the group are checked, and what is missing is said.</li>
        <li>
          Telegram does not share emails: link each operator's Telegram account under Operator
          identities.
        </li>
      </ol>
    </Card>
  )
}
