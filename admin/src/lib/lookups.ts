import { useMemo } from 'react'
import { useList } from '@refinedev/core'
import type { Schemas, Team, User } from '../api/types'

/*
| Reference lists the desk's screens name things with: teams, channels,
| users, tags. Each is one request of up to 100 rows, shared through the
| query cache and refreshed after a minute.
*/
const REFERENCE = {
  pagination: { pageSize: 100 },
  liveMode: 'off' as const,
  queryOptions: { staleTime: 60_000 },
  errorNotification: false as const,
}

type Channel = Schemas['Channel']
type TagRecord = Schemas['Tag']

function byId<T extends { id?: number }>(rows: readonly T[]): Map<number, T> {
  return new Map(rows.filter((r) => r.id !== undefined).map((r) => [r.id!, r]))
}

/**
 * The teams the signed-in user may see (all of them for admins), for team
 * pickers and for naming team ids.
 */
export function useTeams() {
  const { result, query } = useList<Team>({ resource: 'teams', ...REFERENCE })
  const teamById = useMemo(() => byId(result.data), [result.data])
  return {
    teams: result.data,
    teamById,
    query,
    loading: query.isLoading,
    error: query.error,
    nameOf: (id: number | null | undefined) =>
      id === null || id === undefined ? '—' : (teamById.get(id)?.name ?? `Team #${id}`),
  }
}

export function useChannels() {
  const { result, query } = useList<Channel>({ resource: 'channels', ...REFERENCE })
  return {
    channels: result.data,
    channelById: useMemo(() => byId(result.data), [result.data]),
    query,
  }
}

/** The users the caller may see (admins: everyone; others: their teams' members). */
export function useUsers() {
  const { result, query } = useList<User>({ resource: 'users', ...REFERENCE })
  return { users: result.data, userById: useMemo(() => byId(result.data), [result.data]), query }
}

/** Who a conversation of this team can be assigned to. */
export function useTeamMembers(teamId: number | undefined) {
  const { result, query } = useList<User>({
    resource: 'team-members',
    meta: { path: `teams/${teamId}/members` },
    ...REFERENCE,
    queryOptions: { ...REFERENCE.queryOptions, enabled: !!teamId },
  })
  return { members: result.data, query }
}

export function useTags(teamId?: number) {
  const { result, query } = useList<TagRecord>({
    resource: 'tags',
    ...REFERENCE,
    meta: teamId ? { query: { teamId } } : undefined,
  })
  return { tags: result.data, query }
}

export function userName(user: Pick<User, 'fullName' | 'email'> | undefined | null): string {
  if (!user) return 'Someone'
  return user.fullName || user.email || 'Someone'
}
