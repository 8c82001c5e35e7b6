/*
| Inbound message benchmark: `npm run bench:ingest [-- --quick]`.
|
| Starts the production HTTP server (bin/server.ts, RUN_WORKER=false) and a
| worker (`node ace worker`), creates a Telegram channel in webhook mode
| through the API (its getMe goes to a fake Bot API served by this script),
| and waits for the worker to register the webhook and its secret with the
| fake, as it would with Telegram (PUBLIC_URL). Then it posts valid Telegram
| updates to POST /webhooks/telegram/:id with that secret. This script is
| the load; the server is a separate process. The updates come from 1,000
| customers (private chats), each sending several text messages.
|
| What is measured is ingest: the worker is stopped once the webhook is
| registered, so every acknowledged message leaves its process job queued
| (checked: `jobs_missing`), and the server and PostgreSQL do nothing else.
| With --worker it keeps running beside the server, as `npm start` deploys
| it, and processes the jobs during the load; teams have no autoReplyText,
| so it sends nothing.
|
|   warm-up     one message per customer (creates contacts and conversations),
|               not measured
|   throughput  N updates by C concurrent keep-alive clients in a closed loop
|   latency     updates at a fixed arrival rate (open loop, default 1,000/s for
|               10 s); a latency counts from when its request was due, so a
|               server falling behind shows in it
|   duplicates  a sample of acknowledged updates posted again, and fresh
|               updates posted twice at the same moment: every post must get
|               200 and no second message
|   ceiling     a bare `pg` pool of C connections writes the same rows (ledger
|               row + message row, same payload and text, into the same
|               customers' conversations) one transaction per message:
|               BEGIN, INSERT, INSERT, COMMIT
|
| One JSON line on stdout:
|
|   {"messages_per_s","p50_ms","p95_ms","p99_ms","lost","duplicated",
|    "ceiling_per_s","ratio","p50_ms_at_1000_per_s","p95_ms_at_1000_per_s",
|    "p99_ms_at_1000_per_s","achieved_per_s_at_1000_per_s", ...counts,
|    "cpu_ms_per_message":{"server","postgres","bench"}, ...}
|
| `lost` counts updates answered 200 without a message row; `duplicated`
| counts message rows beyond one per update (same external id twice, or a row
| no update explains); `jobs_missing` counts messages without their process
| job; `errors` counts non-200 answers in the measured phases and
| `duplicates_refused` those to repeated updates (each must get 200).
| `ratio` = messages_per_s / ceiling_per_s. `cpu_ms_per_message` is the
| CPU each process spent per message during a phase (Linux /proc; postgres
| null with BENCH_DATABASE_URL): on a shared machine it says who limits the
| rate. Goal: ≥ 2,000 messages/s, ratio ≥ 0.5, p99 ≤ 50 ms at 1,000
| messages/s offered, lost = duplicated = 0.
|
| Database: BENCH_DATABASE_URL when set (its `public` and `pgboss` schemas are
| DROPPED), otherwise a throwaway embedded PostgreSQL with PostgreSQL's
| durable defaults (fsync, synchronous_commit on), as `npm start` runs it:
| an acknowledged message must survive a crash, so commits are measured as
| they are paid in production.
|
| --quick             2,000 updates, 200 customers, 3 s of latency phase
| --messages=N        updates in the throughput phase (default 20,000)
| --concurrency=C     clients in the throughput phase and ceiling (default 64)
| --customers=K       distinct Telegram users (default 1,000)
| --rate=R            arrivals per second in the latency phase (default 1,000)
| --worker            keep the worker running during the load; before each
|                     phase it empties the queue, and its CPU is reported too
*/
import type { ChildProcess } from 'node:child_process'
import pg from 'pg'
import type { Update } from 'grammy/types'
import { FakeTelegram, textUpdate, type FakeUser } from '#bots/testing/fake_telegram'
import {
  appEnvFor,
  cleanUpOnSignals,
  cleanups,
  CpuMeter,
  formatCpu,
  fragments,
  httpClient,
  log,
  numberArg,
  percentile,
  postmasterPid,
  prng,
  round,
  runBenchmark,
  runNode,
  scratchDatabase,
  seconds,
  sleep,
  startNode,
  startServer,
  stopChild,
  timed,
  type CpuSample,
  type Send,
} from './support.js'

