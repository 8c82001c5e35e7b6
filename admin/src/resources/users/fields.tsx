import { Button, Form, Input, Radio, Select, Space, Typography } from 'antd'
import { ThunderboltOutlined } from '@ant-design/icons'
import type { FormInstance } from 'antd'
import { useTeams } from '../../lib/lookups'
import { ROLES, generatePassword } from './shared'

/** Email, name, role and teams: the same on the create and edit pages. */
export function AccountFields({ selfEdit = false }: { selfEdit?: boolean }) {
  const { teams, loading } = useTeams()
  return (
    <>
      <Form.Item
        label="Email"
        name="email"
        rules={[
          { required: true, message: 'Enter an email address' },
          { type: 'email', message: 'This is not an email address' },
        ]}
        extra="They sign in with it."
      >
        <Input autoComplete="off" data-testid="user-email" />
      </Form.Item>
      <Form.Item label="Full name" name="fullName">
        <Input maxLength={200} data-testid="user-name" />
      </Form.Item>
      <Form.Item
        label="Role"
        name="role"
        rules={[{ required: true }]}
        extra={selfEdit ? 'You cannot change your own role.' : undefined}
      >
        <Radio.Group disabled={selfEdit} data-testid="user-role">
          <Space direction="vertical">
            {ROLES.map((r) => (
              <Radio key={r.value} value={r.value} data-testid={`user-role-${r.value}`}>
                <Typography.Text strong>{r.label}</Typography.Text>{' '}
                <Typography.Text type="secondary">— {r.help}</Typography.Text>
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        label="Teams"
        name="teamIds"
        extra="They see and work the conversations of these teams."
      >
        <Select
          mode="multiple"
          loading={loading}
          optionFilterProp="label"
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
          placeholder="No team"
          aria-label="Teams"
          data-testid="user-teams"
        />
      </Form.Item>
    </>
  )
}

/** A password input with a button that fills in a generated one. */
export function PasswordField({
  form,
  name = 'password',
  label,
  required = false,
  extra,
}: {
  form: FormInstance
  name?: string
  label: string
  required?: boolean
  extra?: string
}) {
  return (
    <Form.Item label={label} required={required} extra={extra}>
      <Space.Compact style={{ width: '100%' }}>
        <Form.Item
          name={name}
          noStyle
          rules={[
            ...(required ? [{ required: true, message: 'Enter a password or generate one' }] : []),
            { min: 8, message: 'At least 8 characters' },
            { max: 128, message: 'At most 128 characters' },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Button
          icon={<ThunderboltOutlined />}
          onClick={() => {
            form.setFieldValue(name, generatePassword())
            form.validateFields([name]).catch(() => undefined)
          }}
          data-testid="user-password-generate"
        >
          Generate
        </Button>
      </Space.Compact>
    </Form.Item>
  )
}
