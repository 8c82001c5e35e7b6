import type User from '#models/user'
import db from '@adonisjs/lucid/services/db'

/** A user as the API shows it: the account and the teams it belongs to. */
export async function presentUser(user: User) {
  const teams = await db
    .from('teams')
    .join('team_memberships', 'team_memberships.team_id', 'teams.id')
    .where('team_memberships.user_id', user.id)
    .orderBy('teams.name')
    .select('teams.id', 'teams.name')
  return { ...user.serialize(), disabled: user.disabledAt !== null, teams }
}
