import type { HttpContext } from '@adonisjs/core/http'
import AuditLog from '#models/audit_log'
import { paginate } from '#services/listing'
import { presentAuditLogs } from '#services/presenters'
import { listAuditLogsValidator } from '#validators/audit_log'

export default class AuditLogsController {
  /** GET /api/v1/audit-logs: admins only, newest first. */
  async index({ bouncer, request }: HttpContext) {
    await bouncer.with('AuditLogPolicy').authorize('viewList')
    const params = await request.validateUsing(listAuditLogsValidator)
    const query = AuditLog.query()
    if (params.action) query.where('action', params.action)
    if (params.actorId) query.where('actor_id', params.actorId)
    if (params.subjectType) query.where('subject_type', params.subjectType)
    if (params.subjectId) query.where('subject_id', params.subjectId)
    const page = await paginate(query, params, '-id')
    return { ...page, data: await presentAuditLogs(page.data as AuditLog[]) }
  }
}
