import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import type AuditLog from '#models/audit_log'

type TeamRef = { id: number; name: string }

/** The teams of many users in one query, keyed by user id. */
async function teamsOf(userIds: number[]): Promise<Map<number, TeamRef[]>> {
  const rows = await db
    .from('teams')
    .join('team_memberships', 'team_memberships.team_id', 'teams.id')
    .whereIn('team_memberships.user_id', userIds)
    .orderBy('teams.name')
    .select('team_memberships.user_id', 'teams.id', 'teams.name')
  const byUser = new Map<number, TeamRef[]>()
  for (const { user_id: userId, id, name } of rows) {
    byUser.set(userId, [...(byUser.get(userId) ?? []), { id, name }])
  }
  return byUser
}

/** Users as the API shows them: the account and the teams it belongs to. */
export async function presentUsers(users: User[]) {
  const teams = users.length ? await teamsOf(users.map((u) => u.id)) : new Map()
  return users.map((user) => ({
    ...user.serialize(),
    disabled: user.disabledAt !== null,
    teams: teams.get(user.id) ?? [],
  }))
}

export async function presentUser(user: User) {
  const [presented] = await presentUsers([user])
  return presented
}

/** Audit rows with who acted (email and name), so a reader needs no second lookup. */
export async function presentAuditLogs(rows: AuditLog[]) {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is number => id !== null))]
  const users = ids.length
    ? await db.from('users').whereIn('id', ids).select('id', 'email', 'full_name')
    : []
  const byId = new Map(
    users.map((u) => [u.id, { id: u.id, email: u.email, fullName: u.full_name }])
  )
  return rows.map((row) => ({
    ...row.serialize(),
    actor: row.actorId === null ? null : (byId.get(row.actorId) ?? null),
  }))
}
