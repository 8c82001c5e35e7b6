import { useForm } from '@refinedev/antd'
import type { Schemas, Team } from '../../api/types'

export type TeamSettings = Schemas['TeamSettings']
export type SettingsValues = { settings?: TeamSettings }

/**
 * One tab's form over the team's settings. The API merges `settings` over
 * the stored ones key by key, so each tab sends only its own part.
 */
export function useTeamSettingsForm(team: Team, what: string) {
  return useForm<Team, any, SettingsValues>({
    resource: 'teams',
    action: 'edit',
    id: team.id,
    redirect: false,
    successNotification: { type: 'success', message: `${what} saved` },
  })
}
