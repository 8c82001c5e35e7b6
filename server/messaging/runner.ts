/*
| Runs the enabled channels: registers webhooks and commands, and keeps
| polling clients alive. Each channel runs in exactly one process at a time:
| the process holding its advisory lock (invariant 4). Every process
| reconciles every few seconds, so starting, stopping or reconfiguring a
| channel through the API takes effect without a restart.
*/
import pg from 'pg'
import env from '#start/env'
import Channel from '#models/channel'
import type { ChannelAdapter } from '#channels/port'
import { channelFactory } from '#channels/registry'
import { adapterOf, setChannelStatus, specOf } from '#messaging/channels'
import { ingest } from '#messaging/ingest'
import { CUSTOMER_COMMANDS } from '#messaging/process'

const LOCK_SPACE = 0x5b0a
/** How the lock connection shows in pg_stat_activity. */
export const RUNNER_APPLICATION = 'switchboard channel runner'

class ChannelRunner {
  #client?: pg.Client
  #running = new Map<number, { version: string; adapter: ChannelAdapter }>()
  #timer?: NodeJS.Timeout
  #reconciling?: Promise<void>
  #stopped = true

  async start(intervalMs = 2000) {
    if (!this.#stopped) return
    this.#stopped = false
    await this.connection()
    await this.reconcile()
    this.#timer = setInterval(() => void this.reconcile().catch(() => {}), intervalMs)
  }

  /**
   * Session advisory locks live as long as this one connection. When it
   * breaks (database restart) the locks are gone, so our channels stop here
   * and the next pass reconnects and competes for them again.
   */
  private async connection(): Promise<pg.Client> {
    if (this.#client) return this.#client
    const client = new pg.Client({
      connectionString: env.get('DATABASE_URL'),
      application_name: RUNNER_APPLICATION,
    })
    client.on('error', () => {
      if (this.#client === client) {
        this.#client = undefined
        this.releaseAll()
      }
      void client.end().catch(() => {})
    })
    await client.connect()
    this.#client = client
    return client
  }

  /** Brings the running set in line with the table; concurrent calls share one pass. */
  reconcile(): Promise<void> {
    this.#reconciling ??= this.pass().finally(() => (this.#reconciling = undefined))
    return this.#reconciling
  }

  private async pass() {
    if (this.#stopped) return
    const client = await this.connection()
    const channels = await Channel.query().where('enabled', true)
    const wanted = new Map<number, Channel>()
    for (const channel of channels) {
      const factory = channelFactory(channel.platform)
      if (factory?.needsRunner(specOf(channel).config)) wanted.set(channel.id, channel)
    }

    for (const [id, running] of this.#running) {
      const channel = wanted.get(id)
      if (!channel || specOf(channel).version !== running.version) await this.stopOne(id)
    }
    for (const [id, channel] of wanted) {
      if (this.#running.has(id)) continue
      const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [
        LOCK_SPACE,
        id,
      ])
      if (!rows[0].ok) continue
      const adapter = adapterOf(channel)
      const version = specOf(channel).version
      this.#running.set(id, { version, adapter })
      try {
        await adapter.start({
          channelId: id,
          ingest: async (envelope) => {
            await ingest(channel, envelope)
          },
          reportStatus: (status, detail) => setChannelStatus(id, status, detail),
          publicUrl: env.get('PUBLIC_URL'),
          commands: CUSTOMER_COMMANDS,
          log: {
            info: (m) => console.info(`[channel ${id}] ${m}`),
            warn: (m) => console.warn(`[channel ${id}] ${m}`),
            error: (m) => console.error(`[channel ${id}] ${m}`),
          },
        })
      } catch (error) {
        await setChannelStatus(id, 'error', error instanceof Error ? error.message : String(error))
      }
    }
  }

  private async stopOne(id: number) {
    const running = this.#running.get(id)
    this.#running.delete(id)
    await running?.adapter.stop().catch(() => {})
    await this.#client?.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, id]).catch(() => {})
  }

  private releaseAll() {
    for (const { adapter } of this.#running.values()) void adapter.stop().catch(() => {})
    this.#running.clear()
  }

  async stop() {
    this.#stopped = true
    clearInterval(this.#timer)
    await this.#reconciling?.catch(() => {})
    for (const id of [...this.#running.keys()]) await this.stopOne(id)
    await this.#client?.end().catch(() => {})
    this.#client = undefined
  }
}

const runner = new ChannelRunner()
export default runner
