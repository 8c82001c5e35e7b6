import { Route } from 'react-router'
import { SlackOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'workspaces',
      list: '/workspaces',
      create: '/workspaces/create',
      edit: '/workspaces/:id/edit',
      meta: { label: 'Operator workspaces', icon: <SlackOutlined />, order: 63, canDelete: true },
    },
  ],
  routes: (
    <Route path="workspaces">
      <Route index element={page(() => import('./list'))} />
      <Route path="create" element={page(() => import('./create'))} />
      <Route path=":id/edit" element={page(() => import('./edit'))} />
    </Route>
  ),
} satisfies ResourceModule
