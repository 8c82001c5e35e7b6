/*
| Which platforms this install speaks, and the adapter of each channel row.
| start/channels.ts registers the adapters under bots/; the core asks here.
*/
import type { ChannelAdapter, ChannelFactory, Platform } from '#channels/port'

const factories = new Map<string, ChannelFactory>()

export function registerChannel(factory: ChannelFactory) {
  factories.set(factory.platform, factory)
}

export function channelFactory(platform: string): ChannelFactory | undefined {
  return factories.get(platform)
}

export function channelPlatforms(): Platform[] {
  return [...factories.keys()] as Platform[]
}

/** A channel row as adapters need it: its id, platform and decrypted config. */
export interface ChannelSpec {
  id: number
  platform: string
  config: Record<string, unknown>
  /** Changes whenever the row does, so a changed config gets a new adapter. */
  version: string
}

const adapters = new Map<number, { version: string; adapter: ChannelAdapter }>()

/**
 * The adapter for a channel, made once per config version. Sending and
 * webhooks need no running client, so any process can use it.
 */
export function adapterFor(spec: ChannelSpec): ChannelAdapter {
  const cached = adapters.get(spec.id)
  if (cached && cached.version === spec.version) return cached.adapter
  const factory = factories.get(spec.platform)
  if (!factory) throw new Error(`No adapter for platform "${spec.platform}"`)
  const adapter = factory.create(spec.id, spec.config)
  adapters.set(spec.id, { version: spec.version, adapter })
  return adapter
}

export function forgetAdapter(channelId: number) {
  adapters.delete(channelId)
}
