import { Route } from 'react-router'
import { DashboardOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'dashboard',
      list: '/',
      meta: { label: 'Dashboard', icon: <DashboardOutlined />, order: 0 },
    },
  ],
  routes: <Route index element={page(() => import('./dashboard'))} />,
} satisfies ResourceModule
