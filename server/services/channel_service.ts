import db from '@adonisjs/lucid/services/db'
import Channel from '#models/channel'
import type User from '#models/user'
import { ChannelConfigError } from '#channels/port'
import { channelFactory, forgetAdapter } from '#channels/registry'
import { encryptConfig, specOf } from '#messaging/channels'
import runner from '#messaging/runner'
import { assertTeamAllowed, invalidField } from '#services/team_scope'

/** A platform's verdict on a config, as a 422 naming the field. */
async function prepared(
  platform: string,
  config: Record<string, unknown>,
  previous?: Record<string, unknown>
) {
  const factory = channelFactory(platform)
  if (!factory) throw invalidField('platform', 'enum', `No adapter for platform "${platform}"`)
  try {
    return await factory.prepare(config, previous)
  } catch (error) {
    if (error instanceof ChannelConfigError)
      throw invalidField(error.field, 'config', error.message)
    throw error
  }
}

/** Channels are rows: created, changed, started and stopped without a restart. */
export default class ChannelService {
  async create(
    user: User,
    input: { platform: string; name: string; teamId: number; config: Record<string, unknown> }
  ) {
    await assertTeamAllowed(user, input.teamId)
    const { config, reveal } = await prepared(input.platform, input.config)
    const channel = await Channel.create({
      teamId: input.teamId,
      platform: input.platform,
      name: input.name,
      configEncrypted: encryptConfig(config),
      enabled: true,
      status: 'starting',
    })
    await runner.reconcile()
    return { channel: await channel.refresh(), reveal }
  }

  async update(channel: Channel, input: { name?: string; config?: Record<string, unknown> }) {
    if (input.name !== undefined) channel.name = input.name
    if (input.config !== undefined) {
      const previous = specOf(channel).config
      const { config } = await prepared(channel.platform, input.config, previous)
      channel.configEncrypted = encryptConfig(config)
    }
    await channel.save()
    forgetAdapter(channel.id)
    await runner.reconcile()
    return channel.refresh()
  }

  async setEnabled(channel: Channel, enabled: boolean) {
    channel.enabled = enabled
    channel.status = enabled ? 'starting' : 'stopped'
    channel.statusDetail = null
    await channel.save()
    await runner.reconcile()
    return channel.refresh()
  }

  async delete(channel: Channel) {
    await db.transaction(async (trx) => {
      channel.useTransaction(trx)
      await channel.delete()
    })
    forgetAdapter(channel.id)
    await runner.reconcile()
  }
}
