import { useMemo } from 'react'
import { useGetIdentity, type CrudFilter } from '@refinedev/core'
import { List, useTable } from '@refinedev/antd'
import { Link, useNavigate } from 'react-router'
import { Alert, Button, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd'
import { PaperClipOutlined, ReloadOutlined } from '@ant-design/icons'
import type { Conversation } from '../../api/types'
import {
  OwnerTag,
  PriorityTag,
  StatusTag,
  ownerOptions,
  statusOptions,
} from '../../components/conversation_labels'
import { RelativeTime } from '../../components/relative_time'
import { useChannels, useTags, useTeams, useUsers, userName } from '../../lib/lookups'
import { useSearchBox } from '../../lib/filters'
import { previewAuthor, previewText } from './parts'

const SORTS = [
  { value: '-lastMessageAt', label: 'Latest activity first' },
  { value: 'lastMessageAt', label: 'Oldest activity first' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
]

const FILTER_FIELDS = ['q', 'status', 'owner', 'teamId', 'assigneeId', 'tag', 'channelId'] as const
type FilterField = (typeof FILTER_FIELDS)[number]

/** A filter's value as the controls hold it: strings, lists of strings. */
function valueOf(filters: CrudFilter[], field: FilterField): any {
  const found = filters.find((f) => 'field' in f && f.field === field)
  const value = found?.value
  if (value === undefined || value === null || value === '') return undefined
  if (Array.isArray(value)) return value.length ? value.map(String) : undefined
  return String(value)
}

const asList = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]

export default function Inbox() {
  const navigate = useNavigate()
  const { data: me } = useGetIdentity<{ id: number }>()
  const {
    tableProps,
    tableQuery,
    searchFormProps,
    filters,
    setFilters,
    sorters,
    setSorters,
    setCurrentPage,
  } = useTable<Conversation>({
    resource: 'conversations',
    pagination: { pageSize: 25 },
    sorters: { initial: [{ field: 'lastMessageAt', order: 'desc' }] },
    syncWithLocation: true,
    // New messages and changes on the user's teams refetch the page.
    liveMode: 'auto',
  })
  const { teams, teamById } = useTeams()
  const { channels, channelById } = useChannels()
  const { users, userById } = useUsers()
  const { tags } = useTags()

  const get = (field: FilterField) => valueOf(filters, field)
  const set = (field: FilterField, value: unknown) => {
    const empty = value === undefined || value === '' || (Array.isArray(value) && !value.length)
    setFilters([{ field, operator: 'eq', value: empty ? undefined : value }], 'merge')
    setCurrentPage(1)
  }
  const filtered = FILTER_FIELDS.some((f) => get(f) !== undefined)
  const clear = () => {
    setFilters([], 'replace')
    setCurrentPage(1)
  }

  const [search, setSearch] = useSearchBox(get('q') ?? '', (value) => set('q', value))

  const sort = sorters[0]
    ? `${sorters[0].order === 'desc' ? '-' : ''}${sorters[0].field}`
    : '-lastMessageAt'

  const tagOptions = useMemo(
    () =>
      [...new Set(tags.map((t) => t.name).filter(Boolean) as string[])]
        .sort()
        .map((name) => ({ value: name, label: name })),
    [tags]
  )
  const assigneeOptions = useMemo(
    () => [
      { value: 'me', label: 'Assigned to me' },
      { value: 'none', label: 'Unassigned' },
      ...users
        .filter((u) => u.id !== me?.id && !u.disabled)
        .map((u) => ({ value: String(u.id), label: userName(u) })),
    ],
    [users, me?.id]
  )

  const error = tableQuery.error
  const rows = tableProps.dataSource ?? []

  return (
    <List
      title="Conversations"
      headerButtons={
        <Button
          icon={<ReloadOutlined />}
          onClick={() => tableQuery.refetch()}
          loading={tableQuery.isFetching && !tableQuery.isLoading}
        >
          Refresh
        </Button>
      }
    >
      <Form {...searchFormProps} component="div">
        <Space wrap style={{ marginBottom: 16 }} size={[8, 8]}>
          <Input.Search
            aria-label="Search conversations"
            placeholder="Search names and messages"
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => set('q', value.trim() || undefined)}
            style={{ width: 240 }}
          />
          <Select
            aria-label="Status"
            data-testid="filter-status"
            mode="multiple"
            allowClear
            placeholder="Any status"
            options={statusOptions}
            value={asList(get('status'))}
            onChange={(v) => set('status', v)}
            style={{ minWidth: 150 }}
            maxTagCount="responsive"
          />
          <Select
            aria-label="Owner"
            data-testid="filter-owner"
            mode="multiple"
            allowClear
            placeholder="Any owner"
            options={ownerOptions}
            value={asList(get('owner'))}
            onChange={(v) => set('owner', v)}
            style={{ minWidth: 150 }}
            maxTagCount="responsive"
          />
          {teams.length > 1 && (
            <Select
              aria-label="Team"
              data-testid="filter-team"
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder="Any team"
              options={teams.map((t) => ({ value: String(t.id), label: t.name ?? `Team ${t.id}` }))}
              value={get('teamId')}
              onChange={(v) => set('teamId', v)}
              style={{ minWidth: 140 }}
            />
          )}
          <Select
            aria-label="Assignee"
            data-testid="filter-assignee"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="Anyone"
            options={assigneeOptions}
            value={get('assigneeId')}
            onChange={(v) => set('assigneeId', v)}
            style={{ minWidth: 160 }}
          />
          <Select
            aria-label="Tag"
            data-testid="filter-tag"
            allowClear
            showSearch
            placeholder="Any tag"
            options={tagOptions}
            value={get('tag')}
            onChange={(v) => set('tag', v)}
            style={{ minWidth: 120 }}
            notFoundContent="No tags yet"
          />
          {channels.length > 0 && (
            <Select
              aria-label="Channel"
              data-testid="filter-channel"
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder="Any channel"
              options={channels.map((c) => ({
                value: String(c.id),
                label: `${c.name} (${c.platform})`,
              }))}
              value={get('channelId')}
              onChange={(v) => set('channelId', v)}
              style={{ minWidth: 150 }}
            />
          )}
          <Select
            aria-label="Sort"
            data-testid="inbox-sort"
            options={SORTS}
            value={sort}
            onChange={(v: string) => {
              const desc = v.startsWith('-')
              setSorters([{ field: desc ? v.slice(1) : v, order: desc ? 'desc' : 'asc' }])
            }}
            style={{ width: 190 }}
          />
          {filtered && (
            <Button onClick={clear} data-testid="clear-filters">
              Clear filters
            </Button>
          )}
        </Space>
      </Form>

      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="The conversations could not be loaded"
          description={error.message}
          action={<Button onClick={() => tableQuery.refetch()}>Try again</Button>}
        />
      )}

      <Table<Conversation>
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 1000 }}
        tableLayout="fixed"
        locale={{
          emptyText: tableQuery.isLoading ? (
            ' '
          ) : filtered ? (
            <Empty description="No conversation matches these filters.">
              <Button onClick={clear}>Clear filters</Button>
            </Empty>
          ) : (
            <Empty
              description={
                <span>
                  No conversations yet. They appear here as soon as a customer writes to one of your
                  channels — <Link to="/channels">set up a channel</Link> if you have none.
                </span>
              }
            />
          ),
        }}
        onRow={(record) =>
          ({
            'data-testid': 'inbox-row',
            'data-conversation-id': record.id,
            'style': { cursor: 'pointer' },
            'onClick': (event: React.MouseEvent) => {
              // Links and controls inside the row do their own thing.
              if ((event.target as HTMLElement).closest('a,button')) return
              navigate(`/conversations/${record.id}`)
            },
          }) as React.HTMLAttributes<HTMLElement>
        }
      >
        <Table.Column<Conversation>
          title="Conversation"
          key="contact"
          render={(_, c) => {
            const name = c.contact?.name || `Contact #${c.contactId}`
            const preview = c.lastMessage
            return (
              <div>
                <Link to={`/conversations/${c.id}`} style={{ fontWeight: 600 }}>
                  {name}
                </Link>
                {c.subject ? (
                  <Typography.Text type="secondary"> · {c.subject}</Typography.Text>
                ) : null}
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 1 }}
                  style={{ margin: 0 }}
                  data-testid="inbox-preview"
                >
                  {preview ? (
                    <>
                      {previewAuthor(preview) && (
                        <Typography.Text type="secondary" strong>
                          {previewAuthor(preview)}:{' '}
                        </Typography.Text>
                      )}
                      {preview.attachmentCount ? <PaperClipOutlined /> : null}{' '}
                      {previewText(preview)}
                    </>
                  ) : (
                    <i>No messages yet</i>
                  )}
                </Typography.Paragraph>
              </div>
            )
          }}
        />
        <Table.Column<Conversation>
          title="State"
          key="state"
          width={200}
          render={(_, c) => (
            <Space size={[0, 4]} wrap style={{ maxWidth: 240 }}>
              <StatusTag status={c.status} snoozedUntil={c.snoozedUntil} />
              <OwnerTag owner={c.owner} />
              <PriorityTag priority={c.priority} />
              {(c.tags ?? []).map((t) => (
                <Tag key={t} bordered={false}>
                  #{t}
                </Tag>
              ))}
            </Space>
          )}
        />
        <Table.Column<Conversation>
          title="Assignee"
          key="assignee"
          width={120}
          render={(_, c) =>
            c.assigneeId ? (
              c.assigneeId === me?.id ? (
                'You'
              ) : userById.has(c.assigneeId) ? (
                userName(userById.get(c.assigneeId))
              ) : (
                `User #${c.assigneeId}`
              )
            ) : (
              <Typography.Text type="secondary">Unassigned</Typography.Text>
            )
          }
        />
        <Table.Column<Conversation>
          title="Team"
          key="team"
          width={110}
          render={(_, c) => teamById.get(c.teamId!)?.name ?? `Team ${c.teamId}`}
        />
        <Table.Column<Conversation>
          title="Channel"
          key="channel"
          width={120}
          render={(_, c) => {
            if (!c.channelId) return <Typography.Text type="secondary">None</Typography.Text>
            const channel = channelById.get(c.channelId)
            return channel ? (
              <span>
                {channel.name}{' '}
                <Typography.Text type="secondary">({channel.platform})</Typography.Text>
              </span>
            ) : (
              `Channel ${c.channelId}`
            )
          }}
        />
        <Table.Column<Conversation>
          title="Last activity"
          key="lastMessageAt"
          width={120}
          render={(_, c) => <RelativeTime value={c.lastMessageAt} />}
        />
      </Table>
      {rows.length > 0 && tableQuery.data?.total === 1000 && (
        <Typography.Text type="secondary">
          Showing the first 1,000 matches at most: narrow the filters to find others.
        </Typography.Text>
      )}
    </List>
  )
}
