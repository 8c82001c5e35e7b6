import type User from '#models/user'
import type Team from '#models/team'
import { BasePolicy, AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canSeeTeam } from '#services/access'
import { managesTeam, notFound } from '#policies/team_record_policy'

export default class TeamPolicy extends BasePolicy {
  async view(user: User, team: Team): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, team.id)) || notFound()
  }

  /** Settings and membership: supervisors of the team, and admins. */
  manage(user: User, team: Team): Promise<AuthorizerResponse> {
    return managesTeam(user, team.id)
  }

  /** Creating and deleting teams changes the install: admins only. */
  create(user: User): AuthorizerResponse {
    return user.role === 'admin' || AuthorizationResponse.deny('Admins only', 403)
  }

  async delete(user: User, team: Team): Promise<AuthorizerResponse> {
    if (!(await canSeeTeam(user, team.id))) return notFound()
    return user.role === 'admin' || AuthorizationResponse.deny('Admins only', 403)
  }
}
