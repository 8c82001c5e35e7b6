/*
| The durable job queue: pg-boss on the application's PostgreSQL. Jobs are
| rows, so a job enqueued inside a transaction exists exactly when the state
| change that caused it commits (invariant 3), and any number of workers may
| share the queue (SKIP LOCKED). Handlers must be idempotent: a job whose
| worker dies runs again once it expires.
*/
import { createHash } from 'node:crypto'
import { PgBoss, type Job } from 'pg-boss'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'

export const PROCESS_QUEUE = 'conversation.process'
export const DELIVER_QUEUE = 'message.deliver'

export const MIRROR_QUEUE = 'workspace.mirror'
export const TIMER_QUEUE = 'conversation.timer'
export const REVISE_QUEUE = 'message.revise'
export const ASSIST_QUEUE = 'assistant.answer'
export const EMBED_QUEUE = 'knowledge.embed'
export const SWEEP_QUEUE = 'automation.sweep'
export const RULE_WEBHOOK_QUEUE = 'automation.webhook'

export interface ProcessJob {
  messageId: number
}
export interface DeliverJob {
  conversationId: number
}
/** Brings the conversation's threads in every workspace up to date. */
export interface MirrorJob {
  conversationId: number
}
/** A timed close or a snooze falling due; `due` tells a stale timer from the current one. */
export interface TimerJob {
  conversationId: number
  kind: 'close' | 'wake'
  due: string
}
/** An operator edited or deleted a reply the customer already has. */
export interface AssistJob {
  conversationId: number
}
export interface EmbedJob {
  documentIds: number[]
}
export interface ReviseJob {
  messageId: number
}
/** A clock-driven pass (server/automation/sweeps.ts), enqueued by the scheduler. */
export interface SweepJob {
  task: string
}
/** One delivery of a rule's webhook action; retried with backoff when it fails. */
export interface RuleWebhookJob {
  ruleId: number
  eventKey: string
  index: number
  url: string
}

interface JobTypes {
  [PROCESS_QUEUE]: ProcessJob
  [DELIVER_QUEUE]: DeliverJob
  [MIRROR_QUEUE]: MirrorJob
  [TIMER_QUEUE]: TimerJob
  [REVISE_QUEUE]: ReviseJob
  [ASSIST_QUEUE]: AssistJob
  [EMBED_QUEUE]: EmbedJob
  [SWEEP_QUEUE]: SweepJob
  [RULE_WEBHOOK_QUEUE]: RuleWebhookJob
}
export type QueueName = keyof JobTypes

type Handler<T> = (data: T) => Promise<void>

/** Statement names by SQL text: a few dozen (pg-boss's insert per queue, the hot paths' statements). */
const statementNames = new Map<string, string>()

/**
 * A name for this SQL, so each connection parses and plans it once: for
 * the statements run on every message, planning costs PostgreSQL as much
 * as executing them. Past a bound (SQL built with varying text), unnamed.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text)
  if (!name && statementNames.size < 128) {
    name = `sb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
    statementNames.set(text, name)
  }
  return name
}

/** One executor per transaction: ingest and the job insert share it. */
const executors = new WeakMap<TransactionClientContract, ReturnType<typeof connect>>()

/**
 * The transaction's own connection, for SQL with `$n` placeholders (pg-boss
 * runs its SQL there; ingest too, without knex's per-query work). Every
 * statement is prepared once per connection.
 */
export function transactionDb(trx: TransactionClientContract) {
  let executor = executors.get(trx)
  if (!executor) {
    executor = connect(trx)
    executors.set(trx, executor)
  }
  return executor
}

async function connect(trx: TransactionClientContract) {
  // The knex transaction hands out its one connection; using it directly
  // keeps pg-boss's `$n` placeholders away from knex's `?` rewriting.
  const connection = await (
    trx.getWriteClient() as unknown as {
      client: {
        acquireConnection(): Promise<{
          query(query: {
            name?: string
            text: string
            values?: unknown[]
          }): Promise<{ rows: any[] }>
        }>
      }
    }
  ).client.acquireConnection()
  return {
    executeSql: (text: string, values?: unknown[]) =>
      connection.query({ name: statementName(text), text, values }),
  }
}

type KnexClient = {
  acquireConnection(): Promise<{
    query(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: any[] }>
  }>
  releaseConnection(connection: unknown): Promise<unknown>
}

/**
 * SQL with `$n` placeholders on a pooled connection, outside any
 * transaction (one statement commits on its own); prepared once per
 * connection, like transactionDb's.
 */
