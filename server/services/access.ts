import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'

/**
 * Which teams a user may see. Admins see every team (`null` means "no
 * filter"); everyone else sees the teams they are a member of. The answer
 * is read once per user object, i.e. once per request.
 */
const cache = new WeakMap<User, Promise<number[]>>()

export function memberTeamIds(user: User): Promise<number[]> {
  let ids = cache.get(user)
  // Loaded with the user at authentication (auth_user_providers.ts).
  if (!ids && Array.isArray(user.$extras.team_ids)) {
    ids = Promise.resolve((user.$extras.team_ids as unknown[]).map(Number))
    cache.set(user, ids)
  }
  if (!ids) {
    ids = db
      .from('team_memberships')
      .where('user_id', user.id)
      .select('team_id')
      .then((rows) => rows.map((r) => Number(r.team_id)))
    cache.set(user, ids)
  }
  return ids
}

export async function visibleTeamIds(user: User): Promise<number[] | null> {
  return user.role === 'admin' ? null : memberTeamIds(user)
}

export async function canSeeTeam(user: User, teamId: number): Promise<boolean> {
  if (user.role === 'admin') return true
  const teamIds = await memberTeamIds(user)
  return teamIds.includes(teamId)
}

/** Supervisors manage the teams they belong to; admins manage all. */
export async function canManageTeam(user: User, teamId: number): Promise<boolean> {
  if (user.role === 'admin') return true
  if (user.role !== 'supervisor') return false
  const teamIds = await memberTeamIds(user)
  return teamIds.includes(teamId)
}

/**
 * SQL selecting a user's team ids as `team_ids`, for the queries that load
 * a user at authentication; memberTeamIds reads them from `$extras`.
 */
export function teamIdsColumn(userIdColumn: string) {
  return `ARRAY(SELECT team_id FROM team_memberships WHERE user_id = ${userIdColumn}) AS team_ids`
}

/** Forget a user's cached teams after their memberships change within a request. */
export function forgetTeams(user: User) {
  cache.delete(user)
  delete user.$extras.team_ids
}
