import { Route } from 'react-router'
import { AuditOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'
import { Allowed } from '../../components/not_allowed'

export default {
  resources: [
    {
      name: 'audit-logs',
      list: '/audit-logs',
      meta: { label: 'Audit log', icon: <AuditOutlined />, order: 70 },
    },
  ],
  routes: (
    <Route
      path="audit-logs"
      element={<Allowed resource="audit-logs">{page(() => import('./list'))}</Allowed>}
    />
  ),
} satisfies ResourceModule
