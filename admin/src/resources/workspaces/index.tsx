import { SlackOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'workspaces',
  { label: 'Operator workspaces', icon: <SlackOutlined />, order: 63, canDelete: true },
  {
    list: () => import('./list'),
    create: () => import('./create'),
    edit: () => import('./edit'),
  }
)
