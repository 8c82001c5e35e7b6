import { useRef } from 'react'
import { Create, useForm } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { App, Form, Input } from 'antd'
import { conflictOnField, unlessConflict } from '../../lib/form_errors'
import type { User } from '../../api/types'
import { AccountFields } from './fields'
import { generatePassword, showPasswordOnce } from './shared'

type UserForm = {
  email: string
  fullName?: string
  role: string
  teamIds?: number[]
  password?: string
}

export default function UserCreate() {
  const { modal } = App.useApp()
  const go = useGo()
  const generated = useRef(false)
  const { formProps, saveButtonProps, onFinish, form } = useForm<User, any, UserForm>({
    resource: 'users',
    action: 'create',
    errorNotification: unlessConflict,
    onMutationError: (error) => conflictOnField(form, 'email', error),
    redirect: false,
    successNotification: (data) => ({ type: 'success', message: `${data?.data?.email} created` }),
    onMutationSuccess: (data, variables) => {
      const toList = () => go({ to: '/users' })
      if (generated.current && variables.password) {
        showPasswordOnce(modal, {
          email: data.data.email ?? variables.email,
          password: variables.password,
          title: 'Account created',
          onClose: toList,
        })
      } else toList()
    },
  })

  const submit = (values: UserForm) => {
    generated.current = !values.password
    const password = values.password || generatePassword()
    return onFinish({ ...values, fullName: values.fullName || undefined, password }).catch(
      () => undefined
    )
  }

  return (
    <Create
      title="New user"
      saveButtonProps={{ ...saveButtonProps, 'data-testid': 'user-save' } as any}
    >
      <Form
        {...formProps}
        onFinish={submit}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={{ role: 'operator', teamIds: [] }}
      >
        <AccountFields />
        <Form.Item
          label="Password"
          name="password"
          rules={[
            { min: 8, message: 'At least 8 characters' },
            { max: 128, message: 'At most 128 characters' },
          ]}
          extra="Leave empty to generate one; it is shown once after saving."
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
      </Form>
    </Create>
  )
}
