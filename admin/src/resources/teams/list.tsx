import { CreateButton, EditButton, List, ShowButton, useTable } from '@refinedev/antd'
import { useCan, useGo } from '@refinedev/core'
import { Empty, Input, Space, Table, Tag, Typography } from 'antd'
import type { Team } from '../../api/types'
import { date } from '../../lib/format'
import { RecordTable, RowDeleteButton } from '../../components/list_parts'

export default function TeamsList() {
  const go = useGo()
  const { data: canCreate } = useCan({ resource: 'teams', action: 'create' })
  const { tableProps, searchFormProps, tableQuery, setFilters, filters } = useTable<Team>({
    resource: 'teams',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
  })
  const q = filters.find((f) => 'field' in f && f.field === 'q')?.value as string | undefined

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        q
          ? `No team matches “${q}”.`
          : 'No teams yet. A team owns channels, conversations and people; start with one.'
      }
    >
      {!q && canCreate?.can && (
        <CreateButton resource="teams" data-testid="teams-empty-create">
          Create a team
        </CreateButton>
      )}
    </Empty>
  )

  return (
    <List
      title="Teams"
      headerButtons={
        <Space>
          <Input.Search
            allowClear
            placeholder="Search by name"
            aria-label="Search teams"
            data-testid="teams-search"
            defaultValue={q}
            onSearch={(value) =>
              setFilters([{ field: 'q', operator: 'contains', value: value || undefined }], 'merge')
            }
            style={{ width: 240 }}
          />
          <CreateButton resource="teams" data-testid="team-create">
            New team
          </CreateButton>
        </Space>
      }
    >
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={empty}
        data-testid="teams-table"
      >
        <Table.Column<Team>
          dataIndex="name"
          title="Name"
          sorter
          render={(name, record) => (
            <Space direction="vertical" size={0}>
              <Typography.Link
                onClick={() => go({ to: `/teams/${record.id}` })}
                data-testid={`team-link-${record.id}`}
              >
                {name}
              </Typography.Link>
              {record.description && (
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
                  {record.description}
                </Typography.Text>
              )}
            </Space>
          )}
        />
        <Table.Column<Team>
          dataIndex="memberCount"
          title="Members"
          width={110}
          render={(n: number | undefined) => n ?? 0}
        />
        <Table.Column<Team>
          title="Assistant"
          width={130}
          render={(_, record) =>
            record.settings?.assistant?.enabled === false ? (
              <Tag>Off</Tag>
            ) : (
              <Tag color="blue">On</Tag>
            )
          }
        />
        <Table.Column<Team>
          title="Business hours"
          width={170}
          render={(_, record) =>
            record.settings?.businessHours ? (
              <Typography.Text>{record.settings.businessHours.timezone}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">Always open</Typography.Text>
            )
          }
        />
        <Table.Column<Team>
          dataIndex="createdAt"
          title="Created"
          sorter
          width={140}
          render={(value) => date(value)}
        />
        <Table.Column<Team>
          title="Actions"
          width={150}
          render={(_, record) => (
            <Space>
              <ShowButton hideText size="small" recordItemId={record.id} aria-label="Open" />
              <EditButton hideText size="small" recordItemId={record.id} aria-label="Rename" />
              <RowDeleteButton
                recordItemId={record.id}
                aria-label={`Delete team ${record.name}`}
                data-testid={`team-delete-${record.id}`}
                confirmTitle={`Delete the team “${record.name}”?`}
                successNotification={{ type: 'success', message: `Team “${record.name}” deleted` }}
              />
            </Space>
          )}
        />
      </RecordTable>
    </List>
  )
}
