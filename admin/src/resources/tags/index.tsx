import { TagsOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'tags',
  { label: 'Tags', icon: <TagsOutlined />, order: 65, canDelete: true },
  { list: () => import('./list') }
)
