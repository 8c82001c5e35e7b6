/*
| The durable job queue: pg-boss on the application's PostgreSQL. Jobs are
| rows, so a job enqueued inside a transaction exists exactly when the state
| change that caused it commits (invariant 3), and any number of workers may
| share the queue (SKIP LOCKED). Handlers must be idempotent: a job whose
| worker dies runs again once it expires.
*/
import { createHash } from 'node:crypto'
import { PgBoss, type Job, type JobResult } from 'pg-boss'
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

/** Statement names by SQL text: a handful (pg-boss's insert per queue, ingest's statements). */
const statementNames = new Map<string, string>()

/**
 * A name for this SQL, so each connection parses and plans it once: for
 * the statements run on every message, planning costs PostgreSQL as much
 * as executing them. Past a bound (SQL built with varying text), unnamed.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text)
  if (!name && statementNames.size < 64) {
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

class JobQueue {
  #boss?: PgBoss
  #starting?: Promise<PgBoss>
  #working = false

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
        max: 4,
        useListenNotify: true,
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
    const db = options.trx ? await transactionDb(options.trx) : undefined
    const perConversation = name === DELIVER_QUEUE || name === MIRROR_QUEUE || name === ASSIST_QUEUE
    await boss.send(name, data as object, {
      db,
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
    // Each job succeeds or fails on its own, however many were fetched together.
    const each =
      <T>(handler: Handler<T>) =>
      async (jobs: Job<T>[]) => {
        const results: JobResult[] = []
        for (const job of jobs) {
          try {
            await handler(job.data)
            results.push({ id: job.id, status: 'completed' })
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error)
            results.push({ id: job.id, status: 'failed', output: { message } })
          }
        }
        return results
      }
    const options = {
      localConcurrency: env.get('WORKER_CONCURRENCY') ?? 4,
      // A full batch means more are waiting: fetch again at once, so a
      // backlog drains at full speed rather than one job per wake-up.
      batchSize: 4,
      burstWhenBatchFull: true,
      perJobResults: true as const,
      pollingIntervalSeconds: 1,
      // Deferred jobs (a 429's retry_after) are found by polling, not NOTIFY.
      notifyPollingIntervalSeconds: 1,
    }
    for (const name of Object.keys(handlers) as QueueName[]) {
      await boss.work<any>(name, options, each(handlers[name] as Handler<any>))
    }
  }

  async stop() {
    const boss = this.#boss
    this.#boss = undefined
    this.#starting = undefined
    this.#working = false
    if (boss) await boss.stop({ graceful: true, timeout: 5000 })
  }
}

const queue = new JobQueue()
export default queue
