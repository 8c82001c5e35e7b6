/*
| Operator workspace rows and their adapters. A workspace's config is
| encrypted at rest like a channel's; a Telegram workspace is served by one
| of the team's Telegram channels, whose bot must run the forum group.
*/
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import Channel from '#models/channel'
import OperatorWorkspace, { type WorkspaceRouting } from '#models/operator_workspace'
import type User from '#models/user'
import { ChannelConfigError } from '#channels/port'
import { workspaceFactory, type WorkspaceAdapter } from '#channels/workspace'
import { encryptConfig, specOf } from '#messaging/channels'
import { assertInTeam, assertTeamAllowed, invalidField } from '#services/team_scope'
import { publicLink } from '#services/public_url'

type Config = Record<string, unknown>

const decrypted = new Map<number, { cipher: string; config: Config }>()

function decrypt(workspace: Pick<OperatorWorkspace, 'id' | 'configEncrypted'>): Config {
  const cached = decrypted.get(workspace.id)
  if (cached?.cipher === workspace.configEncrypted) return cached.config
  const config = encryption.decrypt<Config>(workspace.configEncrypted)
  if (!config) throw new Error(`Workspace ${workspace.id}: config cannot be decrypted with APP_KEY`)
  decrypted.set(workspace.id, { cipher: workspace.configEncrypted, config })
  return config
}

export const workspaceConfigOf = decrypt

/** The customer channel serving a workspace (Telegram), decrypted. */
async function linkedOf(platform: string, config: Config) {
  if (platform !== 'telegram' || typeof config.channelId !== 'number') return undefined
  const channel = await Channel.find(config.channelId)
  return channel
    ? { platform: channel.platform, config: specOf(channel).config, channel }
    : undefined
}

const adapters = new Map<number, { version: string; adapter: WorkspaceAdapter }>()

/** The adapter of a workspace row, made once per version of the row (and its channel's). */
export async function workspaceAdapterOf(workspace: OperatorWorkspace): Promise<WorkspaceAdapter> {
  const config = decrypt(workspace)
  const linked = await linkedOf(workspace.platform, config)
  const version = `${workspace.updatedAt.toMillis()}:${linked?.channel.updatedAt.toMillis() ?? 0}`
  const cached = adapters.get(workspace.id)
  if (cached?.version === version) return cached.adapter
  const factory = workspaceFactory(workspace.platform)
  if (!factory) throw new Error(`No workspace adapter for platform "${workspace.platform}"`)
  const adapter = factory.create(workspace.id, config, linked)
  adapters.set(workspace.id, { version, adapter })
  return adapter
}

/** Config fields safe to show: everything but the platform's secrets. */
export function presentWorkspace(workspace: OperatorWorkspace) {
  const secret = new Set(workspaceFactory(workspace.platform)?.secretFields ?? [])
  const config = Object.fromEntries(
    Object.entries(decrypt(workspace)).filter(([key]) => !secret.has(key))
  )
  // A Slack app's Request URLs (events, buttons, /sb); Telegram groups come through their channel.
  const webhookUrl =
    workspace.platform === 'slack' ? publicLink(`/webhooks/slack/${workspace.id}`) : null
  return { ...workspace.serialize(), config, webhookUrl }
}

export interface WorkspaceInput {
  platform: 'slack' | 'telegram'
  name: string
  teamId: number
  config: Config
  routing?: WorkspaceRouting
  enabled?: boolean
}

/** The platform's verdict on a config, as a 422 naming the field. */
async function prepared(platform: string, teamId: number, config: Config, previous?: Config) {
  const factory = workspaceFactory(platform)
  if (!factory) throw invalidField('platform', 'enum', `No workspace adapter for "${platform}"`)
  // Secrets left out of an update keep their stored values.
  const merged = {
    ...Object.fromEntries(factory.secretFields.map((f) => [f, previous?.[f]])),
    ...config,
  }
  let linked
  if (platform === 'telegram') {
    await assertInTeam('channels', merged.channelId as number, teamId, 'config.channelId')
    linked = await linkedOf(platform, merged)
    if (linked?.platform !== 'telegram') {
      throw invalidField('config.channelId', 'platform', 'The channel must be a Telegram channel')
    }
  }
  try {
    return await factory.prepare(merged, linked)
  } catch (error) {
    if (error instanceof ChannelConfigError)
      throw invalidField(error.field, 'config', error.message)
    throw error
  }
}

async function assertRoutingInTeam(routing: WorkspaceRouting | undefined, teamId: number) {
  for (const [index, channelId] of (routing?.channelIds ?? []).entries()) {
    await assertInTeam('channels', channelId, teamId, `routing.channelIds.${index}`)
  }
}

export default class WorkspaceService {
  async create(user: User, input: WorkspaceInput) {
    await assertTeamAllowed(user, input.teamId)
    await assertRoutingInTeam(input.routing, input.teamId)
    const config = await prepared(input.platform, input.teamId, input.config)
    const workspace = await OperatorWorkspace.create({
      teamId: input.teamId,
      platform: input.platform,
      name: input.name,
      configEncrypted: encryptConfig(config),
      routing: input.routing ?? { conversations: 'handoff' },
      enabled: input.enabled ?? true,
      status: 'running',
    })
    return workspace.refresh()
  }

  async update(
    workspace: OperatorWorkspace,
    input: Partial<Pick<WorkspaceInput, 'name' | 'config' | 'routing' | 'enabled'>>
  ) {
    if (input.routing !== undefined) {
      await assertRoutingInTeam(input.routing, workspace.teamId)
      workspace.routing = input.routing
    }
    if (input.name !== undefined) workspace.name = input.name
    if (input.enabled !== undefined) workspace.enabled = input.enabled
    if (input.config !== undefined) {
      const config = await prepared(
        workspace.platform,
        workspace.teamId,
        input.config,
        decrypt(workspace)
      )
      workspace.configEncrypted = encryptConfig(config)
    }
    await workspace.save()
    adapters.delete(workspace.id)
    return workspace.refresh()
  }

  async delete(workspace: OperatorWorkspace) {
    await db.transaction(async (trx) => {
      workspace.useTransaction(trx)
      await workspace.delete()
    })
    adapters.delete(workspace.id)
  }
}
