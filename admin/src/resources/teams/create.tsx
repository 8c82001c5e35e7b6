import { Create, useForm } from '@refinedev/antd'
import { Form, Input } from 'antd'
import { conflictOnField, unlessConflict } from '../../lib/form_errors'
import type { Team } from '../../api/types'

type TeamForm = { name: string; description?: string }

/** Name and description; members, hours and the assistant are set on the team's page after. */
export default function TeamCreate() {
  const { formProps, saveButtonProps, form } = useForm<Team, any, TeamForm>({
    resource: 'teams',
    action: 'create',
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(form, 'name', error),
    redirect: 'show',
    successNotification: (data) => ({
      type: 'success',
      message: `Team “${data?.data?.name}” created`,
      description: 'Add its members and set its hours and assistant here.',
    }),
  })
  return (
    <Create
      title="New team"
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'team-save' } as any}
    >
      <Form {...formProps} layout="vertical" style={{ maxWidth: 560 }}>
        <Form.Item
          label="Name"
          name="name"
          rules={[{ required: true, whitespace: true, message: 'Give the team a name' }]}
          extra="Shown to operators and in reports, e.g. “Support” or “Billing”."
        >
          <Input maxLength={100} data-testid="team-name" autoFocus />
        </Form.Item>
        <Form.Item label="Description" name="description">
          <Input.TextArea rows={3} maxLength={2000} data-testid="team-description" />
        </Form.Item>
      </Form>
    </Create>
  )
}
