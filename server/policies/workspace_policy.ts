import type User from '#models/user'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import TeamRecordPolicy, { managesTeam, type TeamOwned } from '#policies/team_record_policy'

/** Team members see their workspaces; supervisors and admins manage them. */
export default class WorkspacePolicy extends TeamRecordPolicy {
  manage(user: User, workspace: TeamOwned): Promise<AuthorizerResponse> {
    return managesTeam(user, workspace.teamId)
  }
}
