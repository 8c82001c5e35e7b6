import { Button, Form, Input } from 'antd'
import type { Team } from '../../api/types'
import { useTeamSettingsForm } from './settings_form'

const FIELDS = [
  {
    name: 'welcomeText',
    label: 'Welcome',
    extra: 'Sent when a customer starts a chat (/start on Telegram). Empty: a built-in greeting.',
  },
  {
    name: 'helpText',
    label: 'Help',
    extra: 'Sent when a customer types /help. Empty: a built-in list of the commands.',
  },
  {
    name: 'handoffText',
    label: 'Handing over to a person',
    extra:
      'Tells the customer a person is coming when the assistant hands the conversation over. Empty: a built-in sentence.',
  },
  {
    name: 'autoReplyText',
    label: 'Automatic reply',
    extra: 'Sent once per conversation while the bot owns it. Empty: none.',
  },
] as const

/** The texts the bot sends on its own. */
export function MessagesForm({ team, editable }: { team: Team; editable: boolean }) {
  const { formProps, saveButtonProps, formLoading } = useTeamSettingsForm(team, 'Customer messages')
  return (
    <Form
      {...formProps}
      layout="vertical"
      disabled={!editable}
      style={{ maxWidth: 720 }}
      data-testid="messages-form"
      onFinish={(values) => {
        const settings = values.settings ?? {}
        // An emptied text is sent as "" so the stored one goes away.
        const texts = Object.fromEntries(FIELDS.map((f) => [f.name, settings[f.name] ?? '']))
        return formProps.onFinish?.({ settings: texts })
      }}
    >
      {FIELDS.map((f) => (
        <Form.Item key={f.name} label={f.label} name={['settings', f.name]} extra={f.extra}>
          <Input.TextArea rows={3} maxLength={4000} data-testid={`messages-${f.name}`} />
        </Form.Item>
      ))}
      {editable && (
        <Button
          type="primary"
          {...saveButtonProps}
          loading={formLoading}
          data-testid="messages-save"
        >
          Save messages
        </Button>
      )}
    </Form>
  )
}
