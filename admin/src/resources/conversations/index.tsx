import { MessageOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'conversations',
  { label: 'Conversations', icon: <MessageOutlined />, order: 10 },
  { list: () => import('./inbox'), show: () => import('./conversation') }
)
