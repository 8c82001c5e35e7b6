import { Route } from 'react-router'
import { MessageOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'conversations',
      list: '/conversations',
      show: '/conversations/:id',
      meta: { label: 'Conversations', icon: <MessageOutlined />, order: 10 },
    },
  ],
  routes: (
    <Route path="conversations">
      <Route index element={page(() => import('./inbox'))} />
      <Route path=":id" element={page(() => import('./conversation'))} />
    </Route>
  ),
} satisfies ResourceModule