const QUICK = process.argv.includes('--quick')
const WORKER = process.argv.includes('--worker')

const MESSAGES = numberArg('messages', QUICK ? 2_000 : 20_000)
const CONCURRENCY = numberArg('concurrency', 64)
const CUSTOMERS = numberArg('customers', QUICK ? 200 : 1_000)
const RATE = numberArg('rate', 1_000)
const LATENCY_SECONDS = QUICK ? 3 : 10
/** Acknowledged updates posted a second time, and fresh updates posted twice at once. */
const REPEATS = QUICK ? 100 : 500
const RACED = QUICK ? 50 : 200
/** A request still unanswered after this counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000
/** How long a phase waits for the worker to empty the queue before it starts anyway. */
const DRAIN_TIMEOUT_MS = 300_000

const ADMIN_EMAIL = 'admin@bench.local'
const PASSWORD = 'benchpassword123'
const BOT_TOKEN = '7000000001:AAbenchbenchbenchbenchbenchbench_0'
const PROCESS_QUEUE = 'conversation.process'

const FIRST_NAMES =
  'Alice Bruno Chen Dmitri Elena Fatima Gabriel Hana Igor Julia Kenji Laura'.split(' ')
const LAST_NAMES = 'Martin Costa Wei Ivanov Garcia Rahman Silva Tanaka Petrov Schmidt'.split(' ')

/* ------------------------------------------------------------------------ */

cleanUpOnSignals()

const { agent, send } = httpClient({
  maxSockets: Math.max(CONCURRENCY, 256),
  timeoutMs: REQUEST_TIMEOUT_MS,
})

/** One update ready to post: its body serialised once, and what it must become. */
interface Posting {
  body: string
  /** The message's external id as the adapter names it: `<chat id>:<message id>`. */
  externalId: string
  /** Index of the customer, to place the ceiling's rows in the same conversation. */
  customer: number
  text: string
}

class Updates {
  readonly customers: FakeUser[]
  #updateId = 0
  #random = prng(20240611)
  /** Sentence fragments; a message joins two, as in the conversation-list benchmark. */
  #fragments = fragments(5000)

