import { useEffect, useState } from 'react'
import { List, useTable } from '@refinedev/antd'
import { AutoComplete, Button, Input, Select, Space, Table, Tooltip, Typography } from 'antd'
import type { Schemas } from '../../api/types'
import { useUsers, userName } from '../../lib/lookups'
import { dateTime } from '../../lib/format'
import { useFilterValues } from '../../lib/filters'
import { ListEmpty, RecordTable, userAgentCell } from '../../components/list_parts'

type Entry = Schemas['AuditLog']

// What the server records; the filter takes any other action too.
const ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.login_throttled',
  'auth.logout',
  'auth.token_created',
  'auth.token_revoked',
  'user.created',
  'user.deleted',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'user.password_reset',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.member_added',
  'team.member_removed',
  'operator_identity.linked',
  'operator_identity.unlinked',
  'assistant.budget_spent',
]
const SUBJECT_TYPES = ['user', 'team', 'token', 'conversation', 'rule', 'channel']

function Subject({ entry }: { entry: Entry }) {
  if (!entry.subjectType) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <Typography.Text>
      {entry.subjectType}
      {entry.subjectId ? ` #${entry.subjectId}` : ''}
    </Typography.Text>
  )
}

/** Who did what, when and from where: newest first, filtered on the server. */
export default function AuditLogList() {
  const { users } = useUsers()
  const { tableProps, searchFormProps, tableQuery, filters, setFilters } = useTable<Entry>({
    resource: 'audit-logs',
    pagination: { pageSize: 25 },
    sorters: { mode: 'off' },
  })
  const { filter, setFilter, clear } = useFilterValues(filters, setFilters)
  const [actionDraft, setActionDraft] = useState<string | undefined>(filter('action'))
  useEffect(() => setActionDraft(filter('action')), [filter('action')])
  const filtered = ['action', 'actorId', 'subjectType', 'subjectId'].some((f) => filter(f))

  return (
    <List title="Audit log">
      <Space wrap style={{ marginBottom: 16 }}>
        <AutoComplete
          allowClear
          placeholder="Action, e.g. auth.login"
          aria-label="Filter by action"
          data-testid="audit-action-filter"
          value={actionDraft}
          options={ACTIONS.map((a) => ({ value: a }))}
          filterOption={(input, option) => String(option?.value).includes(input.toLowerCase())}
          onChange={(v) => {
            setActionDraft(v)
            if (!v) setFilter('action', undefined)
          }}
          onSelect={(v) => setFilter('action', v)}
          onInputKeyDown={(e) => {
            if (e.key === 'Enter') setFilter('action', actionDraft?.trim())
          }}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="Any actor"
          aria-label="Filter by actor"
          data-testid="audit-actor-filter"
          value={filter('actorId') ? Number(filter('actorId')) : undefined}
          onChange={(v) => setFilter('actorId', v)}
          options={users.map((u) => ({ value: u.id, label: `${userName(u)} · ${u.email}` }))}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          placeholder="Any subject"
          aria-label="Filter by subject type"
          data-testid="audit-subject-type-filter"
          value={filter('subjectType')}
          onChange={(v) => setFilter('subjectType', v)}
          options={SUBJECT_TYPES.map((t) => ({ value: t, label: t }))}
          style={{ width: 160 }}
        />
        <Input.Search
          allowClear
          placeholder="Subject id"
          aria-label="Filter by subject id"
          data-testid="audit-subject-id-filter"
          defaultValue={filter('subjectId')}
          onSearch={(v) => setFilter('subjectId', v.trim())}
          style={{ width: 160 }}
        />
        {filtered && (
          <Button onClick={clear} data-testid="audit-clear">
            Clear filters
          </Button>
        )}
      </Space>
      <RecordTable
        {...tableProps}
        searchForm={searchFormProps.form}
        firstLoad={tableQuery.isLoading}
        size="middle"
        data-testid="audit-table"
        scroll={{ x: 1000 }}
        expandable={{
          rowExpandable: (r) => Object.keys(r.data ?? {}).length > 0,
          expandedRowRender: (r) => (
            <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(r.data, null, 2)}
            </pre>
          ),
        }}
        empty={
          <ListEmpty
            filtered={filtered}
            noMatch="Nothing recorded matches these filters."
            none="Nothing recorded yet."
            onClear={clear}
          />
        }
      >
        <Table.Column<Entry>
          dataIndex="createdAt"
          title="Time"
          width={170}
          render={(v) => dateTime(v)}
        />
        <Table.Column<Entry>
          title="Actor"
          width={220}
          render={(_, r) =>
            r.actor ? (
              <Tooltip title={r.actor.email}>
                <Typography.Link onClick={() => setFilter('actorId', r.actor!.id)}>
                  {r.actor.fullName || r.actor.email}
                </Typography.Link>
              </Tooltip>
            ) : r.actorId ? (
              `User #${r.actorId} (deleted)`
            ) : (
              <Typography.Text type="secondary">System</Typography.Text>
            )
          }
        />
        <Table.Column<Entry>
          dataIndex="action"
          title="Action"
          width={200}
          render={(v) => (
            <Typography.Link onClick={() => setFilter('action', v)} code>
              {v}
            </Typography.Link>
          )}
        />
        <Table.Column<Entry> title="Subject" width={140} render={(_, r) => <Subject entry={r} />} />
        <Table.Column<Entry> dataIndex="ip" title="IP" width={130} render={(v) => v ?? '—'} />
        <Table.Column<Entry>
          dataIndex="userAgent"
          title="User agent"
          ellipsis={{ showTitle: false }}
          render={userAgentCell}
        />
      </RecordTable>
    </List>
  )
}
