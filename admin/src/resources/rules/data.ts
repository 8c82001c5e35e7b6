/*
| The rules pages' reads: the schema that drives the builder, a team's
| whole ordered list (reordering names every rule of the team), teams and
| members for the pickers.
*/
import { keys, useInvalidate, type HttpError } from '@refinedev/core'
import { useQuery } from '@tanstack/react-query'
import { api } from '../../providers/http'
import { me } from '../../providers/session'
import type { ApiList } from '../../providers/data_core'
import type { Schemas } from '../../api/types'
import type { RuleSchema } from './rule_form'

export type Rule = Schemas['Rule']
export type Team = Schemas['Team']
export type User = Schemas['User']
export type Conversation = Schemas['Conversation']
export type Execution = Schemas['RuleExecution']

/** The schema changes only with a deploy: read once per page load. */
export function useRuleSchema() {
  return useQuery<RuleSchema, HttpError>({
    queryKey: ['rules-schema'],
    queryFn: async () => (await api<{ data: RuleSchema }>('GET', '/rules/schema')).data,
    staleTime: Infinity,
    retry: 1,
  })
}

const PAGE = 100

/** Every page of a list, for the few lists a page needs whole. */
async function all<T>(path: string, query: Record<string, unknown>): Promise<T[]> {
  const rows: T[] = []
  for (let page = 1; ; page++) {
    const body = await api<ApiList<T>>('GET', path, { query: { ...query, page, perPage: PAGE } })
    rows.push(...body.data)
    if (body.data.length < PAGE || rows.length >= (body.meta?.total ?? 0)) return rows
  }
}

/** Under Refine's list key for `rules`, so its own invalidations (after a save) refresh it. */
export const teamRulesKey = (teamId: number | undefined) =>
  keys().data().resource('rules').action('list').params({ whole: true, teamId }).get()

/** A team's rules in the order they run. */
export function useTeamRules(teamId: number | undefined) {
  return useQuery<Rule[], HttpError>({
    queryKey: teamRulesKey(teamId),
    queryFn: () => all<Rule>('/rules', { teamId, sort: 'priority' }),
    enabled: teamId !== undefined,
  })
}

/** Refreshes every rules query (list, records) after a change made outside Refine's forms. */
export function useRefreshRules() {
  const invalidate = useInvalidate()
  return () => invalidate({ resource: 'rules', invalidates: ['list', 'many', 'detail'] })
}

export function useTeams() {
  return useQuery({
    queryKey: keys().data().resource('teams').action('list').params({ whole: true }).get(),
    queryFn: () => all<Team>('/teams', { sort: 'name' }),
    staleTime: 60_000,
  })
}

export function useTeamMembers(teamId: number | undefined) {
  return useQuery({
    queryKey: ['team-members', teamId],
    queryFn: () => all<User>(`/teams/${teamId}/members`, {}),
    enabled: teamId !== undefined,
    staleTime: 60_000,
  })
}

/** A missing record stays missing: no retries for a 404 (or 403). */
export function retryUnlessMissing(count: number, error: HttpError): boolean {
  return ![403, 404].includes(error?.statusCode) && count < 2
}

const LAST_TEAM = 'rules.teamId'

/**
 * The team the rules pages start on: the one in the URL, else the last one
 * picked here, else the user's own first team, else the first listed.
 */
export function useCurrentTeam(fromUrl: number | undefined) {
  const teams = useTeams()
  const user = useQuery({ queryKey: ['me'], queryFn: me, staleTime: Infinity })
  const listed = teams.data ?? []
  const known = (id: number | undefined) => (id && listed.some((t) => t.id === id) ? id : undefined)
  const stored = Number(sessionStorage.getItem(LAST_TEAM)) || undefined
  const teamId =
    known(fromUrl) ??
    known(stored) ??
    known(user.data?.teams.find((t) => known(t.id))?.id) ??
    listed[0]?.id
  return {
    teams,
    teamId: teams.isLoading || user.isLoading ? undefined : teamId,
    remember: (id: number) => sessionStorage.setItem(LAST_TEAM, String(id)),
  }
}
