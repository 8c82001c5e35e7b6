import type User from '#models/user'
import { BasePolicy, AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { memberTeamIds } from '#services/access'
import { notFound } from '#policies/team_record_policy'

async function sharesTeam(a: User, b: User): Promise<boolean> {
  const [mine, theirs] = await Promise.all([memberTeamIds(a), memberTeamIds(b)])
  return theirs.some((id) => mine.includes(id))
}

/**
 * Admins manage every account. Supervisors manage the operators of their
 * teams. Everyone may see teammates (to assign work) and themselves.
 */
export default class UserPolicy extends BasePolicy {
  async view(actor: User, target: User): Promise<AuthorizerResponse> {
    if (actor.role === 'admin' || actor.id === target.id) return true
    return (await sharesTeam(actor, target)) || notFound()
  }

  create(actor: User): AuthorizerResponse {
    return (
      ['admin', 'supervisor'].includes(actor.role) ||
      AuthorizationResponse.deny('Supervisors and admins only', 403)
    )
  }

  async update(actor: User, target: User): Promise<AuthorizerResponse> {
    if (actor.role === 'admin') return true
    const visible = await this.view(actor, target)
    if (visible !== true) return visible
    if (actor.id === target.id) return true
    if (actor.role === 'supervisor' && target.role === 'operator') return true
    return AuthorizationResponse.deny('Not allowed to change this user', 403)
  }

  async delete(actor: User, target: User): Promise<AuthorizerResponse> {
    if (actor.id === target.id) return AuthorizationResponse.deny('You cannot delete yourself', 403)
    if (actor.role === 'admin') return true
    const visible = await this.view(actor, target)
    if (visible !== true) return visible
    if (actor.role === 'supervisor' && target.role === 'operator') return true
    return AuthorizationResponse.deny('Not allowed to delete this user', 403)
  }
}
