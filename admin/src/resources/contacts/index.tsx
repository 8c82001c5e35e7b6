import { ContactsOutlined } from '@ant-design/icons'
import { recordResource } from '../../lib/resource'

export default recordResource(
  'contacts',
  { label: 'Contacts', icon: <ContactsOutlined />, order: 20, canDelete: true },
  {
    list: () => import('./list'),
    create: () => import('./create'),
    show: () => import('./show'),
    edit: () => import('./edit'),
  }
)
