import { CreateButton, EditButton, List, useTable } from '@refinedev/antd'
import { useGo } from '@refinedev/core'
import { Button, Select, Space, Table, Typography } from 'antd'
import { useTeams } from '../../lib/lookups'
import { useFilterValues } from '../../lib/filters'
import {
  ListEmpty,
  RecordTable,
  RowDeleteButton,
  TeamFilter,
} from '../../components/list_parts'
import { date } from '../../lib/format'
import {
  ChannelStatus,
  PLATFORMS,
  PlatformTag,
  StartStopButton,
  type Channel,
  type Platform,
} from './shared'

export default function ChannelsList() {
  const go = useGo()
  const { teams, nameOf } = useTeams()
  const { tableProps, searchFormProps, tableQuery, filters, setFilters } = useTable<Channel>({
    resource: 'channels',
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 20 },
    // Status moves on its own (starting → running, errors): keep it fresh.
    queryOptions: { refetchInterval: 5000 },
  })
  const { filter, setFilter, clear } = useFilterValues(filters, setFilters)
  const filtered = Boolean(filter('platform') || filter('teamId'))

  const empty = (
    <ListEmpty
      filtered={filtered}
      noMatch="No channel matches these filters."
      none="No channels yet. A channel is where customers write to you: a Telegram bot, or your own app through the API."
      onClear={clear}
    >
      <Space>
        <Button
          type="primary"
          onClick={() => go({ to: '/channels/create?platform=telegram' })}
          data-testid="channels-empty-telegram"
        >
          Connect a Telegram bot
        </Button>
        <Button
          onClick={() => go({ to: '/channels/create?platform=api' })}
          data-testid="channels-empty-api"
        >
          Connect your app
        </Button>
      </Space>
    </ListEmpty>
  )

  return (
    <List
      title="Channels"
      headerButtons={<CreateButton data-testid="channel-create">New channel</CreateButton>}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="Any platform"
          aria-label="Filter by platform"
          data-testid="channels-platform-filter"
          value={filter('platform')}
          onChange={(v) => setFilter('platform', v)}
          options={(Object.keys(PLATFORMS) as Platform[]).map((p) => ({
            value: p,
            label: PLATFORMS[p].label,
          }))}
          style={{ width: 200 }}
        />
        {teams.length > 1 && (
          <TeamFilter
            testId="channels-team-filter"
            value={filter('teamId')}
            onChange={(v) => setFilter('teamId', v)}
          />
        )}
      </Space>
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={empty}
        data-testid="channels-table"
      >
        <Table.Column<Channel>
          dataIndex="name"
          title="Name"
          sorter
          render={(name, c) => (
            <Typography.Link
              onClick={() => go({ to: `/channels/${c.id}` })}
              data-testid={`channel-link-${c.id}`}
            >
              {name}
            </Typography.Link>
          )}
        />
        <Table.Column<Channel>
          dataIndex="platform"
          title="Platform"
          width={170}
          render={(p) => <PlatformTag platform={p} />}
        />
        <Table.Column<Channel>
          dataIndex="teamId"
          title="Team"
          width={150}
          render={(id) => nameOf(id)}
        />
        <Table.Column<Channel> title="Status" render={(_, c) => <ChannelStatus channel={c} />} />
        <Table.Column<Channel>
          dataIndex="createdAt"
          title="Created"
          sorter
          width={120}
          render={(v) => date(v)}
        />
        <Table.Column<Channel>
          title="Actions"
          width={200}
          render={(_, c) => (
            <Space>
              <StartStopButton channel={c} size="small" />
              <EditButton hideText size="small" recordItemId={c.id} aria-label={`Edit ${c.name}`} />
              <RowDeleteButton
                recordItemId={c.id}
                aria-label={`Delete ${c.name}`}
                data-testid={`channel-delete-${c.id}`}
                confirmTitle={`Delete ${c.name}? Customers can no longer reach you through it; its conversations stay.`}
              />
            </Space>
          )}
        />
      </RecordTable>
    </List>
  )
}
