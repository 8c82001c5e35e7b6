import { CreateButton, EditButton, List, useTable } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Empty, Space, Table, Typography } from 'antd'
import { RecordTable, RowDeleteButton } from '../../components/list_parts'
import { useChannels, useTeams } from '../../lib/lookups'
import { KindTag, WorkspaceStatus, routingSummary, type Workspace } from './shared'

export default function WorkspacesList() {
  const go = useGo()
  const { nameOf } = useTeams()
  const { channelById } = useChannels()
  const { tableProps, searchFormProps, tableQuery } = useTable<Workspace>({
    resource: 'workspaces',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
  })

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <span>
          No operator workspaces yet. Connect a Slack channel or a Telegram group,
          <br />
          and your operators answer customers from there.
        </span>
      }
    >
      <Space>
        <Button
          type="primary"
          onClick={() => go({ to: '/workspaces/create?platform=slack' })}
          data-testid="workspaces-empty-slack"
        >
          Connect Slack
        </Button>
        <Button
          onClick={() => go({ to: '/workspaces/create?platform=telegram' })}
          data-testid="workspaces-empty-telegram"
        >
          Connect a Telegram group
        </Button>
      </Space>
    </Empty>
  )

  return (
    <List
      title="Operator workspaces"
      headerButtons={<CreateButton data-testid="workspace-create">New workspace</CreateButton>}
    >
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={empty}
        data-testid="workspaces-table"
      >
        <Table.Column<Workspace>
          dataIndex="name"
          title="Name"
          sorter
          render={(name, w) => (
            <Typography.Link
              onClick={() => go({ to: `/workspaces/${w.id}/edit` })}
              data-testid={`workspace-link-${w.id}`}
            >
              {name}
            </Typography.Link>
          )}
        />
        <Table.Column<Workspace>
          dataIndex="platform"
          title="Kind"
          width={150}
          render={(k) => <KindTag kind={k} />}
        />
        <Table.Column<Workspace>
          dataIndex="teamId"
          title="Team"
          width={140}
          render={(id) => nameOf(id)}
        />
        <Table.Column<Workspace>
          title="Shows"
          render={(_, w) =>
            routingSummary(w.routing, (id) => channelById.get(id)?.name ?? `channel #${id}`)
          }
        />
        <Table.Column<Workspace>
          title="Status"
          width={180}
          render={(_, w) => <WorkspaceStatus workspace={w} />}
        />
        <Table.Column<Workspace>
          title="Actions"
          width={110}
          render={(_, w) => (
            <Space>
              <EditButton hideText size="small" recordItemId={w.id} aria-label={`Edit ${w.name}`} />
              <RowDeleteButton
                recordItemId={w.id}
                aria-label={`Delete ${w.name}`}
                data-testid={`workspace-delete-${w.id}`}
                confirmTitle={`Delete ${w.name}? Its threads stay in ${w.platform === 'slack' ? 'Slack' : 'Telegram'} but get no more messages.`}
              />
            </Space>
          )}
        />
      </RecordTable>
    </List>
  )
}
