import type User from '#models/user'
import { BasePolicy, AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canManageTeam, canSeeTeam } from '#services/access'
import { notFound, type TeamOwned } from '#policies/team_record_policy'

/** Team members see their channels; supervisors and admins manage them. */
export default class ChannelPolicy extends BasePolicy {
  async view(user: User, channel: TeamOwned): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, channel.teamId)) || notFound()
  }

  async manage(user: User, channel: TeamOwned): Promise<AuthorizerResponse> {
    if (!(await canSeeTeam(user, channel.teamId))) return notFound()
    return (
      (await canManageTeam(user, channel.teamId)) ||
      AuthorizationResponse.deny('Supervisors and admins only', 403)
    )
  }
}
