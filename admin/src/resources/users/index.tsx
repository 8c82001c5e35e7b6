import { Route } from 'react-router'
import { UserOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'
import { Allowed } from '../../components/not_allowed'

export default {
  resources: [
    {
      name: 'users',
      list: '/users',
      create: '/users/create',
      edit: '/users/:id/edit',
      meta: { label: 'Users', icon: <UserOutlined />, order: 61 },
    },
  ],
  routes: (
    <Route path="users">
      <Route index element={<Allowed resource="users">{page(() => import('./list'))}</Allowed>} />
      <Route
        path="create"
        element={
          <Allowed resource="users" action="create">
            {page(() => import('./create'))}
          </Allowed>
        }
      />
      <Route
        path=":id/edit"
        element={
          <Allowed resource="users" action="edit">
            {page(() => import('./edit'))}
          </Allowed>
        }
      />
    </Route>
  ),
} satisfies ResourceModule
