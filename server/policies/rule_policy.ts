import type User from '#models/user'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canSeeTeam } from '#services/access'
import { managesTeam, notFound, type TeamOwned } from '#policies/team_record_policy'

/**
 * A team's rules: members read them and their log (to know why something
 * happened); supervisors and admins change them, since rules speak to
 * customers and move conversations.
 */
export default class RulePolicy extends BasePolicy {
  async view(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, record.teamId)) || notFound()
  }

  manage(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return managesTeam(user, record.teamId)
  }
}
