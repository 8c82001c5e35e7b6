import type { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLog from '#models/audit_log'

export interface AuditEntry {
  action: string
  actorId?: number | null
  subjectType?: string
  subjectId?: string | number
  data?: Record<string, unknown>
}

/**
 * Writes who did what, when and from where. Pass the transaction of the
 * change it records, so both commit or neither does.
 */
export async function audit(
  ctx: Pick<HttpContext, 'request'> | null,
  entry: AuditEntry,
  trx?: TransactionClientContract
) {
  return AuditLog.create(
    {
      action: entry.action,
      actorId: entry.actorId ?? null,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
      ip: ctx?.request.ip() ?? null,
      userAgent: ctx?.request.header('user-agent')?.slice(0, 400) ?? null,
      data: entry.data ?? {},
    },
    { client: trx }
  )
}

/** A signed-in user changed one of a team's records (a rule, a channel): who, what, which. */
export function auditChange(
  ctx: Pick<HttpContext, 'request' | 'auth'>,
  action: string,
  subject: { type: string; id: number; teamId: number; name?: string | null },
  data: Record<string, unknown> = {}
) {
  return audit(ctx, {
    action,
    actorId: ctx.auth.user?.id,
    subjectType: subject.type,
    subjectId: subject.id,
    data: { teamId: subject.teamId, name: subject.name ?? null, ...data },
  })
}
