import type { ReactNode } from 'react'
import { DeleteButton, type DeleteButtonProps } from '@refinedev/antd'
import { Button, Empty, Form, Select, Table, Tooltip, type FormInstance, type TableProps } from 'antd'
import { useTeams } from '../lib/lookups'

/**
 * A list page's table: Refine's search form connected so it can read
 * filters back from the URL, and an empty state only once the first load is over.
 */
export function RecordTable<T extends object>({
  searchForm,
  firstLoad,
  empty,
  ...props
}: TableProps<T> & {
  searchForm: FormInstance | undefined
  firstLoad: boolean
  empty: ReactNode
  'data-testid': string
}) {
  return (
    <>
      <Form form={searchForm} component={false} />
      <Table<T> {...props} rowKey="id" locale={{ emptyText: firstLoad ? ' ' : empty }} />
    </>
  )
}

/**
 * The empty list: with filters on, what matched nothing and a way out;
 * without, what the page is for (`children`: how to start).
 */
export function ListEmpty({
  filtered,
  noMatch,
  none,
  onClear,
  children,
}: {
  filtered: boolean
  noMatch: string
  none: ReactNode
  onClear: () => void
  children?: ReactNode
}) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? noMatch : none}>
      {filtered ? <Button onClick={onClear}>Clear the filters</Button> : children}
    </Empty>
  )
}

/** A row's delete button, asking first. */
export function RowDeleteButton(props: DeleteButtonProps) {
  return <DeleteButton hideText size="small" confirmOkText="Delete" {...props} />
}

/** The "Any team" filter of a list page. */
export function TeamFilter({
  value,
  onChange,
  testId,
}: {
  value: unknown
  onChange: (teamId: number | undefined) => void
  testId: string
}) {
  const { teams } = useTeams()
  return (
    <Select
      allowClear
      showSearch
      optionFilterProp="label"
      placeholder="Any team"
      aria-label="Filter by team"
      data-testid={testId}
      value={value ? Number(value) : undefined}
      onChange={onChange}
      options={teams.map((t) => ({ value: t.id, label: t.name }))}
      style={{ width: 200 }}
    />
  )
}

/** A browser's user agent, cut to the column with the whole of it on hover. */
export function userAgentCell(value: string | null | undefined) {
  return value ? (
    <Tooltip title={value} placement="topLeft">
      {value}
    </Tooltip>
  ) : (
    '—'
  )
}
