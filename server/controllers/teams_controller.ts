import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Team from '#models/team'
import TeamService from '#services/team_service'
import { likePattern, paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { assistantPreview } from '#assistant/preview'
import {
  assistantPreviewValidator,
  createTeamValidator,
  listTeamsValidator,
  updateTeamValidator,
} from '#validators/team'

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
    return { data: present(team) }
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
    return { data: present(team) }
  }

  /** POST /teams/:id/assistant/preview {prompt?}: what the model would be told. */
  async previewAssistant(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.id)
    await ctx.bouncer.with('TeamPolicy').authorize('manage', team)
    const { prompt } = await ctx.request.validateUsing(assistantPreviewValidator)
    return { data: assistantPreview(team, prompt) }
  }

  async destroy(ctx: HttpContext) {
    const team = await Team.findOrFail(ctx.params.id)
    await ctx.bouncer.with('TeamPolicy').authorize('delete', team)
    await this.teams.delete(ctx.auth.getUserOrFail(), team, ctx)
    return ctx.response.noContent()
  }
}

function present(team: Team) {
  return {
    ...team.serialize(),
    // The key itself is never shown; whether there is one is.
    assistantApiKeySet: Boolean(team.assistantKeyEncrypted),
    ...(team.$extras.members_count !== undefined
      ? { memberCount: Number(team.$extras.members_count) }
      : {}),
  }
}
