import { Route } from 'react-router'
import { TeamOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'teams',
      list: '/teams',
      create: '/teams/create',
      show: '/teams/:id',
      edit: '/teams/:id/edit',
      meta: { label: 'Teams', icon: <TeamOutlined />, order: 60, canDelete: true },
    },
  ],
  routes: (
    <Route path="teams">
      <Route index element={page(() => import('./list'))} />
      <Route path="create" element={page(() => import('./create'))} />
      <Route path=":id" element={page(() => import('./show'))} />
      <Route path=":id/edit" element={page(() => import('./edit'))} />
    </Route>
  ),
} satisfies ResourceModule
