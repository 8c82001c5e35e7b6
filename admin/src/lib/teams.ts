import { useTeams as useTeamList } from './lookups'

/**
 * The teams the signed-in user may see (all of them for admins), for team
 * pickers and for naming team ids; the shared reference list of lookups.ts.
 */
export function useTeams() {
  const { teams, teamById, query } = useTeamList()
  return {
    teams,
    byId: teamById,
    loading: query.isLoading,
    error: query.error,
    nameOf: (id: number | null | undefined) =>
      id === null || id === undefined ? '—' : (teamById.get(id)?.name ?? `Team #${id}`),
  }
}
