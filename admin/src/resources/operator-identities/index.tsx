import { Route } from 'react-router'
import { LinkOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'operator-identities',
      list: '/operator-identities',
      meta: { label: 'Operator identities', icon: <LinkOutlined />, order: 64, canDelete: true },
    },
  ],
  routes: <Route path="operator-identities" element={page(() => import('./list'))} />,
} satisfies ResourceModule
