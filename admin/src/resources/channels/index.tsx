import { ApiOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'channels',
  { label: 'Channels', icon: <ApiOutlined />, order: 62, canDelete: true },
  {
    list: () => import('./list'),
    create: () => import('./create'),
    show: () => import('./show'),
    edit: () => import('./edit'),
  }
)
