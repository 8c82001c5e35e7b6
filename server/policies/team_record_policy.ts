import type User from '#models/user'
import { BasePolicy } from '@adonisjs/bouncer'
import { AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'
import { canManageTeam, canSeeTeam } from '#services/access'

/** A record that belongs to one team: a contact, a conversation, a tag, a channel. */
export interface TeamOwned {
  teamId: number
}

export const notFound = () => AuthorizationResponse.deny('Not found', 404)

/** Another team's record is a 404; a member who does not manage it gets 403. */
export async function managesTeam(user: User, teamId: number): Promise<AuthorizerResponse> {
  if (!(await canSeeTeam(user, teamId))) return notFound()
  return (
    (await canManageTeam(user, teamId)) ||
    AuthorizationResponse.deny('Supervisors and admins only', 403)
  )
}

/**
 * Operators see and act on their teams' records; supervisors also delete
 * them; admins do everything.
 */
export default class TeamRecordPolicy extends BasePolicy {
  async view(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return (await canSeeTeam(user, record.teamId)) || notFound()
  }

  /** Acting on a record (reply, assign, tag, update) needs only team membership. */
  async update(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return this.view(user, record)
  }

  /** Creating into a team: the caller must belong to it. */
  async create(user: User, teamId: number): Promise<AuthorizerResponse> {
    return (
      (await canSeeTeam(user, teamId)) ||
      AuthorizationResponse.deny('Not a member of this team', 403)
    )
  }

  delete(user: User, record: TeamOwned): Promise<AuthorizerResponse> {
    return managesTeam(user, record.teamId)
  }
}
