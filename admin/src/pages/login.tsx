import { useLogin } from '@refinedev/core'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useSearchParams } from 'react-router'

/**
 * Sign-in. Errors stay on the form (a wrong password, the lockout with its
 * wait); after sign-in the user lands where they were sent from.
 */
export default function LoginPage() {
  const [params] = useSearchParams()
  const { mutate: login, isPending, error, data } = useLogin<{
    email: string
    password: string
    to?: string
  }>()
  const failure = data && !data.success ? data.error : error
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: '#f0f2f5',
        padding: 16,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          Switchboard
        </Typography.Title>
        <Typography.Paragraph type="secondary">Sign in to the support desk.</Typography.Paragraph>
        {failure ? (
          <Alert
            type="error"
            role="alert"
            showIcon
            style={{ marginBottom: 16 }}
            message={failure.name}
            description={failure.message}
          />
        ) : null}
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(values: { email: string; password: string }) =>
            login({ ...values, to: params.get('to') ?? undefined })
          }
        >
          <Form.Item
            label="Email"
            name="email"
            rules={[{ required: true, type: 'email', message: 'Enter your email address' }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label="Password"
            name="password"
            rules={[{ required: true, message: 'Enter your password' }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={isPending}>
            Sign in
          </Button>
        </Form>
      </Card>
    </div>
  )
}
