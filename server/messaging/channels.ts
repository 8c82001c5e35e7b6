/*
| Channel rows and their secrets. A channel's config is encrypted at rest
| (AES-256-GCM with APP_KEY); only the fields a platform declares public are
| ever shown again.
*/
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type Channel from '#models/channel'
import { adapterFor, channelFactory, type ChannelSpec } from '#channels/registry'
import { publicLink } from '#services/public_url'

export function encryptConfig(config: Record<string, unknown>): string {
  return encryption.encrypt(config)
}

const decrypted = new Map<number, { version: string; config: Record<string, unknown> }>()

/** The channel as adapters see it; decryption is cached per row version. */
export function specOf(
  channel: Pick<Channel, 'id' | 'platform' | 'configEncrypted' | 'updatedAt'>
): ChannelSpec {
  const version = `${channel.updatedAt.toMillis()}:${channel.configEncrypted.length}`
  const cached = decrypted.get(channel.id)
  if (cached?.version === version) {
    return { id: channel.id, platform: channel.platform, config: cached.config, version }
  }
  const config = encryption.decrypt<Record<string, unknown>>(channel.configEncrypted)
  if (!config) throw new Error(`Channel ${channel.id}: config cannot be decrypted with APP_KEY`)
  decrypted.set(channel.id, { version, config })
  return { id: channel.id, platform: channel.platform, config, version }
}

export function adapterOf(channel: Channel) {
  return adapterFor(specOf(channel))
}

/** Config fields safe to show: everything but the platform's secrets. */
export function publicConfig(channel: Channel): Record<string, unknown> {
  const { config } = specOf(channel)
  const secret = new Set(channelFactory(channel.platform)?.secretFields ?? [])
  return Object.fromEntries(Object.entries(config).filter(([key]) => !secret.has(key)))
}

/**
 * Where customer messages for this channel arrive: the company's app posts
 * to an API channel's inbound URL; Telegram posts to a webhook-mode bot's
 * (registered by the channel itself). A polling bot has none.
 */
export function inboundUrlOf(
  channel: Pick<Channel, 'id' | 'platform'>,
  config: Record<string, unknown>
) {
  if (channel.platform === 'api') return publicLink(`/api/v1/channels/${channel.id}/inbound`)
  if (channel.platform === 'telegram' && config.mode === 'webhook') {
    return publicLink(`/webhooks/telegram/${channel.id}`)
  }
  return null
}

export function presentChannel(channel: Channel, reveal?: Record<string, string>) {
  const config = publicConfig(channel)
  return {
    ...channel.serialize(),
    config,
    inboundUrl: inboundUrlOf(channel, config),
    ...(reveal ? { secrets: reveal } : {}),
  }
}

export async function setChannelStatus(channelId: number, status: string, detail?: string) {
  await db
    .from('channels')
    .where('id', channelId)
    .update({ status, status_detail: detail ?? null })
}
