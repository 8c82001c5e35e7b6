/*
| Rule events are written by database triggers, with a NOTIFY on commit.
| Each worker listens and drains; the `due` sweep drains too, so an event
| whose notification was missed (no worker listening then) waits at most
| one sweep.
*/
import pg from 'pg'
import env from '#start/env'
import { drainRuleEvents } from '#automation/dispatch'

class RuleEventListener {
  #client?: pg.Client
  #again = false
  #running?: Promise<void>

  async start() {
    if (this.#client) return
    const client = new pg.Client({
      connectionString: env.get('DATABASE_URL'),
      application_name: 'switchboard rule events',
    })
    client.on('notification', () => this.kick())
    // A broken connection is replaced by the next start(); the sweep covers the gap.
    client.on('error', () => {
      if (this.#client === client) this.#client = undefined
    })
    await client.connect()
    this.#client = client
    await client.query('LISTEN rule_events')
    this.kick()
  }

  /** One drain at a time; notifications during it ask for one more pass. */
  kick() {
    // A notification that arrives while stopping starts nothing.
    if (!this.#client) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = (async () => {
      do {
        this.#again = false
        await drainRuleEvents().catch((error) => console.error(`[rules] ${error.message}`))
      } while (this.#again && this.#client)
    })().finally(() => (this.#running = undefined))
  }

  async stop() {
    const client = this.#client
    this.#client = undefined
    await this.#running
    await client?.end().catch(() => {})
  }
}

const listener = new RuleEventListener()
export default listener
