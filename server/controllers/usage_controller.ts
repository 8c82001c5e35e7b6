import type { HttpContext } from '@adonisjs/core/http'
import { visibleTeamIds } from '#services/access'
import { dayPeriod } from '#services/period'
import { usageReport } from '#assistant/usage_report'
import { usageValidator } from '#validators/usage'

/** GET /api/v1/usage: the assistant's calls, tokens, cost and outcomes over a period. */
export default class UsageController {
  async show({ auth, bouncer, request }: HttpContext) {
    const params = await request.validateUsing(usageValidator)
    const { from, to } = dayPeriod(params, { defaultFrom: (today) => today.startOf('month') })
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