  constructor(count: number) {
    this.customers = Array.from({ length: count }, (_, i) => ({
      id: 600_000_000 + i,
      first_name: FIRST_NAMES[i % FIRST_NAMES.length],
      last_name: LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length],
      username: i % 3 === 0 ? undefined : `customer${i}`,
      language_code: i % 4 === 0 ? 'de' : 'en',
    }))
  }

  /** A text message from customer `index` (random when not given). */
  next(index = Math.floor(this.#random() * this.customers.length)): Posting {
    const user = this.customers[index]
    const pick = () => this.#fragments[Math.floor(this.#random() * this.#fragments.length)]
    const text = `${pick()} ${pick()}`
    const update = { update_id: ++this.#updateId, ...textUpdate(user, text) } as Update
    const message = update.message!
    return {
      body: JSON.stringify(update),
      externalId: `${message.chat.id}:${message.message_id}`,
      customer: index,
      text,
    }
  }

  many(count: number): Posting[] {
    return Array.from({ length: count }, () => this.next())
  }
}

/* ------------------------------------------------------------------------ */
/* Load                                                                     */

interface Target {
  port: number
  path: string
  secret: string
}

interface Outcome {
  latencies: number[]
  /** External ids of the updates answered 200. */
  acked: string[]
  errors: number
  /** First few error answers, for the log. */
  samples: string[]
  elapsedS: number
}

function post(target: Target, posting: Posting, sendFn: Send = send) {
  return sendFn(target.port, 'POST', target.path, {
    body: posting.body,
    headers: { 'x-telegram-bot-api-secret-token': target.secret },
    keepBody: false,
  })
}

function emptyOutcome(): Outcome {
  return { latencies: [], acked: [], errors: 0, samples: [], elapsedS: 0 }
}

async function postOne(target: Target, posting: Posting, startedNs: bigint, outcome: Outcome) {
  let status = 0
  let failure = ''
  try {
    const reply = await post(target, posting)
    status = reply.status
  } catch (error) {
    failure = (error as Error).message
  }
  outcome.latencies.push(Number(process.hrtime.bigint() - startedNs) / 1e6)
  if (status === 200) outcome.acked.push(posting.externalId)
  else {
    outcome.errors++
    if (outcome.samples.length < 5) outcome.samples.push(failure || `HTTP ${status}`)
  }
}

/** `concurrency` clients, each posting its next update as soon as the previous one is answered. */
async function closedLoop(target: Target, postings: Posting[], concurrency: number) {
  const outcome = emptyOutcome()
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < postings.length) {
        const posting = postings[next++]
        await postOne(target, posting, process.hrtime.bigint(), outcome)
      }
    })
  )
  outcome.elapsedS = Number(process.hrtime.bigint() - started) / 1e9
  return outcome
}

/**
 * Posts at a fixed rate whatever the answers: update i is due at i / rate s.
 * Its latency counts from when it was due, not from when it left.
 */
async function openLoop(target: Target, postings: Posting[], rate: number) {
  const outcome = emptyOutcome()
  const intervalNs = BigInt(Math.round(1e9 / rate))
  const started = process.hrtime.bigint()
  const inflight: Array<Promise<void>> = []
  let i = 0
  while (i < postings.length) {
    const now = process.hrtime.bigint()
    while (i < postings.length && started + BigInt(i) * intervalNs <= now) {
      inflight.push(postOne(target, postings[i], started + BigInt(i) * intervalNs, outcome))
      i++
    }
    if (i < postings.length) {
      const waitMs = Number(started + BigInt(i) * intervalNs - process.hrtime.bigint()) / 1e6
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(waitMs))))
    }
  }
  await Promise.all(inflight)
  outcome.elapsedS = Number(process.hrtime.bigint() - started) / 1e9
  return outcome
}

function latencyFigures(outcome: Outcome) {
  const sorted = [...outcome.latencies].sort((a, b) => a - b)
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    perS: round(outcome.acked.length / outcome.elapsedS, 1),
  }
}

function describe(label: string, outcome: Outcome, cpu: ReturnType<typeof CpuMeter.perRequest>) {
  const f = latencyFigures(outcome)
  log(
    `${label}: ${outcome.acked.length} acked in ${outcome.elapsedS.toFixed(2)} s = ${f.perS}/s  ` +
      `p50 ${f.p50} ms  p95 ${f.p95} ms  p99 ${f.p99} ms  errors ${outcome.errors}  ` +
      `cpu/message ${formatCpu(cpu)}`
  )
  if (outcome.samples.length) log(`  errors, first ones: ${outcome.samples.join('; ')}`)
}

/** Runs a phase between two CPU samples; CPU is per acknowledged message. */
async function metered(cpu: CpuMeter, work: () => Promise<Outcome>) {
  const before: CpuSample = await cpu.sample()
  const outcome = await work()
  const after = await cpu.sample()
  return { outcome, cpu: CpuMeter.perRequest(before, after, outcome.acked.length) }
}

/* ------------------------------------------------------------------------ */
/* Setup                                                                    */

