import type User from '#models/user'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import TeamRecordPolicy, { managesTeam, type TeamOwned } from '#policies/team_record_policy'

/** Team members see their channels; supervisors and admins manage them. */
export default class ChannelPolicy extends TeamRecordPolicy {
  manage(user: User, channel: TeamOwned): Promise<AuthorizerResponse> {
    return managesTeam(user, channel.teamId)
  }
}
