import { LinkOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'operator-identities',
  { label: 'Operator identities', icon: <LinkOutlined />, order: 64, canDelete: true },
  { list: () => import('./list') }
)
