import { Route } from 'react-router'
import { ContactsOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'contacts',
      list: '/contacts',
      create: '/contacts/create',
      show: '/contacts/:id',
      edit: '/contacts/:id/edit',
      meta: { label: 'Contacts', icon: <ContactsOutlined />, order: 20, canDelete: true },
    },
  ],
  routes: (
    <Route path="contacts">
      <Route index element={page(() => import('./list'))} />
      <Route path="create" element={page(() => import('./create'))} />
      <Route path=":id" element={page(() => import('./show'))} />
      <Route path=":id/edit" element={page(() => import('./edit'))} />
    </Route>
  ),
} satisfies ResourceModule
