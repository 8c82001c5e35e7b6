import { Alert, App, Space, Tag, Typography } from 'antd'
import type { User } from '../../api/types'
import { CopyValue } from '../../components/copy_value'

export const ROLES = [
  {
    value: 'operator',
    label: 'Operator',
    help: 'Answers conversations and edits contacts in their teams.',
  },
  {
    value: 'supervisor',
    label: 'Supervisor',
    help: 'Also manages their teams: members, settings, channels, rules.',
  },
  {
    value: 'admin',
    label: 'Admin',
    help: 'Everything, in every team, including users and the audit log.',
  },
] as const

export type Role = (typeof ROLES)[number]['value']

const COLORS: Record<string, string> = {
  admin: 'magenta',
  supervisor: 'geekblue',
  operator: 'default',
}

export function RoleTag({ role }: { role?: string }) {
  return <Tag color={COLORS[role ?? ''] ?? 'default'}>{role}</Tag>
}

export function StatusTag({ user }: { user: User }) {
  return user.disabled ? <Tag color="red">Disabled</Tag> : <Tag color="green">Active</Tag>
}

/** A random password for a new account or a reset: 16 characters from an unambiguous alphabet. */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const bytes = crypto.getRandomValues(new Uint32Array(length))
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

/** The password just set, shown once: nobody can read it again afterwards. */
export function showPasswordOnce(
  modal: ReturnType<typeof App.useApp>['modal'],
  opts: { email: string; password: string; onClose?: () => void; title?: string }
) {
  modal.success({
    title: opts.title ?? 'Password set',
    width: 520,
    content: (
      <Space direction="vertical" style={{ width: '100%' }} data-testid="password-once">
        <Typography.Text>
          Give <Typography.Text strong>{opts.email}</Typography.Text> this password. It is shown
          only now; they can change it under My account.
        </Typography.Text>
        <CopyValue value={opts.password} label="password" testId="password-once-value" secret />
        <Alert type="warning" showIcon message="Copy it before closing this message." />
      </Space>
    ),
    okText: 'Done',
    okButtonProps: { 'data-testid': 'password-once-done' } as any,
    onOk: opts.onClose,
  })
}
