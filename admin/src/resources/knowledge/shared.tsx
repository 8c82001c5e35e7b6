import { useMemo } from 'react'
import { useCan, useList } from '@refinedev/core'
import { Select, Space, Tag, Tooltip, Typography, type SelectProps } from 'antd'
import { FileTextOutlined, GlobalOutlined, EditOutlined } from '@ant-design/icons'
import type { Schemas } from '../../api/types'
import { useTeams } from '../../lib/lookups'

export type Collection = Schemas['KnowledgeCollection']
export type KnowledgeDocument = Schemas['KnowledgeDocument']
export type Chunk = Schemas['KnowledgeChunk']
export type Hit = Schemas['KnowledgeHit']

/** What the upload endpoint accepts (server/knowledge/extract.ts) and its size limit. */
export const FILE_EXTENSIONS = ['md', 'markdown', 'txt', 'text', 'html', 'htm', 'pdf']
export const MAX_FILE_BYTES = 20 * 1024 * 1024

/** Supervisors and admins change knowledge; operators only read it. */
export function useCanManageKnowledge(): boolean {
  const { data } = useCan({ resource: 'documents', action: 'create' })
  return data?.can === true
}

/** Every collection the user can see, for pickers and for naming collection ids. */
export function useCollections(teamId?: number) {
  const { result, query } = useList<Collection>({
    resource: 'collections',
    pagination: { currentPage: 1, pageSize: 100 },
    sorters: [{ field: 'name', order: 'asc' }],
    filters: teamId ? [{ field: 'teamId', operator: 'eq', value: teamId }] : [],
    meta: { path: 'knowledge/collections' },
  })
  const collections = result.data
  const byId = useMemo(() => new Map(collections.map((c) => [c.id!, c])), [collections])
  return { collections, byId, loading: query.isLoading }
}

/**
 * A collection picker; with more than one team the collections are grouped
 * under their team's name, since two teams may both have a "Help centre".
 */
export function CollectionSelect(
  props: SelectProps<number> & { 'teamId'?: number; 'data-testid'?: string }
) {
  const { teamId, ...rest } = props
  const { collections, loading } = useCollections(teamId)
  const { teams, nameOf } = useTeams()
  const grouped = teams.length > 1 && !teamId
  const options = grouped
    ? teams
        .map((team) => ({
          label: team.name,
          title: team.name,
          options: collections
            .filter((c) => c.teamId === team.id)
            .map((c) => ({ value: c.id!, label: c.name })),
        }))
        .filter((group) => group.options.length > 0)
    : collections.map((c) => ({
        value: c.id!,
        label: teams.length > 1 ? `${c.name} (${nameOf(c.teamId)})` : c.name,
      }))
  return (
    <Select<number>
      showSearch
      optionFilterProp="label"
      loading={loading}
      placeholder="Choose a collection"
      notFoundContent={loading ? 'Loading…' : 'No collections yet'}
      options={options as SelectProps<number>['options']}
      {...rest}
    />
  )
}

/** "Billing › Refunds" as a path the eye can follow. */
export function HeadingPath({ heading }: { heading: string | null | undefined }) {
  if (!heading) {
    return (
      <Tooltip title="Text before the document's first section heading">
        <Typography.Text type="secondary">No heading</Typography.Text>
      </Tooltip>
    )
  }
  const parts = heading.split(' › ')
  return (
    <span data-testid="heading-path" aria-label={`Heading path: ${parts.join(', ')}`}>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && <Typography.Text type="secondary"> › </Typography.Text>}
          <Typography.Text strong={i === parts.length - 1}>{part}</Typography.Text>
        </span>
      ))}
    </span>
  )
}

/** Where a document came from: written here, an uploaded file or a fetched page. */
export function DocumentSource({ document }: { document: KnowledgeDocument }) {
  if (document.source === 'url' && document.sourceUrl) {
    return (
      <Tooltip title={document.sourceUrl}>
        <Space size={4}>
          <GlobalOutlined />
          <Typography.Link href={document.sourceUrl} target="_blank" rel="noreferrer" ellipsis>
            {hostOf(document.sourceUrl)}
          </Typography.Link>
        </Space>
      </Tooltip>
    )
  }
  if (document.source === 'file') {
    return (
      <Space size={4}>
        <FileTextOutlined />
        <Typography.Text ellipsis={{ tooltip: document.filename }} style={{ maxWidth: 180 }}>
          {document.filename ?? 'Uploaded file'}
        </Typography.Text>
      </Space>
    )
  }
  return (
    <Space size={4}>
      <EditOutlined />
      <span>{document.externalId ? 'Imported' : 'Written'}</span>
    </Space>
  )
}

const FORMAT_LABEL: Record<string, string> = {
  markdown: 'Markdown',
  text: 'Text',
  html: 'HTML',
  pdf: 'PDF',
}

export function FormatTag({ format }: { format: string | undefined }) {
  return <Tag>{FORMAT_LABEL[format ?? ''] ?? format ?? '—'}</Tag>
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
