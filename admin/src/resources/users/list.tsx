import { CreateButton, EditButton, List, useTable } from '@refinedev/antd'
import { useInvalidate, type HttpError } from '@refinedev/core'
import { App, Button, Input, Popconfirm, Select, Space, Table, Typography } from 'antd'
import type { User } from '../../api/types'
import { userName } from '../../lib/lookups'
import { useFilterValues } from '../../lib/filters'
import { ListEmpty, RecordTable, TeamFilter } from '../../components/list_parts'
import { ago } from '../../lib/format'
import { me } from '../../providers/session'
import { api } from '../../providers/http'
import { useEffect, useState } from 'react'
import { ROLES, RoleTag, StatusTag } from './shared'

export default function UsersList() {
  const { message, notification } = App.useApp()
  const invalidate = useInvalidate()
  const [myId, setMyId] = useState<number>()
  useEffect(() => void me().then((u) => setMyId(u?.id)), [])

  const { tableProps, searchFormProps, tableQuery, filters, setFilters } = useTable<User>({
    resource: 'users',
    sorters: { initial: [{ field: 'email', order: 'asc' }] },
    pagination: { pageSize: 20 },
  })
  const { filter, setFilter, clear } = useFilterValues(filters, setFilters)
  const filtered = Boolean(filter('q') || filter('role') || filter('teamId'))

  const setDisabled = async (user: User, disabled: boolean) => {
    try {
      await api('PATCH', `/users/${user.id}`, { body: { disabled } })
      message.success(`${userName(user)} ${disabled ? 'disabled' : 'enabled'}`)
      invalidate({ resource: 'users', invalidates: ['list', 'detail'], id: user.id })
    } catch (error) {
      notification.error({
        message: 'Could not change the account',
        description: (error as HttpError).message,
      })
    }
  }

  return (
    <List
      title="Users"
      headerButtons={<CreateButton data-testid="user-create">New user</CreateButton>}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder="Name or email"
          aria-label="Search users"
          data-testid="users-search"
          defaultValue={filter('q')}
          onSearch={(v) => setFilter('q', v || undefined)}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          placeholder="Any role"
          aria-label="Filter by role"
          data-testid="users-role-filter"
          value={filter('role')}
          onChange={(v) => setFilter('role', v)}
          options={ROLES.map((r) => ({ value: r.value, label: r.label }))}
          style={{ width: 160 }}
        />
        <TeamFilter
          testId="users-team-filter"
          value={filter('teamId')}
          onChange={(v) => setFilter('teamId', v)}
        />
      </Space>
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        empty={
          <ListEmpty
            filtered={filtered}
            noMatch="Nobody matches these filters."
            none="No users yet."
            onClear={clear}
          >
            <CreateButton>Create a user</CreateButton>
          </ListEmpty>
        }
        data-testid="users-table"
      >
        <Table.Column<User>
          dataIndex="email"
          title="User"
          sorter
          render={(_, u) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{u.fullName || u.email}</Typography.Text>
              {u.fullName && <Typography.Text type="secondary">{u.email}</Typography.Text>}
            </Space>
          )}
        />
        <Table.Column<User>
          dataIndex="role"
          title="Role"
          width={120}
          render={(r) => <RoleTag role={r} />}
        />
        <Table.Column<User>
          dataIndex="teams"
          title="Teams"
          render={(list: User['teams']) =>
            list?.length ? (
              list.map((t) => t.name).join(', ')
            ) : (
              <Typography.Text type="secondary">None</Typography.Text>
            )
          }
        />
        <Table.Column<User> title="Status" width={110} render={(_, u) => <StatusTag user={u} />} />
        <Table.Column<User>
          dataIndex="lastLoginAt"
          title="Last sign-in"
          width={150}
          render={(v) => (v ? ago(v) : 'Never')}
        />
        <Table.Column<User>
          title="Actions"
          width={200}
          render={(_, u) => (
            <Space>
              <EditButton size="small" recordItemId={u.id} data-testid={`user-edit-${u.id}`}>
                Edit
              </EditButton>
              {u.id !== myId && (
                <Popconfirm
                  title={u.disabled ? `Enable ${userName(u)}?` : `Disable ${userName(u)}?`}
                  description={
                    u.disabled
                      ? 'They can sign in again with their password.'
                      : 'They are signed out at once and their access tokens are revoked.'
                  }
                  okText={u.disabled ? 'Enable' : 'Disable'}
                  okButtonProps={
                    { 'danger': !u.disabled, 'data-testid': 'user-toggle-confirm' } as any
                  }
                  onConfirm={() => setDisabled(u, !u.disabled)}
                >
                  <Button size="small" danger={!u.disabled} data-testid={`user-toggle-${u.id}`}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )}
        />
      </RecordTable>
    </List>
  )
}
