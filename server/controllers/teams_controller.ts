import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Team from '#models/team'
import TeamService from '#services/team_service'
import { likePattern, paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { createTeamValidator, listTeamsValidator, updateTeamValidator } from '#validators/team'

@inject()
export default class TeamsController {
  constructor(protected teams: TeamService) {}

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listTeamsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = Team.query().withCount('members')
    if (teamIds !== null) query.whereIn('id', teamIds)
    if (params.q) query.whereILike('name', likePattern(params.q))
    const page = await paginate(query, params, 'name')
    return { ...page, data: page.data.map(present) }
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with('TeamPolicy').authorize('create')
    const input = await ctx.request.validateUsing(createTeamValidator)
    const team = await this.teams.create(ctx.auth.getUserOrFail(), input, ctx)
    ctx.response.status(201)
    return { data: team.serialize() }
  }

  async show({ bouncer, params }: HttpContext) {
    const team = await Team.query().where('id', params.id).withCount('members').firstOrFail()
    await bouncer.with('TeamPolicy').authorize('view', team)
    return { data: present(team) }
  }

  async update(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.id)
    await ctx.bouncer.with('TeamPolicy').authorize('manage', team)
    const input = await ctx.request.validateUsing(updateTeamValidator)
    await this.teams.update(ctx.auth.getUserOrFail(), team, input, ctx)
    return { data: team.serialize() }
  }

  async destroy(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.id)
    await ctx.bouncer.with('TeamPolicy').authorize('delete', team)
    await this.teams.delete(ctx.auth.getUserOrFail(), team, ctx)
    return ctx.response.noContent()
  }
}

function present(team: Team) {
  return { ...team.serialize(), memberCount: Number(team.$extras.members_count ?? 0) }
}
