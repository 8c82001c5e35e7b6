/*
| The clock: Bree runs the job files of server/jobs on their intervals and
| crons; each asks for a sweep, which this process enqueues. Only the
| process holding the scheduler's advisory lock runs Bree (invariant 4):
| the others retry the lock every few seconds and take over when the
| holder's connection dies. The sweep job's singleton key per time slot is
| a second guard, and every sweep is safe to run twice anyway.
*/
import { fileURLToPath } from 'node:url'
import { extname } from 'node:path'
import pg from 'pg'
import Bree from 'bree'
import env from '#start/env'
import queue, { SWEEP_QUEUE } from '#messaging/queue'
import type { SweepName } from '#automation/sweeps'

const LOCK_SPACE = 0x5b0a
const LOCK_KEY = -1
export const SCHEDULER_APPLICATION = 'switchboard scheduler'

/** The jobs and when they run; `slot` is the sweep's de-duplication window in seconds. */
/** Interval jobs also run shortly after start: a restart catches up on what fell due meanwhile. */
export const JOBS: Array<{ name: SweepName; interval?: string; cron?: string; slot: number }> = [
  { name: 'due', interval: '15s', slot: 10 },
  { name: 'schedule', cron: '* * * * *', slot: 50 },
  { name: 'inactivity', interval: '1m', slot: 50 },
  { name: 'usage_rollup', cron: '10 0 * * *', slot: 3600 },
  { name: 'retention_purge', cron: '30 3 * * *', slot: 3600 },
]

function jobPath(name: string) {
  // server/jobs/<name>.ts when run from source, .js once built.
  const ext = extname(fileURLToPath(import.meta.url))
  return fileURLToPath(new URL(`../jobs/${name}${ext}`, import.meta.url))
}

export class Scheduler {
  #client?: pg.Client
  #bree?: Bree
  #timer?: NodeJS.Timeout
  #stopped = true

  get leading() {
    return this.#bree !== undefined
  }

  /** Competes for the lock now and every `retryMs` until it holds it. */
  async start(retryMs = 5000) {
    if (!this.#stopped) return
    this.#stopped = false
    await this.attempt()
    this.#timer = setInterval(() => void this.attempt().catch(() => {}), retryMs)
  }

  private async attempt() {
    if (this.#stopped || this.#bree) return
    if (!this.#client) {
      const client = new pg.Client({
        connectionString: env.get('DATABASE_URL'),
        application_name: SCHEDULER_APPLICATION,
      })
      client.on('error', () => void this.lost(client))
      await client.connect()
      this.#client = client
    }
    const { rows } = await this.#client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [
      LOCK_SPACE,
      LOCK_KEY,
    ])
    if (!rows[0].ok || this.#stopped) return
    const bree = new Bree({
      root: false,
      logger: false,
      acceptedExtensions: ['.ts', '.js'],
      jobs: JOBS.map((job) => ({
        name: job.name,
        path: jobPath(job.name),
        ...(job.interval ? { interval: job.interval, timeout: '1s' } : { cron: job.cron }),
      })),
      workerMessageHandler: ({ message }) => {
        const wanted = (message as { enqueue?: SweepName } | undefined)?.enqueue
        const job = JOBS.find((j) => j.name === wanted)
        if (job) void this.enqueue(job.name, job.slot)
      },
      errorHandler: (error) => console.error(`[scheduler] ${(error as Error)?.message ?? error}`),
    })
    await bree.start()
    this.#bree = bree
  }

  async enqueue(task: SweepName, slotSeconds: number) {
    await queue
      .send(SWEEP_QUEUE, { task }, { singletonKey: `sweep:${task}`, singletonSeconds: slotSeconds })
      .catch((error) => console.error(`[scheduler] ${task}: ${error.message}`))
  }

  /** The lock went with the connection: stop the clock and compete again. */
  private async lost(client: pg.Client) {
    if (this.#client !== client) return
    this.#client = undefined
    const bree = this.#bree
    this.#bree = undefined
    await bree?.stop().catch(() => {})
    void client.end().catch(() => {})
  }

  async stop() {
    this.#stopped = true
    clearInterval(this.#timer)
    const bree = this.#bree
    this.#bree = undefined
    await bree?.stop().catch(() => {})
    await this.#client?.end().catch(() => {})
    this.#client = undefined
  }

  /** Runs one job file now (as its interval would), for the CLI and tests. */
  async run(name: SweepName) {
    if (!this.#bree) throw new Error('this scheduler does not hold the lock')
    await this.#bree.run(name)
  }
}
