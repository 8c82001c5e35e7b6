import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import OperatorWorkspace from '#models/operator_workspace'
import WorkspaceService, { presentWorkspace } from '#operators/workspaces'
import { paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import {
  createWorkspaceValidator,
  listWorkspacesValidator,
  updateWorkspaceValidator,
} from '#validators/workspace'

/** Operator workspaces: where a team's people answer (Slack, Telegram topics). */
@inject()
export default class WorkspacesController {
  constructor(protected workspaces: WorkspaceService) {}

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listWorkspacesValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = OperatorWorkspace.query()
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    if (params.platform) query.where('platform', params.platform)
    const page = await paginate(query, params, 'id')
    return { ...page, data: page.data.map((w) => presentWorkspace(w as OperatorWorkspace)) }
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createWorkspaceValidator)
    await bouncer.with('WorkspacePolicy').authorize('manage', { teamId: input.teamId })
    const workspace = await this.workspaces.create(auth.getUserOrFail(), input)
    response.status(201)
    return { data: presentWorkspace(workspace) }
  }

  protected async find({ bouncer, params }: HttpContext, ability: 'view' | 'manage') {
    const workspace = await OperatorWorkspace.findOrFail(params.id)
    await bouncer.with('WorkspacePolicy').authorize(ability, workspace)
    return workspace
  }

  async show(ctx: HttpContext) {
    return { data: presentWorkspace(await this.find(ctx, 'view')) }
  }

  async update(ctx: HttpContext) {
    const workspace = await this.find(ctx, 'manage')
    const input = await ctx.request.validateUsing(updateWorkspaceValidator)
    return { data: presentWorkspace(await this.workspaces.update(workspace, input)) }
  }

  async destroy(ctx: HttpContext) {
    await this.workspaces.delete(await this.find(ctx, 'manage'))
    return ctx.response.noContent()
  }
}
