import { Navigate, Route } from 'react-router'
import { BookOutlined, FileTextOutlined, FolderOutlined, SearchOutlined } from '@ant-design/icons'
import { page, type ResourceModule } from '../../lib/resource'

export default {
  resources: [
    {
      name: 'knowledge',
      list: '/knowledge',
      meta: { label: 'Knowledge', icon: <BookOutlined />, order: 40 },
    },
    {
      name: 'documents',
      list: '/knowledge/documents',
      create: '/knowledge/documents/new',
      show: '/knowledge/documents/:id',
      meta: {
        parent: 'knowledge',
        label: 'Documents',
        icon: <FileTextOutlined />,
        path: 'knowledge/documents',
        order: 41,
      },
    },
    {
      name: 'collections',
      list: '/knowledge/collections',
      meta: {
        parent: 'knowledge',
        label: 'Collections',
        icon: <FolderOutlined />,
        path: 'knowledge/collections',
        order: 42,
      },
    },
    {
      name: 'search',
      list: '/knowledge/search',
      meta: { parent: 'knowledge', label: 'Search', icon: <SearchOutlined />, order: 43 },
    },
  ],
  routes: (
    <Route path="knowledge">
      <Route index element={<Navigate to="documents" replace />} />
      <Route path="documents">
        <Route index element={page(() => import('./documents'))} />
        <Route path="new" element={page(() => import('./add'))} />
        <Route path=":id" element={page(() => import('./document'))} />
      </Route>
      <Route path="collections" element={page(() => import('./collections'))} />
      <Route path="search" element={page(() => import('./search'))} />
    </Route>
  ),
} satisfies ResourceModule
