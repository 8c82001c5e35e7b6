import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import Channel from '#models/channel'
import ChannelService from '#services/channel_service'
import { presentChannel } from '#messaging/channels'
import { paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { auditChange } from '#services/audit'
import {
  createChannelValidator,
  listChannelsValidator,
  updateChannelValidator,
} from '#validators/channel'

const subject = (channel: Channel) => ({
  type: 'channel',
  id: channel.id,
  teamId: channel.teamId,
  name: channel.name,
})

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

  async store(ctx: HttpContext) {
    const { auth, bouncer, request, response } = ctx
    const input = await request.validateUsing(createChannelValidator)
    await bouncer.with('ChannelPolicy').authorize('manage', { teamId: input.teamId })
    const { channel, reveal } = await this.channels.create(auth.getUserOrFail(), input)
    await auditChange(ctx, 'channel.created', subject(channel), { platform: channel.platform })
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
    const updated = await this.channels.update(channel, input)
    // Which settings changed, never their values: some are secrets.
    await auditChange(ctx, 'channel.updated', subject(channel), {
      fields: Object.keys(input).filter((k) => k !== 'config'),
      config: Object.keys(input.config ?? {}),
    })
    return { data: presentChannel(updated) }
  }

  async destroy(ctx: HttpContext) {
    const channel = await this.find(ctx, 'manage')
    await this.channels.delete(channel)
    await auditChange(ctx, 'channel.deleted', subject(channel))
    return ctx.response.noContent()
  }

  async start(ctx: HttpContext) {
    return this.switch(ctx, true)
  }

  async stop(ctx: HttpContext) {
    return this.switch(ctx, false)
  }

  protected async switch(ctx: HttpContext, enabled: boolean) {
    const channel = await this.find(ctx, 'manage')
    const updated = await this.channels.setEnabled(channel, enabled)
    await auditChange(ctx, enabled ? 'channel.started' : 'channel.stopped', subject(channel))
    return { data: presentChannel(updated) }
  }
}