async function adminToken(port: number): Promise<string> {
  const reply = await send(port, 'POST', '/api/v1/auth/tokens', {
    json: { email: ADMIN_EMAIL, password: PASSWORD, name: 'bench' },
    keepBody: true,
  })
  if (reply.status !== 201)
    throw new Error(`POST /api/v1/auth/tokens: ${reply.status} ${reply.body}`)
  return JSON.parse(reply.body).data.token
}

async function createChannel(port: number, token: string, teamId: number, apiRoot: string) {
  const reply = await send(port, 'POST', '/api/v1/channels', {
    token,
    json: {
      platform: 'telegram',
      name: 'Bench bot',
      teamId,
      config: { token: BOT_TOKEN, mode: 'webhook', apiRoot },
    },
    keepBody: true,
  })
  if (reply.status !== 201) throw new Error(`POST /api/v1/channels: ${reply.status} ${reply.body}`)
  return JSON.parse(reply.body).data.id as number
}

/** The webhook the channel registered with the (fake) Bot API: its URL and secret. */
async function registeredWebhook(fake: FakeTelegram, worker: ChildProcess) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}`)
    const call = fake.callsOf('setWebhook').find((c) => c.token === BOT_TOKEN && c.status === 200)
    if (call) return { url: String(call.params.url), secret: String(call.params.secret_token) }
    await sleep(100)
  }
  throw new Error('the channel registered no webhook within 60 s')
}

/** Waits until the worker has taken every process job; returns the backlog it started with. */
async function drain(client: pg.Client): Promise<number> {
  const pending = async () => {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.job
       WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
      [PROCESS_QUEUE]
    )
    return Number(result.rows[0].n)
  }
  const initial = await pending()
  if (!WORKER || initial === 0) return initial
  const started = performance.now()
  const deadline = Date.now() + DRAIN_TIMEOUT_MS
  let left = initial
  while (left > 0 && Date.now() < deadline) {
    await sleep(200)
    left = await pending()
  }
  const took = performance.now() - started
  log(
    left
      ? `  worker left ${left} of ${initial} jobs after ${seconds(took)}; going on`
      : `  worker drained ${initial} jobs in ${seconds(took)} (${round(initial / (took / 1000), 0)}/s)`
  )
  return initial
}

/* ------------------------------------------------------------------------ */
/* Ceiling and checks                                                       */

/**
 * The same rows written by a bare `pg` pool, one transaction per message:
 * the ledger row (with the envelope the server would store) and the message
 * row, into the conversation of the same customer.
 */
async function ceiling(
  url: string,
  channelId: number,
  conversations: Map<number, number>,
  postings: Posting[],
  cpu: CpuMeter
) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY })
  const outcome = emptyOutcome()
  try {
    // Open every connection first, as the server's pool is warm when measured.
    const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.connect()))
    for (const c of clients) c.release()
    const before = await cpu.sample()
    let next = 0
    const started = process.hrtime.bigint()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < postings.length) {
          const n = next++
          const posting = postings[n]
          const externalId = `ceiling:${posting.externalId}`
          const envelope = JSON.stringify({
            eventId: `ceiling-${n}`,
            contact: { externalId: String(posting.customer) },
            message: { externalId, kind: 'text', text: posting.text, attachments: [] },
          })
          const t0 = process.hrtime.bigint()
          const client = await pool.connect()
          try {
            await client.query('BEGIN')
            await client.query({
              name: 'ceiling-ledger',
              text: `INSERT INTO inbound_events (source_type, source_id, external_id, kind, payload)
                     VALUES ('channel', $1, $2, 'message', $3) ON CONFLICT DO NOTHING RETURNING id`,
              values: [channelId, `ceiling-${n}`, envelope],
            })
            await client.query({
              name: 'ceiling-message',
              text: `INSERT INTO messages (conversation_id, channel_id, direction, author_kind, kind,
                       body, attachments, metadata, external_id, delivery_status, created_at, updated_at)
                     VALUES ($1, $2, 'inbound', 'contact', 'text', $3, '[]', '{}', $4, 'received',
                       now(), now())
                     ON CONFLICT (channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
                     RETURNING id`,
              values: [conversations.get(posting.customer), channelId, posting.text, externalId],
            })
            await client.query('COMMIT')
            outcome.acked.push(externalId)
          } catch (error) {
            await client.query('ROLLBACK').catch(() => {})
            outcome.errors++
            if (outcome.samples.length < 5) outcome.samples.push((error as Error).message)
          } finally {
            client.release()
          }
          outcome.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        }
      })
    )
    outcome.elapsedS = Number(process.hrtime.bigint() - started) / 1e9
    const after = await cpu.sample()
    return { outcome, cpu: CpuMeter.perRequest(before, after, outcome.acked.length) }
  } finally {
    await pool.end()
  }
}

/** The open conversation of each customer, by customer index. */
async function conversationsOf(client: pg.Client, channelId: number, customers: FakeUser[]) {
  const rows = await client.query<{ external_id: string; conversation_id: number }>(
    `SELECT ci.external_id, c.id AS conversation_id
     FROM contact_identities ci
     JOIN conversations c ON c.contact_id = ci.contact_id AND c.channel_id = $1
     WHERE ci.platform = 'telegram' AND c.status <> 'resolved'`,
    [channelId]
  )
  const byUser = new Map(rows.rows.map((r) => [r.external_id, r.conversation_id]))
  const out = new Map<number, number>()
  customers.forEach((user, index) => {
    const id = byUser.get(String(user.id))
    if (id === undefined) throw new Error(`customer ${user.id} has no conversation`)
    out.set(index, id)
  })
  return out
}

/**
 * What the database holds against what was acknowledged: updates answered
 * 200 without their message (lost), message rows beyond one per update
 * (duplicated), messages without a process job, ledger rows.
 */
async function verify(client: pg.Client, channelId: number, acked: string[], postedIds: string[]) {
  const unique = [...new Set(acked)]
  const lost = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM unnest($2::text[]) AS e(external_id)
     WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.channel_id = $1 AND m.external_id = e.external_id)`,
    [channelId, unique]
  )
  const counts = await client.query<{
    rows: string
    ids: string
    unexplained: string
    jobs_missing: string
    ledger: string
  }>(
    `WITH posted AS (SELECT DISTINCT unnest($2::text[]) AS external_id),
     ours AS (SELECT id, external_id FROM messages
              WHERE channel_id = $1 AND direction = 'inbound' AND external_id NOT LIKE 'ceiling:%')
     SELECT count(*) AS rows, count(DISTINCT o.external_id) AS ids,
            count(*) FILTER (WHERE p.external_id IS NULL) AS unexplained,
            (SELECT count(*) FROM ours
             WHERE NOT EXISTS (SELECT 1 FROM pgboss.job j
                               WHERE j.name = $3 AND (j.data->>'messageId')::bigint = ours.id)) AS jobs_missing,
            (SELECT count(*) FROM inbound_events
             WHERE source_type = 'channel' AND source_id = $1 AND external_id NOT LIKE 'ceiling-%') AS ledger
     FROM ours o LEFT JOIN posted p ON p.external_id = o.external_id`,
    [channelId, postedIds, PROCESS_QUEUE]
  )
  const c = counts.rows[0]
  return {
    lost: Number(lost.rows[0].n),
    duplicated: Number(c.rows) - Number(c.ids) + Number(c.unexplained),
    messages: Number(c.rows),
    acked: unique.length,
    jobsMissing: Number(c.jobs_missing),
    ledger: Number(c.ledger),
    posted: postedIds.length,
  }
}