export async function pooledSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> {
  const client = (db.connection().getWriteClient() as unknown as { client: KnexClient }).client
  const connection = await client.acquireConnection()
  try {
    return await connection.query({ name: statementName(text), text, values })
  } finally {
    await client.releaseConnection(connection)
  }
}

/**
 * A per-conversation queue keeps one job queued per conversation: a
 * transaction that queues another while one waits adds none, so the
 * waiting job must see what that transaction commits. Those transactions
 * hold the conversation's row; a handler that first waits for them (FOR
 * SHARE) reads their work. Delivery and mirror passes wait in their own
 * first statement; the assistant's answer through this.
 */
function afterConversationWriters(handler: Handler<{ conversationId: number }>) {
  return async (data: { conversationId: number }) => {
    await pooledSql('SELECT 1 FROM conversations WHERE id = $1 FOR SHARE', [data.conversationId])
    await handler(data)
  }
}

/** pg-boss's schema, which also names its NOTIFY channel. */
const SCHEMA = 'pgboss'

class JobQueue {
  #boss?: PgBoss
  #starting?: Promise<PgBoss>
  #working = false
  readonly #dispatchers = new Map<string, Dispatcher<any>>()
  #listening?: { close(): Promise<void> }

  get expireSeconds() {
    return env.get('JOB_EXPIRE_SECONDS') ?? 60
  }

  get superviseSeconds() {
    return Math.max(1, Math.min(60, Math.floor(this.expireSeconds / 2)))
  }

