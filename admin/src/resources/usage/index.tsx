import { Route } from 'react-router'
import { LineChartOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'usage',
      list: '/usage',
      meta: { label: 'Usage', icon: <LineChartOutlined />, order: 50 },
    },
  ],
  routes: <Route path="usage" element={page(() => import('./usage'))} />,
} satisfies ResourceModule
