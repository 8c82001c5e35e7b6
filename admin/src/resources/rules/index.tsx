import { Route } from 'react-router'
import { ThunderboltOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'rules',
      list: '/rules',
      create: '/rules/create',
      edit: '/rules/edit/:id',
      show: '/rules/show/:id',
      meta: { label: 'Rules', icon: <ThunderboltOutlined />, order: 30 },
    },
  ],
  routes: (
    <Route path="/rules">
      <Route index element={page(() => import('./list'))} />
      <Route path="create" element={page(() => import('./create'))} />
      <Route path="edit/:id" element={page(() => import('./edit'))} />
      <Route path="show/:id" element={page(() => import('./show'))} />
    </Route>
  ),
} satisfies ResourceModule
