import { useGetIdentity, useLogout } from '@refinedev/core'
import { Avatar, Button, Dropdown, Layout, Space, Typography } from 'antd'
import { LogoutOutlined, UserOutlined } from '@ant-design/icons'
import { Link } from 'react-router'

export function Title({ collapsed }: { collapsed: boolean }) {
  return (
    <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, fontWeight: 600 }}>
      <span aria-hidden style={{ fontSize: 20 }}>
        ☎
      </span>
      {collapsed ? null : <span>Switchboard</span>}
    </Link>
  )
}

/** The top bar: who is signed in, their account, sign out. */
export function Header() {
  const { data: user } = useGetIdentity<{ name: string; email: string; role: string }>()
  const { mutate: logout } = useLogout()
  return (
    <Layout.Header
      style={{
        background: '#fff',
        display: 'flex',
        justifyContent: 'flex-end',
        alignItems: 'center',
        padding: '0 16px',
        height: 56,
        borderBottom: '1px solid #f0f0f0',
      }}
    >
      <Dropdown
        menu={{
          items: [
            { key: 'account', label: <Link to="/account">My account</Link>, icon: <UserOutlined /> },
            {
              key: 'logout',
              label: 'Sign out',
              icon: <LogoutOutlined />,
              onClick: () => logout(),
            },
          ],
        }}
      >
        <Button type="text" aria-label="Account menu">
          <Space>
            <Avatar size="small" icon={<UserOutlined />} />
            <Typography.Text>{user?.name}</Typography.Text>
            <Typography.Text type="secondary">{user?.role}</Typography.Text>
          </Space>
        </Button>
      </Dropdown>
    </Layout.Header>
  )
}
