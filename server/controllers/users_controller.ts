import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import UserService from '#services/user_service'
import { likePattern, paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { presentUser, presentUsers } from '#services/presenters'
import { createUserValidator, listUsersValidator, updateUserValidator } from '#validators/user'

@inject()
export default class UsersController {
  constructor(protected users: UserService) {}

  /** Admins list everyone; others list the members of their teams. */
  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listUsersValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = User.query()
    if (teamIds !== null) {
      query.whereIn('id', (sub) =>
        sub.from('team_memberships').whereIn('team_id', teamIds).select('user_id')
      )
    }
    if (params.teamId) {
      query.whereIn('id', (sub) =>
        sub.from('team_memberships').where('team_id', params.teamId!).select('user_id')
      )
    }
    if (params.role) query.where('role', params.role)
    if (params.q) {
      const like = likePattern(params.q)
      query.where((q) => q.whereILike('email', like).orWhereILike('full_name', like))
    }
    const page = await paginate(query, params, 'id')
    return { ...page, data: await presentUsers(page.data) }
  }

  async store(ctx: HttpContext) {
    const actor = ctx.auth.getUserOrFail()
    await ctx.bouncer.with('UserPolicy').authorize('create')
    const input = await ctx.request.validateUsing(createUserValidator)
    const user = await this.users.create(actor, input, ctx)
    ctx.response.status(201)
    return { data: await presentUser(user) }
  }

  async show({ bouncer, params }: HttpContext) {
    const user = await User.findOrFail(params.id)
    await bouncer.with('UserPolicy').authorize('view', user)
    return { data: await presentUser(user) }
  }

  async update(ctx: HttpContext) {
    const user = await User.findOrFail(ctx.params.id)
    await ctx.bouncer.with('UserPolicy').authorize('update', user)
    const changes = await ctx.request.validateUsing(updateUserValidator)
    await this.users.update(ctx.auth.getUserOrFail(), user, changes, ctx)
    return { data: await presentUser(user) }
  }

  async destroy(ctx: HttpContext) {
    const user = await User.findOrFail(ctx.params.id)
    await ctx.bouncer.with('UserPolicy').authorize('delete', user)
    await this.users.delete(ctx.auth.getUserOrFail(), user, ctx)
    return ctx.response.noContent()
  }
}
