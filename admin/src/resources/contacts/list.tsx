import type { CrudFilter } from '@refinedev/core'
import {
  DeleteButton,
  EditButton,
  List,
  ShowButton,
  getDefaultSortOrder,
  useTable,
} from '@refinedev/antd'
import { Link } from 'react-router'
import { Alert, Button, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd'
import type { Contact } from '../../api/types'
import { RelativeTime } from '../../components/relative_time'
import { useTeams } from '../../lib/lookups'
import { useSearchBox } from '../../lib/filters'

function valueOf(filters: CrudFilter[], field: string): string | undefined {
  const found = filters.find((f) => 'field' in f && f.field === field)
  const value = found?.value
  return value === undefined || value === null || value === '' ? undefined : String(value)
}

export default function ContactList() {
  const { tableProps, tableQuery, searchFormProps, filters, setFilters, sorters, setCurrentPage } =
    useTable<Contact>({
      resource: 'contacts',
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: 'id', order: 'desc' }] },
      syncWithLocation: true,
      liveMode: 'off',
    })
  const { teams, teamById } = useTeams()

  const set = (field: string, value: unknown) => {
    setFilters([{ field, operator: 'eq', value: value === '' ? undefined : value }], 'merge')
    setCurrentPage(1)
  }
  const q = valueOf(filters, 'q') ?? ''
  const teamId = valueOf(filters, 'teamId')
  const filtered = !!q || !!teamId
  const [search, setSearch] = useSearchBox(q, (value) => set('q', value))

  return (
    <List title="Contacts" createButtonProps={{ children: 'Add contact' }}>
      <Form {...searchFormProps} component="div">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label="Search contacts"
            placeholder="Name, email or phone"
            allowClear
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(value) => set('q', value.trim() || undefined)}
            style={{ width: 280 }}
          />
          {teams.length > 1 && (
            <Select
              aria-label="Team"
              allowClear
              placeholder="Any team"
              style={{ minWidth: 160 }}
              options={teams.map((t) => ({ value: String(t.id), label: t.name }))}
              value={teamId}
              onChange={(v) => set('teamId', v)}
            />
          )}
          {filtered && (
            <Button
              onClick={() => {
                setFilters([], 'replace')
                setCurrentPage(1)
              }}
            >
              Clear filters
            </Button>
          )}
        </Space>
      </Form>
      {tableQuery.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="The contacts could not be loaded"
          description={tableQuery.error.message}
          action={<Button onClick={() => tableQuery.refetch()}>Try again</Button>}
        />
      )}
      <Table<Contact>
        {...tableProps}
        rowKey="id"
        size="middle"
        scroll={{ x: 900 }}
        onRow={() => ({ 'data-testid': 'contact-row' }) as React.HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: tableQuery.isLoading ? (
            ' '
          ) : filtered ? (
            <Empty description="No contact matches this search." />
          ) : (
            <Empty description="No contacts yet. A contact is created when a customer first writes to one of your channels." />
          ),
        }}
      >
        <Table.Column<Contact>
          title="Name"
          dataIndex="name"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(_, c) => (
            <Link to={`/contacts/${c.id}`} style={{ fontWeight: 600 }}>
              {c.name || `Contact #${c.id}`}
            </Link>
          )}
        />
        <Table.Column<Contact>
          title="Email"
          dataIndex="email"
          render={(v) => v || <Typography.Text type="secondary">—</Typography.Text>}
        />
        <Table.Column<Contact>
          title="Phone"
          dataIndex="phone"
          render={(v) => v || <Typography.Text type="secondary">—</Typography.Text>}
        />
        <Table.Column<Contact>
          title="Reached on"
          key="identities"
          render={(_, c) =>
            c.identities?.length ? (
              <Space size={[0, 4]} wrap>
                {c.identities.map((i) => (
                  <Tag key={i.id}>
                    {i.platform}
                    {i.username ? ` @${i.username}` : ''}
                  </Tag>
                ))}
              </Space>
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            )
          }
        />
        <Table.Column<Contact>
          title="Team"
          key="team"
          render={(_, c) => teamById.get(c.teamId!)?.name ?? `Team ${c.teamId}`}
        />
        <Table.Column<Contact>
          title="Added"
          dataIndex="createdAt"
          sorter
          defaultSortOrder={getDefaultSortOrder('createdAt', sorters)}
          render={(v) => <RelativeTime value={v} />}
        />
        <Table.Column<Contact>
          title="Actions"
          key="actions"
          fixed="right"
          render={(_, c) => (
            <Space size={4}>
              <ShowButton hideText size="small" recordItemId={c.id} />
              <EditButton hideText size="small" recordItemId={c.id} />
              <DeleteButton
                hideText
                size="small"
                recordItemId={c.id}
                confirmTitle="Delete this contact and all their conversations?"
                confirmOkText="Delete"
                successNotification={() => ({ type: 'success', message: 'Contact deleted' })}
              />
            </Space>
          )}
        />
      </Table>
    </List>
  )
}
