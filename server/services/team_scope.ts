import { Exception } from '@adonisjs/core/exceptions'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { canSeeTeam } from '#services/access'

/** A 422 naming the field, the shape every validation error has. */
export function invalidField(field: string, rule: string, message: string) {
  const error = new Exception(message, { status: 422, code: 'E_INVALID_FIELD' }) as Exception & {
    field: string
    rule: string
  }
  error.field = field
  error.rule = rule
  return error
}

/** The caller may only place a record in a team they belong to. */
export async function assertTeamAllowed(user: User, teamId: number, field = 'teamId') {
  const exists = await db.from('teams').where('id', teamId).first()
  if (!exists || !(await canSeeTeam(user, teamId))) {
    throw invalidField(field, 'exists', 'No such team among yours')
  }
}

/** A referenced row (contact, channel) must exist in the same team. */
export async function assertInTeam(table: string, id: number, teamId: number, field: string) {
  const row = await db.from(table).where({ id, team_id: teamId }).first()
  if (!row) throw invalidField(field, 'exists', `No such ${field.replace(/Id$/, '')} in this team`)
}

/** An assignee must be an enabled member of the conversation's team. */
export async function assertAssignable(userId: number, teamId: number, field = 'assigneeId') {
  const row = await db
    .from('team_memberships')
    .join('users', 'users.id', 'team_memberships.user_id')
    .where({ 'team_memberships.team_id': teamId, 'team_memberships.user_id': userId })
    .whereNull('users.disabled_at')
    .first()
  if (!row) throw invalidField(field, 'exists', 'The assignee must be an active member of the team')
}
