/*
| Policies, loaded lazily by the bouncer. Every record policy answers a
| record of another team with 404, so its existence does not leak.
*/
export const policies = {
  TeamPolicy: () => import('#policies/team_policy'),
  UserPolicy: () => import('#policies/user_policy'),
  TeamRecordPolicy: () => import('#policies/team_record_policy'),
  AuditLogPolicy: () => import('#policies/audit_log_policy'),
  ChannelPolicy: () => import('#policies/channel_policy'),
  WorkspacePolicy: () => import('#policies/workspace_policy'),
  KnowledgePolicy: () => import('#policies/knowledge_policy'),
  RulePolicy: () => import('#policies/rule_policy'),
}
