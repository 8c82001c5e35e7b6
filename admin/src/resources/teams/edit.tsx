import { Edit, useForm } from '@refinedev/antd'
import { Form, Input } from 'antd'
import { conflictOnField, unlessConflict } from '../../lib/form_errors'
import type { Team } from '../../api/types'

type TeamForm = { name: string; description?: string | null }

export default function TeamEdit() {
  const { formProps, saveButtonProps, query, form } = useForm<Team, any, TeamForm>({
    action: 'edit',
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(form, 'name', error),
    redirect: 'show',
  })
  const team = query?.data?.data
  return (
    <Edit
      title={team ? `Edit ${team.name}` : 'Edit team'}
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'team-save' } as any}
    >
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 560 }}
        onFinish={(values) =>
          formProps.onFinish?.({ ...values, description: values.description || null })
        }
      >
        <Form.Item
          label="Name"
          name="name"
          rules={[{ required: true, whitespace: true, message: 'Give the team a name' }]}
        >
          <Input maxLength={100} data-testid="team-name" />
        </Form.Item>
        <Form.Item label="Description" name="description">
          <Input.TextArea rows={3} maxLength={2000} data-testid="team-description" />
        </Form.Item>
      </Form>
    </Edit>
  )
}
