/*
| The durable job queue: pg-boss on the application's PostgreSQL. Jobs are
| rows, so a job enqueued inside a transaction exists exactly when the state
| change that caused it commits (invariant 3), and any number of workers may
| share the queue (SKIP LOCKED). Handlers must be idempotent: a job whose
| worker dies runs again once it expires.
*/
import { PgBoss, type Job } from 'pg-boss'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'

export const PROCESS_QUEUE = 'conversation.process'
export const DELIVER_QUEUE = 'message.deliver'

export interface ProcessJob {
  messageId: number
}
export interface DeliverJob {
  conversationId: number
}

type Handler<T> = (data: T) => Promise<void>

/** pg-boss runs its SQL on the caller's transaction connection. */
async function transactionDb(trx: TransactionClientContract) {
  // The knex transaction hands out its one connection; using it directly
  // keeps pg-boss's `$n` placeholders away from knex's `?` rewriting.
  const connection = await (
    trx.getWriteClient() as unknown as {
      client: {
        acquireConnection(): Promise<{
          query(text: string, values?: unknown[]): Promise<{ rows: any[] }>
        }>
      }
    }
  ).client.acquireConnection()
  return { executeSql: (text: string, values?: unknown[]) => connection.query(text, values) }
}

class JobQueue {
  #boss?: PgBoss
  #starting?: Promise<PgBoss>
  #working = false

  get expireSeconds() {
    return env.get('JOB_EXPIRE_SECONDS') ?? 60
  }

  /** Connects and creates the queues (idempotent across processes). */
  start(): Promise<PgBoss> {
    this.#starting ??= (async () => {
      const boss = new PgBoss({
        connectionString: env.get('DATABASE_URL'),
        max: 4,
        useListenNotify: true,
        schedule: false,
      })
      boss.on('error', (error) => console.error('[queue]', error))
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
      this.#boss = boss
      return boss
    })()
    return this.#starting
  }

  async send(
    name: typeof PROCESS_QUEUE,
    data: ProcessJob,
    options?: { trx?: TransactionClientContract }
  ): Promise<void>
  async send(
    name: typeof DELIVER_QUEUE,
    data: DeliverJob,
    options?: { trx?: TransactionClientContract; startAfter?: Date }
  ): Promise<void>
  async send(
    name: string,
    data: ProcessJob | DeliverJob,
    options: { trx?: TransactionClientContract; startAfter?: Date } = {}
  ) {
    const boss = await this.start()
    const db = options.trx ? await transactionDb(options.trx) : undefined
    await boss.send(name, data, {
      db,
      startAfter: options.startAfter,
      singletonKey: name === DELIVER_QUEUE ? `c${(data as DeliverJob).conversationId}` : undefined,
    })
  }

  /** Starts handling jobs in this process. */
  async work(handlers: { process: Handler<ProcessJob>; deliver: Handler<DeliverJob> }) {
    if (this.#working) return
    this.#working = true
    const boss = await this.start()
    const concurrency = env.get('WORKER_CONCURRENCY') ?? 4
    const each =
      <T>(handler: Handler<T>) =>
      async (jobs: Job<T>[]) => {
        for (const job of jobs) await handler(job.data)
      }
    await boss.work<ProcessJob>(
      PROCESS_QUEUE,
      { localConcurrency: concurrency, pollingIntervalSeconds: 1 },
      each(handlers.process)
    )
    await boss.work<DeliverJob>(
      DELIVER_QUEUE,
      // Deferred deliveries (a 429's retry_after) are found by polling, not NOTIFY.
      { localConcurrency: concurrency, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 },
      each(handlers.deliver)
    )
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
