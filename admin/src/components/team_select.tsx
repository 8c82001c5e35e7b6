import { Select, type SelectProps } from 'antd'
import { useTeams } from '../lib/lookups'

/** A team picker, for admins and members of several teams. */
export function TeamSelect(props: SelectProps<number> & { 'data-testid'?: string }) {
  const { teams, query } = useTeams()
  return (
    <Select<number>
      showSearch
      optionFilterProp="label"
      loading={query.isLoading}
      placeholder="Choose a team"
      options={teams.map((t) => ({ value: t.id!, label: t.name }))}
      {...props}
    />
  )
}
