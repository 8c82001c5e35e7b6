import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import OperatorIdentity from '#models/operator_identity'
import type User from '#models/user'
import { paginate } from '#services/listing'
import { canManageTeam, memberTeamIds } from '#services/access'
import { invalidField } from '#services/team_scope'
import { audit } from '#services/audit'
import {
  createOperatorIdentityValidator,
  listOperatorIdentitiesValidator,
} from '#validators/workspace'

/**
 * Which workspace account is which user. Slack accounts link themselves
 * by email; any other link is made by an admin, or a supervisor of a team
 * the user is in: a link lets that account act as the user.
 */
export default class OperatorIdentitiesController {
  protected async mayLink(actor: User, userId: number) {
    if (actor.role === 'admin') return true
    const teams = await db.from('team_memberships').where('user_id', userId).select('team_id')
    for (const { team_id: teamId } of teams) {
      if (await canManageTeam(actor, teamId)) return true
    }
    return false
  }

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listOperatorIdentitiesValidator)
    const actor = auth.getUserOrFail()
    const query = OperatorIdentity.query()
    // Everyone sees the links of the people in their teams.
    if (actor.role !== 'admin') {
      const teamIds = await memberTeamIds(actor)
      query.whereIn(
        'user_id',
        db.from('team_memberships').whereIn('team_id', teamIds).select('user_id')
      )
    }
    if (params.userId) query.where('user_id', params.userId)
    if (params.platform) query.where('platform', params.platform)
    return paginate(query, params, 'id')
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createOperatorIdentityValidator)
    const actor = ctx.auth.getUserOrFail()
    const user = await db.from('users').where('id', input.userId).first()
    if (!user || !(await this.mayLink(actor, input.userId))) {
      throw invalidField('userId', 'exists', 'No such user among those you manage')
    }
    const taken = await OperatorIdentity.query()
      .where({ platform: input.platform, external_id: input.externalId })
      .first()
    if (taken) {
      return ctx.response.conflict({
        errors: [
          {
            field: 'externalId',
            rule: 'unique',
            message: `This ${input.platform} account is already linked to a user`,
          },
        ],
      })
    }
    const identity = await OperatorIdentity.create({
      userId: input.userId,
      platform: input.platform,
      externalId: input.externalId,
      displayName: input.displayName ?? null,
    })
    await audit(ctx, {
      action: 'operator_identity.linked',
      actorId: actor.id,
      subjectType: 'user',
      subjectId: String(input.userId),
      data: { platform: input.platform, externalId: input.externalId },
    })
    ctx.response.status(201)
    return { data: identity }
  }

  async destroy(ctx: HttpContext) {
    const identity = await OperatorIdentity.find(ctx.params.id)
    const actor = ctx.auth.getUserOrFail()
    if (!identity || !(await this.mayLink(actor, identity.userId))) {
      return ctx.response.notFound({
        errors: [{ field: 'id', rule: 'exists', message: 'No such operator identity' }],
      })
    }
    await identity.delete()
    await audit(ctx, {
      action: 'operator_identity.unlinked',
      actorId: actor.id,
      subjectType: 'user',
      subjectId: String(identity.userId),
      data: { platform: identity.platform, externalId: identity.externalId },
    })
    return ctx.response.noContent()
  }
}
