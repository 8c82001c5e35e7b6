import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Team from '#models/team'
import User from '#models/user'
import TeamService from '#services/team_service'
import { paginate } from '#services/listing'
import { presentUser, presentUsers } from '#services/presenters'
import { addMemberValidator } from '#validators/team'
import { pageFieldsValidator } from '#validators/common'

@inject()
export default class TeamMembershipsController {
  constructor(protected teams: TeamService) {}

  /** GET /teams/:teamId/members */
  async index({ bouncer, params, request }: HttpContext) {
    const team = await Team.findOrFail(params.teamId)
    await bouncer.with('TeamPolicy').authorize('view', team)
    const page = await paginate(
      User.query().whereIn('id', (q) =>
        q.from('team_memberships').where('team_id', team.id).select('user_id')
      ),
      await request.validateUsing(pageFieldsValidator),
      'id'
    )
    return { ...page, data: await presentUsers(page.data) }
  }

  /** POST /teams/:teamId/members {userId}: 201 when added, 200 when already a member. */
  async store(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.teamId)
    await ctx.bouncer.with('TeamPolicy').authorize('manage', team)
    const { userId } = await ctx.request.validateUsing(addMemberValidator)
    const member = await User.find(userId)
    if (!member) {
      return ctx.response.unprocessableEntity({
        errors: [{ field: 'userId', rule: 'exists', message: 'No such user' }],
      })
    }
    const created = await this.teams.addMember(ctx.auth.getUserOrFail(), team, member, ctx)
    ctx.response.status(created ? 201 : 200)
    return { data: await presentUser(member) }
  }

  /** DELETE /teams/:teamId/members/:userId */
  async destroy(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.teamId)
    await ctx.bouncer.with('TeamPolicy').authorize('manage', team)
    const member = await User.findOrFail(ctx.params.userId)
    const removed = await this.teams.removeMember(ctx.auth.getUserOrFail(), team, member, ctx)
    if (!removed)
      return ctx.response.notFound({ errors: [{ message: 'Not a member of this team' }] })
    return ctx.response.noContent()
  }
}
