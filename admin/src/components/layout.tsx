import { useState, type ReactNode } from 'react'
import { useGetIdentity, useLogout, useMenu, type TreeMenuItem } from '@refinedev/core'
import { Avatar, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd'
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { allowed } from '../providers/access_rules'
import type { Me } from '../providers/session'

/*
| The panel's frame: a menu of the resources the role may use, and a top bar
| with the account menu. Built on antd's Layout and Refine's useMenu rather
| than @refinedev/antd's ThemedLayout, so the first load carries only what
| the frame needs; the CRUD components arrive with the pages that use them.
*/

function Brand() {
  return (
    <Link
      to="/"
      style={{ display: 'flex', alignItems: 'center', gap: 8, fontWeight: 600, fontSize: 16 }}
    >
      <span aria-hidden style={{ fontSize: 20 }}>
        ☎
      </span>
      <span>Switchboard</span>
    </Link>
  )
}

function menuItems(items: TreeMenuItem[], role: Me['role'] | undefined): any[] {
  return items
    .filter((item) => allowed(role, item.name, 'list'))
    .map((item) => {
      const label = item.meta?.label ?? item.label ?? item.name
      const children = menuItems(item.children ?? [], role)
      // A resource with children (Knowledge) is a sub-menu of the pages under it.
      if (children.length) return { key: item.key, icon: item.meta?.icon, label, children }
      return {
        key: item.key,
        icon: item.meta?.icon,
        label: <Link to={item.route ?? '/'}>{label}</Link>,
      }
    })
}

function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { menuItems: items, selectedKey, defaultOpenKeys } = useMenu()
  const { data: user } = useGetIdentity<Me>()
  return (
    <Menu
      mode="inline"
      aria-label="Main menu"
      selectedKeys={[selectedKey]}
      defaultOpenKeys={defaultOpenKeys}
      items={menuItems(items, user?.role)}
      onClick={onNavigate}
      style={{ borderInlineEnd: 0 }}
    />
  )
}

function AccountMenu() {
  const { data: user } = useGetIdentity<Me & { name: string }>()
  const { mutate: logout } = useLogout()
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'account', label: <Link to="/account">My account</Link>, icon: <UserOutlined /> },
          { key: 'logout', label: 'Sign out', icon: <LogoutOutlined />, onClick: () => logout() },
        ],
      }}
    >
      <Button type="text" aria-label="Account menu">
        <Space>
          <Avatar size="small" icon={<UserOutlined />} />
          <Typography.Text style={{ whiteSpace: 'nowrap' }}>{user?.name}</Typography.Text>
          <Typography.Text type="secondary">{user?.role}</Typography.Text>
        </Space>
      </Button>
    </Dropdown>
  )
}

export function PanelLayout({ children }: { children: ReactNode }) {
  const screens = Grid.useBreakpoint()
  const narrow = !screens.lg
  const [open, setOpen] = useState(false)
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {narrow ? (
        <Drawer
          placement="left"
          open={open}
          onClose={() => setOpen(false)}
          width={240}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
        >
          <SideMenu onNavigate={() => setOpen(false)} />
        </Drawer>
      ) : (
        <Layout.Sider
          width={220}
          theme="light"
          style={{
            borderInlineEnd: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            height: '100vh',
            overflow: 'auto',
          }}
        >
          <div style={{ padding: '16px 24px' }}>
            <Brand />
          </div>
          <SideMenu />
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            display: 'flex',
            alignItems: 'center',
            justifyContent: narrow ? 'space-between' : 'flex-end',
            padding: '0 16px',
            height: 56,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          {narrow ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label="Open the menu"
              onClick={() => setOpen(true)}
            />
          ) : null}
          <AccountMenu />
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
