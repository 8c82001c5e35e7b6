import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Channel from '#models/channel'
import ChannelService from '#services/channel_service'
import { presentChannel } from '#messaging/channels'
import { paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import {
  createChannelValidator,
  listChannelsValidator,
  updateChannelValidator,
} from '#validators/channel'

/** Channels: secrets go in once and come back only in the creation answer. */
@inject()
export default class ChannelsController {
  constructor(protected channels: ChannelService) {}

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listChannelsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = Channel.query()
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    if (params.platform) query.where('platform', params.platform)
    const page = await paginate(query, params, 'id')
    return { ...page, data: page.data.map((channel) => presentChannel(channel as Channel)) }
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createChannelValidator)
    await bouncer.with('ChannelPolicy').authorize('manage', { teamId: input.teamId })
    const { channel, reveal } = await this.channels.create(auth.getUserOrFail(), input)
    response.status(201)
    return { data: presentChannel(channel, reveal) }
  }

  protected async find({ bouncer, params }: HttpContext, ability: 'view' | 'manage') {
    const channel = await Channel.findOrFail(params.id)
    await bouncer.with('ChannelPolicy').authorize(ability, channel)
    return channel
  }

  async show(ctx: HttpContext) {
    return { data: presentChannel(await this.find(ctx, 'view')) }
  }

  async update(ctx: HttpContext) {
    const channel = await this.find(ctx, 'manage')
    const input = await ctx.request.validateUsing(updateChannelValidator)
    return { data: presentChannel(await this.channels.update(channel, input)) }
  }

  async destroy(ctx: HttpContext) {
    await this.channels.delete(await this.find(ctx, 'manage'))
    return ctx.response.noContent()
  }

  async start(ctx: HttpContext) {
    const channel = await this.find(ctx, 'manage')
    return { data: presentChannel(await this.channels.setEnabled(channel, true)) }
  }

  async stop(ctx: HttpContext) {
    const channel = await this.find(ctx, 'manage')
    return { data: presentChannel(await this.channels.setEnabled(channel, false)) }
  }
}
