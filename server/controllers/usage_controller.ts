import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import clock from '#services/clock'
import { visibleTeamIds } from '#services/access'
import { invalidField } from '#services/team_scope'
import { usageReport } from '#assistant/usage_report'
import { usageValidator } from '#validators/usage'

/** GET /api/v1/usage: the assistant's calls, tokens, cost and outcomes over a period. */
export default class UsageController {
  async show({ auth, bouncer, request }: HttpContext) {
    const params = await request.validateUsing(usageValidator)
    const now = clock.now().toUTC()
    const from = params.from
      ? DateTime.fromJSDate(params.from, { zone: 'utc' }).startOf('day')
      : now.startOf('month')
    // `to` is a whole day, included.
    const to = params.to
      ? DateTime.fromJSDate(params.to, { zone: 'utc' }).startOf('day').plus({ days: 1 })
      : now.plus({ days: 1 }).startOf('day')
    if (to <= from) throw invalidField('to', 'afterOrEqual', '`to` must not be before `from`')
    if (to.diff(from, 'days').days > 366) {
      throw invalidField('from', 'range', 'The period may span at most 366 days')
    }
    let teamIds = await visibleTeamIds(auth.getUserOrFail())
    if (params.teamId) {
      await bouncer.with('KnowledgePolicy').authorize('view', { teamId: params.teamId })
      teamIds = [params.teamId]
    }
    const groupBy = params.groupBy ?? 'day'
    const report = await usageReport({ from: from.toJSDate(), to: to.toJSDate(), groupBy, teamIds })
    return {
      data: report.rows,
      meta: {
        from: from.toISODate(),
        to: to.minus({ days: 1 }).toISODate(),
        groupBy,
        totals: report.totals,
      },
    }
  }
}
