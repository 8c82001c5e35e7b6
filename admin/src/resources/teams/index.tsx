import { TeamOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'teams',
  { label: 'Teams', icon: <TeamOutlined />, order: 60, canDelete: true },
  {
    list: () => import('./list'),
    create: () => import('./create'),
    show: () => import('./show'),
    edit: () => import('./edit'),
  }
)
