import { useState } from 'react'
import { useInvalidate, useList, type HttpError } from '@refinedev/core'
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd'
import { KeyOutlined } from '@ant-design/icons'
import type { Schemas } from '../../api/types'
import { api } from '../../providers/http'
import { CopyValue } from '../../components/copy_value'
import { ago, date, dateTime } from '../../lib/format'
import { showFieldErrors } from '../../lib/form_errors'

type Token = Schemas['Token']
type TokenForm = { name: string; expiresInDays: number | 'never'; password: string }

const EXPIRY = [
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
  { value: 365, label: '1 year' },
  { value: 'never', label: 'Never' },
]

/** Bearer tokens for scripts and integrations: made with the password, shown once, revocable. */
export function AccessTokens({ email }: { email: string }) {
  const { message, notification } = App.useApp()
  const invalidate = useInvalidate()
  const [open, setOpen] = useState(false)
  const [saving, setSaving] = useState(false)
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null)
  const [form] = Form.useForm<TokenForm>()
  const { result, query } = useList<Token>({
    resource: 'auth-tokens',
    meta: { path: 'auth/tokens' },
    pagination: { mode: 'off' },
  })
  const refresh = () => invalidate({ resource: 'auth-tokens', invalidates: ['list'] })

  const create = async (values: TokenForm) => {
    setSaving(true)
    try {
      const body = await api<{ data: { name: string; token: string } }>('POST', '/auth/tokens', {
        body: {
          email,
          password: values.password,
          name: values.name.trim(),
          ...(values.expiresInDays === 'never' ? {} : { expiresInDays: values.expiresInDays }),
        },
      })
      setOpen(false)
      form.resetFields()
      setCreated({ name: body.data.name, token: body.data.token })
      refresh()
    } catch (error) {
      const http = error as HttpError
      // Credentials are checked like a sign-in: a wrong password is a 401, not a field error.
      if (http.statusCode === 401) {
        form.setFields([{ name: 'password', errors: ['This is not your password'] }])
      } else {
        const rest = showFieldErrors(form, error)
        if (rest) notification.error({ message: 'No token was created', description: rest })
      }
    } finally {
      setSaving(false)
    }
  }

  const revoke = async (token: Token) => {
    try {
      await api('DELETE', `/auth/tokens/${token.id}`)
      message.success(`Token “${token.name}” revoked`)
      refresh()
    } catch (error) {
      notification.error({
        message: 'The token was not revoked',
        description: (error as HttpError).message,
      })
    }
  }

  return (
    <Card
      title="Access tokens"
      size="small"
      data-testid="account-tokens"
      extra={
        <Button icon={<KeyOutlined />} onClick={() => setOpen(true)} data-testid="token-create">
          New token
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        For scripts and integrations using the API: send{' '}
        <Typography.Text code>Authorization: Bearer &lt;token&gt;</Typography.Text>. A token acts as
        you, with your role.
      </Typography.Paragraph>
      <Table
        dataSource={result.data}
        loading={query.isLoading}
        rowKey="id"
        size="small"
        pagination={false}
        data-testid="tokens-table"
        locale={{
          emptyText: query.isLoading ? (
            ' '
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description="No tokens. Create one for each script, so each can be revoked alone."
            />
          ),
        }}
      >
        <Table.Column<Token> dataIndex="name" title="Name" />
        <Table.Column<Token>
          dataIndex="createdAt"
          title="Created"
          width={120}
          render={(v) => date(v)}
        />
        <Table.Column<Token>
          dataIndex="lastUsedAt"
          title="Last used"
          width={130}
          render={(v) => (v ? <span title={dateTime(v)}>{ago(v)}</span> : 'Never')}
        />
        <Table.Column<Token>
          dataIndex="expiresAt"
          title="Expires"
          width={120}
          render={(v) => (v ? date(v) : 'Never')}
        />
        <Table.Column<Token>
          title=""
          width={90}
          render={(_, t) => (
            <Popconfirm
              title={`Revoke “${t.name}”?`}
              description="Anything using it stops working at once."
              okText="Revoke"
              okButtonProps={{ 'danger': true, 'data-testid': 'token-revoke-confirm' } as any}
              onConfirm={() => revoke(t)}
            >
              <Button size="small" danger data-testid={`token-revoke-${t.id}`}>
                Revoke
              </Button>
            </Popconfirm>
          )}
        />
      </Table>

      <Modal
        open={open}
        title="New access token"
        okText="Create token"
        confirmLoading={saving}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        okButtonProps={{ 'data-testid': 'token-save' } as any}
        destroyOnHidden
      >
        <Form
          form={form}
          name="token"
          layout="vertical"
          onFinish={create}
          initialValues={{ expiresInDays: 90 }}
          preserve={false}
        >
          <Form.Item
            label="Name"
            name="name"
            rules={[
              { required: true, whitespace: true, message: 'Name it after what will use it' },
            ]}
            extra="What uses it, e.g. “CRM sync”."
          >
            <Input maxLength={100} data-testid="token-name" />
          </Form.Item>
          <Form.Item label="Expires after" name="expiresInDays">
            <Select options={EXPIRY} aria-label="Expires after" data-testid="token-expiry" />
          </Form.Item>
          <Form.Item
            label="Your password"
            name="password"
            rules={[{ required: true, message: 'Confirm with your password' }]}
            extra="A token can do what you can, so it needs your password."
          >
            <Input.Password autoComplete="current-password" data-testid="token-password" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={created !== null}
        title={`Token “${created?.name}” created`}
        onOk={() => setCreated(null)}
        onCancel={() => setCreated(null)}
        okText="Done"
        cancelButtonProps={{ style: { display: 'none' } }}
        okButtonProps={{ 'data-testid': 'token-created-done' } as any}
        width={560}
      >
        {created && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="token-created">
            <Alert type="warning" showIcon message="Copy it now: it is shown only this once." />
            <CopyValue value={created.token} label="access token" testId="token-value" secret />
          </Space>
        )}
      </Modal>
    </Card>
  )
}
