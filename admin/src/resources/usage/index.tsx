import { LineChartOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'usage',
  { label: 'Usage', icon: <LineChartOutlined />, order: 50 },
  { list: () => import('./usage') }
)