  /** Connects and creates the queues (idempotent across processes). */
  start(): Promise<PgBoss> {
    this.#starting ??= (async () => {
      const boss = new PgBoss({
        connectionString: env.get('DATABASE_URL'),
        schema: SCHEMA,
        max: 4,
        // Workers listen themselves (work()); a process that only sends needs no listener.
        useListenNotify: false,
        schedule: false,
        // Expired jobs (their worker died) are found by these passes: look
        // often enough that a crash delays a reply by about one expiry, not minutes.
        superviseIntervalSeconds: this.superviseSeconds,
        monitorIntervalSeconds: this.superviseSeconds,
      })
      boss.on('error', (error) => console.error(`[queue] ${error.message}`))
      await boss.start()
      const common = {
        expireInSeconds: this.expireSeconds,
        retryLimit: 10,
        retryBackoff: true,
        retryDelay: 1,
        retryDelayMax: 300,
        notify: true,
      }
      await boss.createQueue(PROCESS_QUEUE, { ...common, policy: 'standard' })
      // One queued and one running per conversation: the handler drains the
      // conversation's pending replies in order, so a wake-up while one is
      // already queued adds nothing.
      await boss.createQueue(DELIVER_QUEUE, { ...common, policy: 'stately' })
      // The same for a conversation's threads: one mirror pass at a time, in order.
      await boss.createQueue(MIRROR_QUEUE, { ...common, policy: 'stately' })
      await boss.createQueue(TIMER_QUEUE, { ...common, policy: 'standard' })
      await boss.createQueue(REVISE_QUEUE, { ...common, policy: 'standard' })
      // One answer at a time per conversation; a queued one answers the latest message.
      await boss.createQueue(ASSIST_QUEUE, { ...common, policy: 'stately' })
      await boss.createQueue(EMBED_QUEUE, { ...common, policy: 'standard' })
      await boss.createQueue(SWEEP_QUEUE, { ...common, retryLimit: 2, policy: 'standard' })
      await boss.createQueue(RULE_WEBHOOK_QUEUE, { ...common, retryLimit: 8, policy: 'standard' })
      this.#boss = boss
      return boss
    })()
    return this.#starting
  }

  async send<Q extends QueueName>(
    name: Q,
    data: JobTypes[Q],
    options: {
      trx?: TransactionClientContract
      startAfter?: Date
      /** With singletonSeconds: at most one job per key in each such slot. */
      singletonKey?: string
      singletonSeconds?: number
    } = {}
  ): Promise<void> {
    const boss = await this.start()
    const executor = options.trx ? await transactionDb(options.trx) : undefined
    const perConversation = name === DELIVER_QUEUE || name === MIRROR_QUEUE || name === ASSIST_QUEUE
    await boss.send(name, data as object, {
      db: executor,
      startAfter: options.startAfter,
      // Per job, not only per queue: the queue keeps the settings of whoever created it first.
      expireInSeconds: this.expireSeconds,
      singletonKey: perConversation
        ? `c${(data as DeliverJob).conversationId}`
        : options.singletonKey,
      singletonSeconds: options.singletonSeconds,
    })
  }

  /** Starts handling jobs in this process. */
  async work(handlers: { [Q in QueueName]: Handler<JobTypes[Q]> }) {
    if (this.#working) return
    this.#working = true
    const boss = await this.start()
    const slots = env.get('WORKER_CONCURRENCY') ?? 4
    for (const name of Object.keys(handlers) as QueueName[]) {
      let handler = handlers[name] as Handler<any>
      if (name === ASSIST_QUEUE) handler = afterConversationWriters(handler)
      this.#dispatchers.set(name, new Dispatcher<any>(boss, name, handler, slots))
    }
    // A job committed on a notify queue wakes its dispatcher at once; after a
    // reconnect every dispatcher looks, as notifications may have been missed.
    const channel = `pgboss_${createHash('sha224').update(SCHEMA).digest('hex').slice(0, 24)}`
    this.#listening = await boss
      .getDb()
      .listen?.(
        channel,
        (name) => this.#dispatchers.get(name)?.wake(),
        () => this.#wakeAll()
      )
      .catch((error: Error) => {
        // Polling alone still finds every job, a poll interval later.
        console.error(`[queue] LISTEN failed: ${error.message}`)
        return undefined
      })
    for (const dispatcher of this.#dispatchers.values()) dispatcher.start()
  }

  #wakeAll() {
    for (const dispatcher of this.#dispatchers.values()) dispatcher.wake()
  }

  async stop() {
    const boss = this.#boss
    const dispatchers = [...this.#dispatchers.values()]
    this.#dispatchers.clear()
    await this.#listening?.close().catch(() => {})
    this.#listening = undefined
    await Promise.all(dispatchers.map((d) => d.stop(STOP_TIMEOUT_MS)))
    this.#boss = undefined
    this.#starting = undefined
    this.#working = false
    if (boss) await boss.stop({ graceful: true, timeout: STOP_TIMEOUT_MS })
  }
}

/** How long stopping waits for running jobs before handing them back to the queue. */
const STOP_TIMEOUT_MS = 5000
/** Deferred jobs (a 429's retry_after, a retry's backoff) are found by polling, not NOTIFY. */
const POLL_MS = 1000

/**
 * One queue's jobs in this process, up to `slots` at a time. A wake-up (a
 * NOTIFY for the queue, the poll, or a slot freed while more may wait)
 * fetches as many jobs as there are free slots in one statement, rather
 * than each idle worker racing the others with a fetch of its own. Each
 * job completes or fails on its own as soon as its handler is done.
 */
class Dispatcher<T> {
  #busy = 0
  /** A wake-up came since the last fetch started: there may be jobs. */
  #wanted = false
  #fetching = false
  #stopped = false
  #timer?: NodeJS.Timeout
  readonly #running = new Map<string, Promise<void>>()

  constructor(
    private boss: PgBoss,
    private name: QueueName,
    private handler: Handler<T>,
    private slots: number
  ) {}

  start() {
    this.#timer = setInterval(() => this.wake(), POLL_MS)
    this.wake()
  }

  wake() {
    if (this.#stopped) return
    this.#wanted = true
    void this.#fill()
  }

  async #fill() {
    if (this.#fetching) return
    this.#fetching = true
    try {
      while (this.#wanted && !this.#stopped && this.#busy < this.slots) {
        this.#wanted = false
        const free = this.slots - this.#busy
        const jobs = await this.boss.fetch<T>(this.name, { batchSize: free })
        for (const job of jobs) this.#run(job)
        // As many as there was room for: more may be waiting.
        if (jobs.length === free) this.#wanted = true
      }
    } catch (error) {
      console.error(`[queue] ${this.name}: ${error instanceof Error ? error.message : error}`)
    } finally {
      this.#fetching = false
    }
  }

  #run(job: Job<T>) {
    this.#busy++
    const done = (async () => {
      try {
        await this.handler(job.data)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        // Retried with backoff by the queue, up to its retry limit.
        await this.boss.fail(this.name, job.id, { message })
        return
      }
      await this.boss.complete(this.name, job.id)
    })()
      // Unsettled, the job expires and runs again: handlers are idempotent.
      .catch((error) => console.error(`[queue] ${this.name}: ${error.message}`))
      .finally(() => {
        this.#busy--
        this.#running.delete(job.id)
        if (this.#wanted) void this.#fill()
      })
    this.#running.set(job.id, done)
  }

  /** Stops fetching; jobs still running after `timeoutMs` go back to the queue for a retry. */
  async stop(timeoutMs: number) {
    this.#stopped = true
    clearInterval(this.#timer)
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(this.#running.values()),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ])
    clearTimeout(timer)
    const left = [...this.#running.keys()]
    if (left.length) {
      await this.boss.fail(this.name, left, { message: 'worker stopped' }).catch(() => {})
    }
  }
}

const queue = new JobQueue()
export default queue
