import { Segmented } from 'antd'
import { FileTextOutlined, FolderOutlined, SearchOutlined } from '@ant-design/icons'
import { useNavigate } from 'react-router'

type Section = 'documents' | 'collections' | 'search'

const SECTIONS = [
  { value: 'documents', label: 'Documents', icon: <FileTextOutlined /> },
  { value: 'collections', label: 'Collections', icon: <FolderOutlined /> },
  { value: 'search', label: 'Search playground', icon: <SearchOutlined /> },
]

/** The knowledge base's three places, one click apart whatever the menu shows. */
export function KnowledgeNav({ active }: { active?: Section }) {
  const navigate = useNavigate()
  return (
    <Segmented
      size="small"
      value={active}
      options={SECTIONS}
      onChange={(value) => navigate(`/knowledge/${value}`)}
      aria-label="Knowledge sections"
      data-testid="knowledge-nav"
      style={{ marginBottom: 4 }}
    />
  )
}
