import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Rule from '#models/rule'
import RuleService from '#automation/rule_service'
import {
  createRuleValidator,
  dryRunValidator,
  importRulesValidator,
  listExecutionsValidator,
  listRulesValidator,
  reorderRulesValidator,
  teamQueryValidator,
  updateRuleValidator,
} from '#validators/rule'
import type { Action, Trigger } from '#automation/types'
import { rulesSecret } from '#automation/webhooks'
import { rulesSchema } from '#automation/rule_schema'

/** A team's automation rules, their log and dry runs (server/automation). */
@inject()
export default class RulesController {
  constructor(protected rules: RuleService) {}

  async index({ auth, bouncer, request }: HttpContext) {
    const params = await request.validateUsing(listRulesValidator)
    if (params.teamId) await bouncer.with('RulePolicy').authorize('view', { teamId: params.teamId })
    return this.rules.list(auth.getUserOrFail(), params)
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createRuleValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    const rule = await this.rules.create(teamId, {
      ...input,
      trigger: input.trigger as Trigger,
      actions: input.actions as Action[],
    })
    response.status(201)
    return { data: await rule.refresh() }
  }

  protected async find({ bouncer, params }: HttpContext, ability: 'view' | 'manage') {
    const rule = await Rule.findOrFail(params.id)
    await bouncer.with('RulePolicy').authorize(ability, rule)
    return rule
  }

  async show(ctx: HttpContext) {
    return { data: await this.find(ctx, 'view') }
  }

  async update(ctx: HttpContext) {
    const rule = await this.find(ctx, 'manage')
    const input = await ctx.request.validateUsing(updateRuleValidator)
    return { data: await this.rules.update(rule, input as never) }
  }

  async destroy(ctx: HttpContext) {
    const rule = await this.find(ctx, 'manage')
    await rule.delete()
    return ctx.response.noContent()
  }

  async enable(ctx: HttpContext) {
    return { data: await this.rules.update(await this.find(ctx, 'manage'), { enabled: true }) }
  }

  async disable(ctx: HttpContext) {
    return { data: await this.rules.update(await this.find(ctx, 'manage'), { enabled: false }) }
  }

  async reorder({ auth, bouncer, request }: HttpContext) {
    const input = await request.validateUsing(reorderRulesValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    return { data: await this.rules.reorder(teamId, input.ids) }
  }

  async export({ auth, bouncer, request }: HttpContext) {
    const input = await request.validateUsing(teamQueryValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('view', { teamId })
    return this.rules.export(teamId)
  }

  async import({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(importRulesValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    const result = await this.rules.import(teamId, input.rules as never, input.mode)
    response.status(201)
    return { data: result }
  }

  /** What a rule may say (triggers, fields, operators, actions, limits), for form builders. */
  async schema() {
    return { data: rulesSchema() }
  }

  /** The secret the team's rule webhooks are signed with, for receivers to verify them. */
  async signingSecret({ auth, bouncer, request }: HttpContext) {
    const input = await request.validateUsing(teamQueryValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    return { data: { teamId, secret: await rulesSecret(teamId) } }
  }

  async executions(ctx: HttpContext) {
    const rule = await this.find(ctx, 'view')
    const params = await ctx.request.validateUsing(listExecutionsValidator)
    return this.rules.log(rule, params)
  }

  async dryRun(ctx: HttpContext) {
    const rule = await this.find(ctx, 'view')
    const input = await ctx.request.validateUsing(dryRunValidator)
    return { data: await this.rules.dryRun(rule, input) }
  }
}
