import { Route } from 'react-router'
import { UserOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'account',
      list: '/account',
      // Reached from the header's account menu, not the sidebar.
      meta: { label: 'My account', icon: <UserOutlined />, hide: true, order: 99 },
    },
  ],
  routes: <Route path="account" element={page(() => import('./account'))} />,
} satisfies ResourceModule
