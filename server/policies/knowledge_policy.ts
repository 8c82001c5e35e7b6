import type User from '#models/user'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canSeeTeam } from '#services/access'
import { managesTeam, notFound, type TeamOwned } from '#policies/team_record_policy'

/**
 * A team's knowledge: its members read and search it (they answer from it);
 * supervisors and admins change it, since it shapes what the assistant says.
 */
export default class KnowledgePolicy extends BasePolicy {
  async view(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, record.teamId)) || notFound()
  }

  manage(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return managesTeam(user, record.teamId)
  }
}
