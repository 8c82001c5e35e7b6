import { Route } from 'react-router'
import { TagsOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'tags',
      list: '/tags',
      meta: { label: 'Tags', icon: <TagsOutlined />, order: 65, canDelete: true },
    },
  ],
  routes: <Route path="tags" element={page(() => import('./list'))} />,
} satisfies ResourceModule
