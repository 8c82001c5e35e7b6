import { useEffect, useState } from 'react'
import { DeleteButton, MarkdownField, Show } from '@refinedev/antd'
import { useGo, useShow } from '@refinedev/core'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  List,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import { Link, useParams, useSearchParams } from 'react-router'
import { api } from '../../providers/http'
import type { ApiList } from '../../providers/data_core'
import { bytes, count, dateTime } from '../../lib/format'
import { useTeams } from '../../lib/lookups'
import { NotFound } from '../../components/not_found'
import {
  DocumentSource,
  FormatTag,
  HeadingPath,
  useCollections,
  type Chunk,
  type KnowledgeDocument,
} from './shared'

const CHUNKS_PER_PAGE = 20

/** One document: what it is, and the chunks search ranks, each under its heading path. */
export default function DocumentPage() {
  const { id } = useParams()
  const go = useGo()
  const { query, result: document } = useShow<KnowledgeDocument>({
    resource: 'documents',
    id,
    errorNotification: false,
    // Not found stays not found: answer at once rather than after retries.
    queryOptions: { retry: (failures, error) => error?.statusCode !== 404 && failures < 2 },
  })
  const { byId: collections } = useCollections()
  const { teams, nameOf } = useTeams()

  if (query.isError) return <NotFound />

  const collection = document ? collections.get(document.collectionId!) : undefined
  return (
    <Show
      title={document?.title ?? 'Document'}
      isLoading={query.isLoading}
      canEdit={false}
      headerButtons={() => (
        <Space>
          {document && (
            <Button
              icon={<SearchOutlined />}
              onClick={() =>
                go({
                  to: '/knowledge/search',
                  query: { teamId: document.teamId, collectionId: document.collectionId },
                })
              }
            >
              Search this collection
            </Button>
          )}
          <DeleteButton
            resource="documents"
            recordItemId={id}
            confirmTitle="Delete this document? The assistant stops using it at once."
            confirmOkText="Delete"
            onSuccess={() => go({ to: '/knowledge/documents' })}
            data-testid="document-delete"
          />
        </Space>
      )}
    >
      {document && (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2, xl: 3 }}
            data-testid="document-details"
          >
            <Descriptions.Item label="Collection">
              {collection ? (
                <Link
                  to={`/knowledge/documents?filters[0][field]=collectionId&filters[0][operator]=eq&filters[0][value]=${collection.id}`}
                >
                  {collection.name}
                </Link>
              ) : (
                `#${document.collectionId}`
              )}
              {teams.length > 1 && (
                <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
                  · {nameOf(document.teamId)}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="Source">
              <Space size={4}>
                <FormatTag format={document.format} />
                <DocumentSource document={document} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Size">
              <Tooltip title="The text kept after cleaning">{bytes(document.size)}</Tooltip>
            </Descriptions.Item>
            <Descriptions.Item label="Chunks">{count(document.chunkCount)}</Descriptions.Item>
            <Descriptions.Item label="Created">{dateTime(document.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="Updated">{dateTime(document.updatedAt)}</Descriptions.Item>
            {document.externalId && (
              <Descriptions.Item label="External id">
                <Typography.Text code copyable>
                  {document.externalId}
                </Typography.Text>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Tabs
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'chunks',
                label: `Chunks (${count(document.chunkCount)})`,
                children: <Chunks documentId={document.id!} total={document.chunkCount ?? 0} />,
              },
              {
                key: 'text',
                label: 'Text',
                children: (
                  <Card size="small" data-testid="document-text">
                    {document.content ? (
                      <MarkdownField value={document.content} />
                    ) : (
                      <Typography.Text type="secondary">No text.</Typography.Text>
                    )}
                  </Card>
                ),
              },
            ]}
          />
        </>
      )}
    </Show>
  )
}

/** The chunks in document order; `?chunk=<id>` (from a search hit) is highlighted. */
function Chunks({ documentId, total }: { documentId: number; total: number }) {
  const [params] = useSearchParams()
  const highlighted = Number(params.get('chunk')) || undefined
  const [page, setPage] = useState(1)
  const chunks = useQuery({
    queryKey: ['knowledge-chunks', documentId, page],
    queryFn: () =>
      api<ApiList<Chunk>>('GET', `/knowledge/documents/${documentId}/chunks`, {
        query: { page, perPage: CHUNKS_PER_PAGE },
      }),
    placeholderData: (previous) => previous,
  })

  useEffect(() => {
    if (!highlighted || !chunks.data) return
    document
      .getElementById(`chunk-${highlighted}`)
      ?.scrollIntoView({ behavior: 'smooth', block: 'center' })
  }, [highlighted, chunks.data])

  if (chunks.isError) {
    return <Alert type="error" showIcon message="The chunks could not be loaded." />
  }
  if (chunks.isLoading) return <Skeleton active />
  if (!total) {
    return <Empty description="No chunks: the document has no text search could index." />
  }
  return (
    <List
      data-testid="chunk-list"
      dataSource={chunks.data?.data ?? []}
      loading={chunks.isFetching}
      pagination={
        total > CHUNKS_PER_PAGE
          ? {
              current: page,
              pageSize: CHUNKS_PER_PAGE,
              total,
              onChange: setPage,
              showSizeChanger: false,
            }
          : false
      }
      renderItem={(chunk) => (
        <List.Item
          id={`chunk-${chunk.id}`}
          data-testid="chunk"
          style={
            chunk.id === highlighted
              ? { background: '#fffbe6', borderLeft: '3px solid #faad14', paddingLeft: 12 }
              : undefined
          }
        >
          <Space direction="vertical" size={4} style={{ width: '100%' }}>
            <Space size={8}>
              <Tag>#{chunk.ordinal + 1}</Tag>
              <HeadingPath heading={chunk.heading} />
              {chunk.id === highlighted && <Tag color="gold">Search hit</Tag>}
            </Space>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {chunk.text}
            </Typography.Paragraph>
          </Space>
        </List.Item>
      )}
    />
  )
}
