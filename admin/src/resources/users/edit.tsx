import { useEffect, useState } from 'react'
import { Edit, useForm } from '@refinedev/antd'
import { useGo, useInvalidate, type HttpError } from '@refinedev/core'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Popconfirm,
  Row,
  Space,
  Typography,
} from 'antd'
import type { User } from '../../api/types'
import { api } from '../../providers/http'
import { me } from '../../providers/session'
import { dateTime } from '../../lib/format'
import { conflictOnField, showFieldErrors, unlessConflict } from '../../lib/form_errors'
import { userName } from '../../lib/lookups'
import { AccountFields, PasswordField } from './fields'
import { StatusTag, showPasswordOnce } from './shared'

type UserForm = {
  email: string
  fullName?: string | null
  role: string
  teamIds?: number[]
}

/** Name, email, role and teams (teams through the memberships API); a new password; disable. */
export default function UserEdit() {
  const { message, notification } = App.useApp()
  const go = useGo()
  const invalidate = useInvalidate()
  const [myId, setMyId] = useState<number>()
  useEffect(() => void me().then((u) => setMyId(u?.id)), [])

  const { formProps, saveButtonProps, onFinish, query, id, form } = useForm<
    User,
    HttpError,
    UserForm
  >({
    action: 'edit',
    successNotification: (data) => ({ type: 'success', message: `${data?.data?.email} saved` }),
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(form, 'email', error),
    redirect: false,
    queryOptions: {
      select: (data) => ({
        ...data,
        data: { ...data.data, teamIds: (data.data.teams ?? []).map((t) => t.id) } as User,
      }),
    },
  })
  const user = query?.data?.data
  const self = user?.id !== undefined && user.id === myId

  const submit = async (values: UserForm) => {
    const { teamIds = [], ...fields } = values
    const before = (user?.teams ?? []).map((t) => t.id!)
    try {
      await onFinish({ ...fields, fullName: fields.fullName || null })
    } catch {
      return // the fields show what is wrong
    }
    const added = teamIds.filter((t) => !before.includes(t))
    const removed = before.filter((t) => !teamIds.includes(t))
    const failures: string[] = []
    for (const teamId of added) {
      await api('POST', `/teams/${teamId}/members`, { body: { userId: id } }).catch(
        (e: HttpError) => failures.push(e.message)
      )
    }
    for (const teamId of removed) {
      await api('DELETE', `/teams/${teamId}/members/${id}`).catch((e: HttpError) =>
        failures.push(e.message)
      )
    }
    if (added.length || removed.length) {
      invalidate({ resource: 'users', invalidates: ['list', 'detail'], id })
      invalidate({ resource: 'teams', invalidates: ['list'] })
    }
    if (failures.length) {
      notification.error({ message: 'Some team changes failed', description: failures.join(' ') })
      return
    }
    go({ to: '/users' })
  }

  const toggle = async () => {
    if (!user) return
    try {
      await api('PATCH', `/users/${id}`, { body: { disabled: !user.disabled } })
      message.success(`${userName(user)} ${user.disabled ? 'enabled' : 'disabled'}`)
      invalidate({ resource: 'users', invalidates: ['list', 'detail'], id })
    } catch (error) {
      notification.error({
        message: 'Could not change the account',
        description: (error as HttpError).message,
      })
    }
  }

  return (
    <Edit
      title={user ? `Edit ${userName(user)}` : 'Edit user'}
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'user-save' } as any}
      canDelete={false}
    >
      <Row gutter={32}>
        <Col xs={24} lg={14}>
          <Form {...formProps} onFinish={submit} layout="vertical">
            <AccountFields selfEdit={self} />
          </Form>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            {user && (
              <Card size="small" title="Account">
                <Descriptions column={1} size="small">
                  <Descriptions.Item label="Status">
                    <StatusTag user={user} />
                  </Descriptions.Item>
                  <Descriptions.Item label="Last sign-in">
                    {dateTime(user.lastLoginAt)}
                  </Descriptions.Item>
                  <Descriptions.Item label="Created">{dateTime(user.createdAt)}</Descriptions.Item>
                </Descriptions>
                {!self && (
                  <Popconfirm
                    title={
                      user.disabled ? `Enable ${userName(user)}?` : `Disable ${userName(user)}?`
                    }
                    description={
                      user.disabled
                        ? 'They can sign in again with their password.'
                        : 'They are signed out at once and their access tokens are revoked.'
                    }
                    okText={user.disabled ? 'Enable' : 'Disable'}
                    okButtonProps={
                      { 'danger': !user.disabled, 'data-testid': 'user-toggle-confirm' } as any
                    }
                    onConfirm={toggle}
                  >
                    <Button danger={!user.disabled} data-testid="user-toggle">
                      {user.disabled ? 'Enable account' : 'Disable account'}
                    </Button>
                  </Popconfirm>
                )}
              </Card>
            )}
            {self ? (
              <Card size="small" title="Your password">
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  Change your own password under My account: it asks for the current one.
                </Typography.Paragraph>
              </Card>
            ) : (
              user && <SetPassword user={user} />
            )}
          </Space>
        </Col>
      </Row>
    </Edit>
  )
}

/** A new password for someone else, typed or generated, shown once to pass on. */
function SetPassword({ user }: { user: User }) {
  const { modal, notification } = App.useApp()
  const [passwordForm] = Form.useForm<{ password: string }>()
  const [savingPassword, setSavingPassword] = useState(false)
  const setPassword = async ({ password }: { password: string }) => {
    setSavingPassword(true)
    try {
      await api('PATCH', `/users/${user.id}`, { body: { password } })
      passwordForm.resetFields()
      showPasswordOnce(modal, { email: user.email ?? '', password, title: 'New password set' })
    } catch (error) {
      const rest = showFieldErrors(passwordForm, error)
      if (rest) notification.error({ message: 'The password was not changed', description: rest })
    } finally {
      setSavingPassword(false)
    }
  }
  return (
    <Card size="small" title="Set a new password">
      <Form form={passwordForm} name="set-password" layout="vertical" onFinish={setPassword}>
        <PasswordField
          form={passwordForm}
          label="New password"
          required
          extra="Shown once after saving, to pass on. Their old password stops working."
        />
        <Button htmlType="submit" loading={savingPassword} data-testid="user-password-save">
          Set password
        </Button>
      </Form>
    </Card>
  )
}
