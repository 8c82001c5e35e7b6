import { Readable } from 'node:stream'
import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import { visibleTeamIds } from '#services/access'
import { dayPeriod } from '#services/period'
import {
  assertZoneKnown,
  conversationsCsv,
  overviewReport,
  type ReportScope,
} from '#services/reports'
import { reportValidator } from '#validators/report'

/**
 * The dashboard: GET /api/v1/reports/overview (numbers and series) and
 * GET /api/v1/reports/conversations.csv. Members read their teams' reports,
 * as they read usage; another team's id is a 404.
 */
export default class ReportsController {
  async overview(ctx: HttpContext) {
    const scope = await this.scope(ctx)
    return { data: await overviewReport(scope), meta: this.meta(scope) }
  }

  async conversationsCsv(ctx: HttpContext) {
    const scope = await this.scope(ctx)
    const { from, to } = this.meta(scope)
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    ctx.response.header(
      'content-disposition',
      `attachment; filename="conversations-${from}-${to}.csv"`
    )
    ctx.response.stream(Readable.from(logged(conversationsCsv(scope))))
  }

  private async scope({ auth, bouncer, request }: HttpContext): Promise<ReportScope> {
    const params = await request.validateUsing(reportValidator)
    const zone = params.tz ?? 'UTC'
    // The last 30 days, today included.
    const period = dayPeriod(params, { zone, defaultFrom: (today) => today.minus({ days: 29 }) })
    await assertZoneKnown(zone)
    let teamIds = await visibleTeamIds(auth.getUserOrFail())
    if (params.teamId) {
      await bouncer.with('TeamRecordPolicy').authorize('view', { teamId: params.teamId })
      teamIds = [params.teamId]
    }
    return { period, teamIds }
  }

  private meta({ period, teamIds }: ReportScope) {
    return {
      from: period.from.toISODate()!,
      to: period.to.minus({ days: 1 }).toISODate()!,
      tz: period.zone,
      teamIds,
    }
  }
}

/** Once the CSV has started, a failure can only cut it short: it is logged, not lost. */
async function* logged(lines: AsyncGenerator<string>) {
  try {
    yield* lines
  } catch (error) {
    logger.error({ err: error }, 'conversations CSV export failed')
    throw error
  }
}
