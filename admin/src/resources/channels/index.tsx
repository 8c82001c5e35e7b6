import { Route } from 'react-router'
import { ApiOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'channels',
      list: '/channels',
      create: '/channels/create',
      show: '/channels/:id',
      edit: '/channels/:id/edit',
      meta: { label: 'Channels', icon: <ApiOutlined />, order: 62, canDelete: true },
    },
  ],
  routes: (
    <Route path="channels">
      <Route index element={page(() => import('./list'))} />
      <Route path="create" element={page(() => import('./create'))} />
      <Route path=":id" element={page(() => import('./show'))} />
      <Route path=":id/edit" element={page(() => import('./edit'))} />
    </Route>
  ),
} satisfies ResourceModule
