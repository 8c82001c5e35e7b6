import type User from '#models/user'
import type Team from '#models/team'
import { BasePolicy, AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canManageTeam, canSeeTeam } from '#services/access'
import { notFound } from '#policies/team_record_policy'

export default class TeamPolicy extends BasePolicy {
  async view(user: User, team: Team): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, team.id)) || notFound()
  }

  /** Settings and membership: supervisors of the team, and admins. */
  async manage(user: User, team: Team): Promise<AuthorizerResponse> {
    if (!(await canSeeTeam(user, team.id))) return notFound()
    return (
      (await canManageTeam(user, team.id)) ||
      AuthorizationResponse.deny('Supervisors and admins only', 403)
    )
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
