import { useEffect, useState } from 'react'
import { useInvalidateAuthStore, type HttpError } from '@refinedev/core'
import { App, Button, Card, Col, Form, Input, Row, Skeleton, Typography } from 'antd'
import { api } from '../../providers/http'
import { me, rememberMe, type Me } from '../../providers/session'
import { showFieldErrors } from '../../lib/form_errors'
import { AccessTokens } from './tokens'
import { LoginHistory } from './logins'

type ProfileForm = { fullName?: string; email: string; currentPassword?: string }
type PasswordForm = { currentPassword: string; password: string; confirm: string }

function Profile({ user, onSaved }: { user: Me; onSaved: (u: Me) => void }) {
  const { message, notification } = App.useApp()
  const [form] = Form.useForm<ProfileForm>()
  const [saving, setSaving] = useState(false)
  const email = Form.useWatch('email', form)
  const emailChanged = (email ?? user.email).trim().toLowerCase() !== user.email

  const save = async (values: ProfileForm) => {
    setSaving(true)
    try {
      const body = await api<{ data: Me }>('PATCH', '/me', {
        body: {
          fullName: values.fullName?.trim() || null,
          email: values.email.trim(),
          ...(emailChanged ? { currentPassword: values.currentPassword } : {}),
        },
      })
      form.setFieldsValue({ currentPassword: undefined })
      onSaved(body.data)
      message.success('Profile saved')
    } catch (error) {
      const rest = showFieldErrors(form, error)
      if (rest) notification.error({ message: 'The profile was not saved', description: rest })
    } finally {
      setSaving(false)
    }
  }

  return (
    <Card title="Profile" size="small" data-testid="account-profile">
      <Form
        form={form}
        name="profile"
        layout="vertical"
        onFinish={save}
        initialValues={{ fullName: user.fullName ?? '', email: user.email }}
      >
        <Form.Item
          label="Name"
          name="fullName"
          extra="Shown to your team and, in operator workspaces, with your replies."
        >
          <Input maxLength={200} data-testid="account-name" />
        </Form.Item>
        <Form.Item
          label="Email"
          name="email"
          rules={[
            { required: true, message: 'Enter your email' },
            { type: 'email', message: 'This is not an email address' },
          ]}
          extra="You sign in with it."
        >
          <Input data-testid="account-email" autoComplete="email" />
        </Form.Item>
        {emailChanged && (
          <Form.Item
            label="Current password"
            name="currentPassword"
            rules={[{ required: true, message: 'Confirm the change with your password' }]}
            extra="A new email needs your password."
          >
            <Input.Password autoComplete="current-password" data-testid="account-email-password" />
          </Form.Item>
        )}
        <Button
          type="primary"
          htmlType="submit"
          loading={saving}
          data-testid="account-profile-save"
        >
          Save profile
        </Button>
      </Form>
    </Card>
  )
}

function Password() {
  const { message, notification } = App.useApp()
  const [form] = Form.useForm<PasswordForm>()
  const [saving, setSaving] = useState(false)

  const save = async (values: PasswordForm) => {
    setSaving(true)
    try {
      await api('PATCH', '/me', {
        body: { currentPassword: values.currentPassword, password: values.password },
      })
      form.resetFields()
      message.success('Password changed. Your other sessions were signed out.')
    } catch (error) {
      const rest = showFieldErrors(form, error)
      if (rest) notification.error({ message: 'The password was not changed', description: rest })
    } finally {
      setSaving(false)
    }
  }

  return (
    <Card title="Password" size="small" data-testid="account-password">
      <Form form={form} name="password" layout="vertical" onFinish={save}>
        <Form.Item
          label="Current password"
          name="currentPassword"
          rules={[{ required: true, message: 'Enter your current password' }]}
        >
          <Input.Password autoComplete="current-password" data-testid="account-current-password" />
        </Form.Item>
        <Form.Item
          label="New password"
          name="password"
          rules={[
            { required: true, message: 'Choose a new password' },
            { min: 8, message: 'At least 8 characters' },
            { max: 128, message: 'At most 128 characters' },
          ]}
          extra="At least 8 characters. Other browsers signed in as you are signed out."
        >
          <Input.Password autoComplete="new-password" data-testid="account-new-password" />
        </Form.Item>
        <Form.Item
          label="Repeat the new password"
          name="confirm"
          dependencies={['password']}
          rules={[
            { required: true, message: 'Type the new password again' },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error('The two passwords differ')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="account-confirm-password" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={saving}
          data-testid="account-password-save"
        >
          Change password
        </Button>
      </Form>
    </Card>
  )
}

/** The signed-in user's own account: profile, password, access tokens, sign-ins. */
export default function AccountPage() {
  const invalidateAuth = useInvalidateAuthStore()
  const [user, setUser] = useState<Me | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    me().then(setUser, (e: HttpError) => setError(e.message))
  }, [])

  const saved = (next: Me) => {
    rememberMe(next)
    setUser(next)
    void invalidateAuth()
  }

  return (
    <div style={{ padding: '0 0 24px' }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        My account
      </Typography.Title>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {!user ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <Row gutter={[16, 16]}>
              <Col span={24}>
                <Profile key={user.email} user={user} onSaved={saved} />
              </Col>
              <Col span={24}>
                <Password />
              </Col>
            </Row>
          </Col>
          <Col xs={24} lg={14}>
            <AccessTokens email={user.email} />
          </Col>
          <Col span={24}>
            <LoginHistory />
          </Col>
        </Row>
      )}
    </div>
  )
}
