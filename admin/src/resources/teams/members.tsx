import { useState } from 'react'
import { useTable, useSelect } from '@refinedev/antd'
import { useInvalidate, usePermissions, type HttpError } from '@refinedev/core'
import {
  App,
  Button,
  Empty,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type SelectProps,
} from 'antd'
import { UserAddOutlined } from '@ant-design/icons'
import type { Team, User } from '../../api/types'
import { api } from '../../providers/http'
import { userName } from '../../lib/lookups'
import { ago } from '../../lib/format'

/** The team's people: add anyone you can see, remove with a confirmation; nothing else changes. */
export function TeamMembers({ team, editable }: { team: Team; editable: boolean }) {
  const { message, notification } = App.useApp()
  const invalidate = useInvalidate()
  const { data: role } = usePermissions<string>({})
  // Supervisors add and remove operators (and themselves); admins anyone.
  const mayChange = (user: User) => role === 'admin' || user.role === 'operator'
  const [adding, setAdding] = useState<number | undefined>()
  const [busy, setBusy] = useState(false)

  const { tableProps, tableQuery } = useTable<User>({
    resource: 'team-members',
    meta: { path: `teams/${team.id}/members` },
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { mode: 'off' },
  })
  const memberIds = new Set((tableQuery.data?.data ?? []).map((u) => u.id))

  const { selectProps } = useSelect<User>({
    resource: 'users',
    optionLabel: (u) => `${userName(u)} · ${u.email} (${u.role})`,
    optionValue: (u) => String(u.id),
    onSearch: (value) => [{ field: 'q', operator: 'contains', value }],
    pagination: { pageSize: 20 },
    queryOptions: { enabled: editable },
  })

  const refresh = () => {
    invalidate({ resource: 'team-members', invalidates: ['list'] })
    invalidate({ resource: 'teams', invalidates: ['list', 'detail'], id: team.id })
    invalidate({ resource: 'users', invalidates: ['list'] })
  }

  const add = async () => {
    if (!adding) return
    setBusy(true)
    try {
      await api('POST', `/teams/${team.id}/members`, { body: { userId: adding } })
      message.success('Member added')
      setAdding(undefined)
      refresh()
    } catch (error) {
      notification.error({
        message: 'Could not add the member',
        description: (error as HttpError).message,
      })
    } finally {
      setBusy(false)
    }
  }

  const remove = async (user: User) => {
    try {
      await api('DELETE', `/teams/${team.id}/members/${user.id}`)
      message.success(`${userName(user)} removed from ${team.name}`)
      refresh()
    } catch (error) {
      notification.error({
        message: 'Could not remove the member',
        description: (error as HttpError).message,
      })
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {editable && (
        <Space wrap>
          <Select
            {...(selectProps as SelectProps)}
            showSearch
            allowClear
            value={adding === undefined ? undefined : String(adding)}
            onChange={(value) => setAdding(value ? Number(value) : undefined)}
            options={(selectProps.options ?? []).filter((o) => !memberIds.has(Number(o.value)))}
            placeholder="Find a user by name or email"
            aria-label="User to add"
            data-testid="member-add-select"
            style={{ width: 380 }}
            notFoundContent="No user matches. New people are created under Users."
          />
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            disabled={!adding}
            loading={busy}
            onClick={add}
            data-testid="member-add"
          >
            Add to team
          </Button>
        </Space>
      )}
      <Table
        {...tableProps}
        rowKey="id"
        data-testid="members-table"
        locale={{
          emptyText: tableQuery.isLoading ? (
            ' '
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                editable
                  ? 'Nobody is in this team yet. Find a user above and add them.'
                  : 'Nobody is in this team yet.'
              }
            />
          ),
        }}
      >
        <Table.Column<User>
          title="Name"
          render={(_, u) => (
            <Space direction="vertical" size={0}>
              <Typography.Text>{userName(u)}</Typography.Text>
              <Typography.Text type="secondary">{u.email}</Typography.Text>
            </Space>
          )}
        />
        <Table.Column<User>
          dataIndex="role"
          title="Role"
          width={130}
          render={(r) => <Tag>{r}</Tag>}
        />
        <Table.Column<User>
          title="Status"
          width={120}
          render={(_, u) =>
            u.disabled ? <Tag color="red">Disabled</Tag> : <Tag color="green">Active</Tag>
          }
        />
        <Table.Column<User>
          dataIndex="lastLoginAt"
          title="Last sign-in"
          width={160}
          render={(v) => (v ? ago(v) : 'Never')}
        />
        {editable && (
          <Table.Column<User>
            title=""
            width={110}
            render={(_, u) =>
              mayChange(u) && (
                <Popconfirm
                  title={`Remove ${userName(u)} from ${team.name}?`}
                  description="They lose access to this team's conversations. Their account stays."
                  okText="Remove"
                  okButtonProps={{ 'danger': true, 'data-testid': 'member-remove-confirm' } as any}
                  onConfirm={() => remove(u)}
                >
                  <Button size="small" danger data-testid={`member-remove-${u.id}`}>
                    Remove
                  </Button>
                </Popconfirm>
              )
            }
          />
        )}
      </Table>
    </Space>
  )
}
