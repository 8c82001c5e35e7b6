import { DeleteButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd'
import { useGo, type CrudFilter, type HttpError } from '@refinedev/core'
import { Button, Empty, Form, Input, Space, Table, Tooltip, Typography } from 'antd'
import { CloudUploadOutlined, EditOutlined, LinkOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { TeamSelect } from '../../components/team_select'
import { ago, bytes, count, dateTime } from '../../lib/format'
import { useTeams } from '../../lib/lookups'
import { KnowledgeNav } from './nav'
import {
  CollectionSelect,
  DocumentSource,
  FormatTag,
  useCanManageKnowledge,
  useCollections,
  type KnowledgeDocument,
} from './shared'

const valueOf = (filters: CrudFilter[], field: string) =>
  filters.find((f) => 'field' in f && f.field === field)?.value as any

type Filters = { q?: string; teamId?: number; collectionId?: number }

/** The documents of the collections the user sees, filtered by team, collection and title. */
export default function DocumentsPage() {
  const go = useGo()
  const canManage = useCanManageKnowledge()
  const { teams, nameOf } = useTeams()
  const { byId: collections, collections: all, loading: collectionsLoading } = useCollections()
  const severalTeams = teams.length > 1

  const { tableProps, searchFormProps, filters, setFilters, sorters, tableQuery } = useTable<
    KnowledgeDocument,
    HttpError,
    Filters
  >({
    resource: 'documents',
    sorters: { initial: [{ field: 'updatedAt', order: 'desc' }] },
    pagination: { pageSize: 20 },
    onSearch: (values) => [
      { field: 'q', operator: 'eq', value: values.q?.trim() || undefined },
      { field: 'teamId', operator: 'eq', value: values.teamId ?? undefined },
      { field: 'collectionId', operator: 'eq', value: values.collectionId ?? undefined },
    ],
  })
  const teamId = valueOf(filters, 'teamId') as number | undefined
  const collectionId = valueOf(filters, 'collectionId') as number | undefined
  const q = valueOf(filters, 'q') as string | undefined
  const filtered = Boolean(teamId || collectionId || q)
  const form = searchFormProps.form!
  const search = () => form.submit()

  const addLink = (tab: string) => ({
    to: '/knowledge/documents/new',
    query: { tab, ...(collectionId ? { collectionId } : {}) },
  })

  const addButtons = canManage && (
    <Space wrap>
      <Button
        icon={<EditOutlined />}
        onClick={() => go(addLink('write'))}
        data-testid="documents-write"
      >
        Write
      </Button>
      <Button
        icon={<LinkOutlined />}
        onClick={() => go(addLink('url'))}
        data-testid="documents-import-url"
      >
        Import from URL
      </Button>
      <Button
        type="primary"
        icon={<CloudUploadOutlined />}
        onClick={() => go(addLink('upload'))}
        data-testid="documents-upload"
      >
        Upload files
      </Button>
    </Space>
  )

  const noCollections = !collectionsLoading && all.length === 0
  const empty = filtered ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No document matches these filters.">
      <Button
        onClick={() => {
          form.resetFields()
          setFilters([], 'replace')
        }}
      >
        Clear filters
      </Button>
    </Empty>
  ) : noCollections ? (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description="Documents live in collections, and there is none yet."
    >
      {canManage ? (
        <Link to="/knowledge/collections">
          <Button type="primary">Create a collection first</Button>
        </Link>
      ) : (
        <Typography.Text type="secondary">
          A supervisor of your team can add knowledge.
        </Typography.Text>
      )}
    </Empty>
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description="No documents yet. Add help articles, policies or FAQs: the assistant answers from them."
    >
      {canManage ? (
        addButtons
      ) : (
        <Typography.Text type="secondary">
          A supervisor of your team can add knowledge.
        </Typography.Text>
      )}
    </Empty>
  )

  return (
    <List
      title="Documents"
      breadcrumb={<KnowledgeNav active="documents" />}
      headerButtons={addButtons || null}
    >
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="q">
          <Input.Search
            allowClear
            placeholder="Search titles"
            style={{ width: 260 }}
            onSearch={search}
            onChange={(e) => !e.target.value && search()}
            aria-label="Search document titles"
            data-testid="documents-search"
          />
        </Form.Item>
        {severalTeams && (
          <Form.Item name="teamId">
            <TeamSelect
              allowClear
              placeholder="All teams"
              style={{ width: 200 }}
              onChange={() => {
                // A collection of another team would match nothing.
                form.resetFields(['collectionId'])
                search()
              }}
              aria-label="Filter by team"
              data-testid="documents-team-filter"
            />
          </Form.Item>
        )}
        <Form.Item name="collectionId">
          <CollectionSelect
            allowClear
            placeholder="All collections"
            style={{ width: 240 }}
            teamId={teamId}
            onChange={search}
            aria-label="Filter by collection"
            data-testid="documents-collection-filter"
          />
        </Form.Item>
      </Form>
      <Table
        {...tableProps}
        rowKey="id"
        data-testid="documents-table"
        scroll={{ x: 1000 }}
        locale={{ emptyText: () => (tableQuery.isLoading ? ' ' : empty) }}
      >
        <Table.Column<KnowledgeDocument>
          dataIndex="title"
          title="Title"
          sorter
          defaultSortOrder={getDefaultSortOrder('title', sorters)}
          render={(title, record) => (
            <Link to={`/knowledge/documents/${record.id}`} data-testid="document-title">
              {title}
            </Link>
          )}
        />
        <Table.Column<KnowledgeDocument>
          dataIndex="collectionId"
          title="Collection"
          render={(id, record) => (
            <Space direction="vertical" size={0}>
              <span>{collections.get(id)?.name ?? `#${id}`}</span>
              {severalTeams && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {nameOf(record.teamId)}
                </Typography.Text>
              )}
            </Space>
          )}
        />
        <Table.Column<KnowledgeDocument>
          dataIndex="source"
          title="Source"
          width={230}
          render={(_, record) => (
            <Space size={4}>
              <FormatTag format={record.format} />
              <DocumentSource document={record} />
            </Space>
          )}
        />
        <Table.Column<KnowledgeDocument>
          dataIndex="size"
          title={<Tooltip title="Size of the text kept after cleaning">Size</Tooltip>}
          align="right"
          width={90}
          render={(value) => bytes(value)}
        />
        <Table.Column<KnowledgeDocument>
          dataIndex="chunkCount"
          title={<Tooltip title="Passages the search ranks">Chunks</Tooltip>}
          align="right"
          width={96}
          render={(value) => count(value)}
        />
        <Table.Column<KnowledgeDocument>
          dataIndex="updatedAt"
          title="Updated"
          sorter
          defaultSortOrder={getDefaultSortOrder('updatedAt', sorters)}
          width={160}
          render={(value) => <Tooltip title={dateTime(value)}>{ago(value)}</Tooltip>}
        />
        <Table.Column<KnowledgeDocument>
          title="Actions"
          fixed="right"
          width={canManage ? 110 : 60}
          render={(_, record) => (
            <Space>
              <ShowButton
                size="small"
                hideText
                resource="documents"
                recordItemId={record.id}
                aria-label={`Open ${record.title}`}
              />
              <DeleteButton
                size="small"
                hideText
                resource="documents"
                recordItemId={record.id}
                confirmTitle={`Delete “${record.title}”? The assistant stops using it at once.`}
                confirmOkText="Delete"
                aria-label={`Delete ${record.title}`}
                data-testid={`document-delete-${record.id}`}
                successNotification={{ type: 'success', message: `“${record.title}” deleted` }}
              />
            </Space>
          )}
        />
      </Table>
    </List>
  )
}