/* ------------------------------------------------------------------------ */

async function main() {
  const runStarted = performance.now()
  log(
    `${QUICK ? 'quick' : 'full'} run: ${MESSAGES} updates at concurrency ${CONCURRENCY}, ` +
      `${CUSTOMERS} customers, then ${RATE}/s for ${LATENCY_SECONDS} s; worker ${WORKER ? 'on' : 'off'}`
  )

  const { url: databaseUrl, dataDir } = await scratchDatabase({ durable: true })
  const appEnv = appEnvFor(databaseUrl, { RUN_WORKER: 'false' })
  const ace = (args: string[]) => runNode(['ace.js', ...args], appEnv)
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  cleanups.push(() => client.end())
  if (process.env.BENCH_DATABASE_URL) await client.query('DROP SCHEMA IF EXISTS pgboss CASCADE')

  await timed('migrations', () => ace(['migration:run', '--force']))
  await timed('admin (ace users:create)', () =>
    ace(['users:create', '--email', ADMIN_EMAIL, '--role', 'admin', '--password', PASSWORD])
  )
  const team = await client.query<{ id: number }>(
    `INSERT INTO teams (name, description) VALUES ('Support', 'Support team') RETURNING id`
  )

  const fake = await FakeTelegram.start()
  cleanups.push(() => fake.stop())
  fake.addBot(BOT_TOKEN, { username: 'switchboard_bench_bot' })

  const { server, port } = await startServer(appEnv, send)
  const publicUrl = `http://127.0.0.1:${port}`
  const token = await adminToken(port)
  const channelId = await createChannel(port, token, team.rows[0].id, fake.apiRoot)

  // Channels run in workers: this one registers the webhook (PUBLIC_URL) and its secret.
  // Without --worker it stops then: what follows measures ingest alone.
  const worker = startNode(['ace.js', 'worker'], { ...appEnv, PUBLIC_URL: publicUrl })
  const hook = await timed('webhook registered by the worker', () =>
    registeredWebhook(fake, worker)
  )
  const path = new URL(hook.url).pathname
  if (hook.url !== `${publicUrl}/webhooks/telegram/${channelId}`) {
    throw new Error(`unexpected webhook URL ${hook.url}`)
  }
  if (!WORKER) await stopChild(worker)
  const target: Target = { port, path, secret: hook.secret }

  // A wrong secret must be refused before anything is measured.
  const updates = new Updates(CUSTOMERS)
  const probe = updates.next(0)
  const refused = await send(port, 'POST', path, {
    body: probe.body,
    headers: { 'x-telegram-bot-api-secret-token': 'wrong' },
  })
  if (refused.status !== 401) throw new Error(`a wrong secret got ${refused.status}, not 401`)

  const cpu = new CpuMeter(
    WORKER ? { server: server.pid, worker: worker.pid } : { server: server.pid },
    dataDir ? await postmasterPid(dataDir) : null
  )
  const acked: string[] = []
  const posted: string[] = []

  // Warm-up: every customer writes once (new contact, identity and conversation each).
  const firstMessages = updates.customers.map((_, i) => updates.next(i))
  const warm = await metered(cpu, () => closedLoop(target, firstMessages, CONCURRENCY))
  describe('warm-up (first message of each customer)', warm.outcome, warm.cpu)
  acked.push(...warm.outcome.acked)
  posted.push(...firstMessages.map((p) => p.externalId))

  await drain(client)
  const throughputPostings = updates.many(MESSAGES)
  const throughput = await metered(cpu, () => closedLoop(target, throughputPostings, CONCURRENCY))
  describe(`throughput (${CONCURRENCY} clients)`, throughput.outcome, throughput.cpu)
  acked.push(...throughput.outcome.acked)
  posted.push(...throughputPostings.map((p) => p.externalId))
  const backlogAfterThroughput = await drain(client)

  const latencyPostings = updates.many(RATE * LATENCY_SECONDS)
  const latency = await metered(cpu, () => openLoop(target, latencyPostings, RATE))
  describe(`latency (${RATE}/s offered)`, latency.outcome, latency.cpu)
  acked.push(...latency.outcome.acked)
  posted.push(...latencyPostings.map((p) => p.externalId))
  await drain(client)

  // Repeats: Telegram redelivers an update it got no 2xx for; each must be absorbed.
  const again = throughputPostings
    .filter((_, i) => i % Math.max(1, Math.floor(throughputPostings.length / REPEATS)) === 0)
    .slice(0, REPEATS)
  const raced = updates.many(RACED)
  const repeats = await closedLoop(target, [...again, ...raced.flatMap((p) => [p, p])], CONCURRENCY)
  const repeatsAcked = repeats.acked.length
  acked.push(...repeats.acked)
  posted.push(...raced.map((p) => p.externalId))
  log(
    `duplicates: ${again.length} acknowledged updates again, ${raced.length} fresh ones twice at ` +
      `once: ${repeatsAcked} of ${again.length + raced.length * 2} answered 200`
  )
  await drain(client)

  // Ceiling: the same rows, as many as the throughput phase, by a bare client.
  const conversations = await conversationsOf(client, channelId, updates.customers)
  const bare = await ceiling(databaseUrl, channelId, conversations, throughputPostings, cpu)
  describe(`ceiling (bare pg, ${CONCURRENCY} connections)`, bare.outcome, bare.cpu)

  const check = await verify(client, channelId, acked, posted)
  log(
    `database: ${check.messages} messages for ${check.acked} acknowledged updates ` +
      `(${check.posted} distinct updates posted), ${check.ledger} ledger rows; lost ${check.lost}, ` +
      `duplicated ${check.duplicated}, messages without a job ${check.jobsMissing}`
  )

  const t = latencyFigures(throughput.outcome)
  const l = latencyFigures(latency.outcome)
  const c = latencyFigures(bare.outcome)
  const at = `at_${RATE}_per_s`
  const result = {
    messages_per_s: t.perS,
    p50_ms: t.p50,
    p95_ms: t.p95,
    p99_ms: t.p99,
    lost: check.lost,
    duplicated: check.duplicated,
    ceiling_per_s: c.perS,
    ratio: round(t.perS / c.perS, 3),
    [`p50_ms_${at}`]: l.p50,
    [`p95_ms_${at}`]: l.p95,
    [`p99_ms_${at}`]: l.p99,
    [`achieved_per_s_${at}`]: l.perS,
    messages: MESSAGES,
    concurrency: CONCURRENCY,
    customers: CUSTOMERS,
    errors: throughput.outcome.errors + latency.outcome.errors + warm.outcome.errors,
    duplicates_posted: again.length + raced.length,
    duplicates_refused: again.length + raced.length * 2 - repeatsAcked,
    jobs_missing: check.jobsMissing,
    worker: WORKER,
    jobs_backlog_after_throughput: WORKER ? backlogAfterThroughput : null,
    durable: process.env.BENCH_DATABASE_URL ? null : true,
    cpu_ms_per_message: throughput.cpu,
    [`cpu_ms_per_message_${at}`]: latency.cpu,
    ceiling_cpu_ms_per_message: bare.cpu,
    ceiling_p99_ms: c.p99,
  }
  process.stdout.write(JSON.stringify(result) + '\n')

  const goals = [
    [result.messages_per_s >= 2000, 'messages_per_s ≥ 2,000'],
    [result.ratio >= 0.5, 'ratio ≥ 0.5'],
    [RATE !== 1000 || l.p99 <= 50, 'p99 ≤ 50 ms at 1,000/s'],
    [result.lost === 0 && result.duplicated === 0, 'lost = duplicated = 0'],
  ] as const
  const missed = goals.filter(([ok]) => !ok).map(([, what]) => what)
  log(missed.length ? `goal missed: ${missed.join(', ')}` : 'every goal met')
  log(`total run time ${seconds(performance.now() - runStarted)}`)
}

await runBenchmark(main, agent)
