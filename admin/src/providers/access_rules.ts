import type { Role } from './session'

/*
| Who may do what in the panel. The server decides for real (every endpoint
| checks its policy); this only hides what a role cannot use, mirroring the
| server's rules: operators work conversations and contacts and read
| knowledge, supervisors manage their teams, admins everything. Users and
| the audit log are for admins only.
*/
export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | 'clone' | string

const READ = ['list', 'show']
const ALL = '*'

const RULES: Record<string, Partial<Record<Role, string[] | typeof ALL>>> = {
  dashboard: { admin: ALL, supervisor: ALL, operator: READ },
  conversations: { admin: ALL, supervisor: ALL, operator: ALL },
  contacts: { admin: ALL, supervisor: ALL, operator: ['list', 'show', 'edit'] },
  rules: { admin: ALL, supervisor: ALL, operator: READ },
  knowledge: { admin: ALL, supervisor: ALL, operator: READ },
  collections: { admin: ALL, supervisor: ALL, operator: READ },
  documents: { admin: ALL, supervisor: ALL, operator: READ },
  search: { admin: ALL, supervisor: ALL, operator: READ },
  usage: { admin: ALL, supervisor: ALL },
  teams: { admin: ALL, supervisor: ['list', 'show', 'edit'] },
  channels: { admin: ALL, supervisor: ALL },
  workspaces: { admin: ALL, supervisor: ALL },
  'operator-identities': { admin: ALL, supervisor: ALL },
  tags: { admin: ALL, supervisor: ALL, operator: READ },
  users: { admin: ALL },
  'audit-logs': { admin: ALL },
  account: { admin: ALL, supervisor: ALL, operator: ALL },
}

export function allowed(role: Role | null | undefined, resource: string, action: Action): boolean {
  if (!role) return false
  const grant = RULES[resource]?.[role]
  if (!grant) return false
  return grant === ALL || grant.includes(action)
}
