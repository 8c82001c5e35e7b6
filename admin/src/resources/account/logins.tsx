import { useTable } from '@refinedev/antd'
import { Card, Empty, Table, Tag } from 'antd'
import type { Schemas } from '../../api/types'
import { dateTime } from '../../lib/format'
import { userAgentCell } from '../../components/list_parts'

type Entry = Schemas['AuditLog']

const RESULTS: Record<string, { color: string; label: string }> = {
  ok: { color: 'green', label: 'Signed in' },
  invalid_credentials: { color: 'red', label: 'Wrong password' },
  disabled: { color: 'red', label: 'Account disabled' },
  throttled: { color: 'orange', label: 'Blocked: too many attempts' },
}

/** The caller's sign-ins and failed attempts, newest first. */
export function LoginHistory() {
  const { tableProps, tableQuery } = useTable<Entry>({
    resource: 'me-logins',
    meta: { path: 'me/logins' },
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    sorters: { mode: 'off' },
  })
  return (
    <Card title="Sign-in history" size="small" data-testid="account-logins">
      <Table
        {...tableProps}
        rowKey="id"
        size="small"
        tableLayout="fixed"
        data-testid="logins-table"
        locale={{
          emptyText: tableQuery.isLoading ? (
            ' '
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No sign-ins recorded." />
          ),
        }}
      >
        <Table.Column<Entry>
          dataIndex="createdAt"
          title="Time"
          width={170}
          render={(v) => <span style={{ whiteSpace: 'nowrap' }}>{dateTime(v)}</span>}
        />
        <Table.Column<Entry>
          title="Result"
          width={170}
          render={(_, r) => {
            const result =
              RESULTS[String((r.data as any)?.result ?? (r.action === 'auth.login' ? 'ok' : ''))]
            return result ? <Tag color={result.color}>{result.label}</Tag> : <Tag>{r.action}</Tag>
          }}
        />
        <Table.Column<Entry>
          title="Via"
          width={110}
          render={(_, r) => ((r.data as any)?.via === 'token' ? 'New token' : 'Panel')}
        />
        <Table.Column<Entry> dataIndex="ip" title="IP" width={120} render={(v) => v ?? '—'} />
        <Table.Column<Entry>
          dataIndex="userAgent"
          title="Browser"
          ellipsis={{ showTitle: false }}
          render={userAgentCell}
        />
      </Table>
    </Card>
  )
}
