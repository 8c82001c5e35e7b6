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
import { audit, auditChange } from '#services/audit'

const subject = (rule: Rule) => ({
  type: 'rule',
  id: rule.id,
  teamId: rule.teamId,
  name: rule.name,
})

/** A team's automation rules, their log and dry runs (server/automation). */
@inject()
export default class RulesController {
  constructor(protected rules: RuleService) {}

  async index({ auth, bouncer, request }: HttpContext) {
    const params = await request.validateUsing(listRulesValidator)
    if (params.teamId) await bouncer.with('RulePolicy').authorize('view', { teamId: params.teamId })
    return this.rules.list(auth.getUserOrFail(), params)
  }

  async store(ctx: HttpContext) {
    const { auth, bouncer, request, response } = ctx
    const input = await request.validateUsing(createRuleValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    const rule = await this.rules.create(teamId, {
      ...input,
      trigger: input.trigger as Trigger,
      actions: input.actions as Action[],
    })
    await auditChange(ctx, 'rule.created', subject(rule))
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
    const updated = await this.rules.update(rule, input as never)
    await auditChange(ctx, 'rule.updated', subject(rule))
    return { data: updated }
  }

  async destroy(ctx: HttpContext) {
    const rule = await this.find(ctx, 'manage')
    await rule.delete()
    await auditChange(ctx, 'rule.deleted', subject(rule))
    return ctx.response.noContent()
  }

  async enable(ctx: HttpContext) {
    return this.switch(ctx, true)
  }

  async disable(ctx: HttpContext) {
    return this.switch(ctx, false)
  }

  protected async switch(ctx: HttpContext, enabled: boolean) {
    const rule = await this.find(ctx, 'manage')
    const updated = await this.rules.update(rule, { enabled })
    await auditChange(ctx, enabled ? 'rule.enabled' : 'rule.disabled', subject(rule))
    return { data: updated }
  }

  async reorder(ctx: HttpContext) {
    const { auth, bouncer, request } = ctx
    const input = await request.validateUsing(reorderRulesValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    const order = await this.rules.reorder(teamId, input.ids)
    await audit(ctx, {
      action: 'rules.reordered',
      actorId: auth.user?.id,
      subjectType: 'team',
      subjectId: teamId,
      data: { ids: input.ids },
    })
    return { data: order }
  }

  async export({ auth, bouncer, request }: HttpContext) {
    const input = await request.validateUsing(teamQueryValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('view', { teamId })
    return this.rules.export(teamId)
  }

  async import(ctx: HttpContext) {
    const { auth, bouncer, request, response } = ctx
    const input = await request.validateUsing(importRulesValidator)
    const teamId = await this.rules.teamFor(auth.getUserOrFail(), input.teamId)
    await bouncer.with('RulePolicy').authorize('manage', { teamId })
    const result = await this.rules.import(teamId, input.rules as never, input.mode)
    await audit(ctx, {
      action: 'rules.imported',
      actorId: auth.user?.id,
      subjectType: 'team',
      subjectId: teamId,
      data: { mode: input.mode ?? null, count: input.rules.length },
    })
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
