/*
| Operator relay benchmark: `npm run bench:relay [-- --replies=N ...]`.
|
| An operator answers in a Slack thread; how long until the customer's
| platform is asked to send it? Starts the production HTTP server
| (bin/server.ts, RUN_WORKER=false) and a worker (`node ace worker`), as
| `npm run bench:ingest` does, with a fake Telegram Bot API and a fake Slack
| Web API served by this script.
|
| Set-up, through the API: K teams, each with its own Telegram channel in
| webhook mode (registered by the worker with the fake), its own Slack
| workspace (channel, signing secret) and one operator whose email matches
| a Slack user of that workspace, so the first reply links them. Several
| teams because a Slack channel takes about one post a second (60 a minute
| per workspace, counted by the app): each handed-off conversation costs a
| card, three history posts and a card update, and one workspace's budget
| would make the set-up take minutes. Every customer then writes /human
| (the fake POSTs it to the webhook); the worker opens a thread with a card
| in Slack for each conversation. Once the cards are there and the queues
| are quiet, one warm-up reply per conversation (links the operators, moves
| the cards to "human"), then quiet again.
|
| Measured: N replies as signed Slack `message` events (Events API) in those
| threads, round-robin over the conversations, C in flight. A reply's
| latency runs from just before its POST to /webhooks/slack/:id until the
| fake Telegram has answered a sendMessage with its exact text to that
| customer's chat (found by scanning the fake's call records every 2 ms, so
| up to 2 ms late). Every 20th event is posted again right after its 200,
| with the same event_id and `X-Slack-Retry-Num: 1`, as Slack retries.
|
| One JSON line on stdout:
|
|   {"p50_ms","p95_ms","p99_ms","max_ms","lost","duplicated","replies",
|    "replies_per_s","accept_p50_ms","accept_p95_ms","after_accept_p95_ms",
|    "deliver_pickup_p50_ms","deliver_pickup_p95_ms","mirror_jobs",
|    "pg_commits_per_reply", ...counts,
|    "cpu_ms_per_reply":{"server","worker","postgres","bench"}}
|
| `lost`: replies (measured and warm-up) never sent to the customer after
| a final wait; `duplicated`: sends beyond one per reply text at the fake;
| `rows_duplicated`: operator message rows beyond one per reply. `accept`
| is POST → 200 (the reply is committed); `after_accept` is 200 → sent.
| `deliver_pickup` is the worker's delay between a delivery job's insert
| and its start (pg-boss timestamps). Goal: p95 ≤ 100 ms, lost =
| duplicated = 0.
|
| Database: as bench:ingest (BENCH_DATABASE_URL, whose `public` and `pgboss`
| schemas are DROPPED, or a throwaway embedded PostgreSQL with durable
| commits).
|
| --replies=N       measured replies (default 1,000)
| --concurrency=C   replies in flight (default 8)
| --customers=K     conversations (default 50)
| --per-team=P      conversations per team and Slack workspace (default 5)
*/
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { FakeTelegram, commandUpdate, type CallRecord } from '#bots/testing/fake_telegram'
import {
  FakeSlack,
  eventCallback,
  messageEvent,
  slackRequest,
  type SlackBotIdentity,
} from '#bots/testing/fake_slack'
import {
  appEnvFor,
  cleanUpOnSignals,
  cleanups,
  CpuMeter,
  formatCpu,
  httpClient,
  log,
  numberArg,
  percentile,
  postmasterPid,
  round,
  runBenchmark,
  runNode,
  scratchDatabase,
  seconds,
  sleep,
  startNode,
  startServer,
  timed,
} from './support.js'

const REPLIES = numberArg('replies', 1_000)
const CONCURRENCY = numberArg('concurrency', 8)
const CUSTOMERS = numberArg('customers', 50)
const PER_TEAM = numberArg('per-team', 5)
const TEAMS = Math.ceil(CUSTOMERS / PER_TEAM)
/** Every RETRY_EVERY-th event is redelivered as Slack's retry. */
const RETRY_EVERY = 20
/** A reply not at the customer by then no longer holds its slot; it may still arrive. */
const REPLY_TIMEOUT_MS = 10_000
/** The last wait for stragglers before counting losses. */
const FINAL_WAIT_MS = 3_000
const SETTLE_TIMEOUT_MS = 90_000
const POLL_MS = 2

const ADMIN_EMAIL = 'admin@bench.local'
const PASSWORD = 'benchpassword123'
const HANDOFF_TEXT = 'Thanks, a person will take over this conversation shortly.'

cleanUpOnSignals()

const { agent, send } = httpClient({ maxSockets: 16, timeoutMs: 30_000 })

/* ------------------------------------------------------------------------ */
/* Set-up through the API                                                   */

async function api(port: number, token: string | undefined, path: string, json: unknown) {
  const reply = await send(port, 'POST', path, { token, json, keepBody: true })
  if (reply.status !== 201) throw new Error(`POST ${path}: ${reply.status} ${reply.body}`)
  return JSON.parse(reply.body).data
}

interface Desk {
  teamId: number
  botToken: string
  workspaceId: number
  signingSecret: string
  slack: SlackBotIdentity
  slackChannel: string
  operatorSlackId: string
}

interface Conversation {
  desk: Desk
  chatId: string
  threadTs: string
}

async function createDesk(
  port: number,
  token: string,
  k: number,
  telegram: FakeTelegram,
  slack: FakeSlack
): Promise<Desk> {
  const team = await api(port, token, '/api/v1/teams', { name: `Desk ${k + 1}` })
  const email = `operator${k + 1}@bench.local`
  await api(port, token, '/api/v1/users', {
    email,
    fullName: `Operator ${k + 1}`,
    password: PASSWORD,
    role: 'operator',
    teamIds: [team.id],
  })

  const botToken = `${7_100_000_001 + k}:AA${randomBytes(24).toString('base64url')}`
  telegram.addBot(botToken, { username: `relay_bench_${k + 1}_bot` })
  await api(port, token, '/api/v1/channels', {
    platform: 'telegram',
    name: `Shop bot ${k + 1}`,
    teamId: team.id,
    config: { token: botToken, mode: 'webhook', apiRoot: telegram.apiRoot },
  })

  const slackToken = `xoxb-${randomBytes(12).toString('hex')}`
  const signingSecret = randomBytes(16).toString('hex')
  const identity = slack.addWorkspace({ token: slackToken, teamName: `Desk ${k + 1}` })
  const slackChannel = `C0RELAY${k + 1}`
  slack.addChannel({ id: slackChannel, name: 'support', teamId: identity.teamId })
  // Same email as the Switchboard user: linked on the first reply.
  const operatorSlackId = `U0OPER${k + 1}`
  slack.addUser({
    id: operatorSlackId,
    name: `operator${k + 1}`,
    realName: `Operator ${k + 1}`,
    email,
    teamId: identity.teamId,
  })
  const workspace = await api(port, token, '/api/v1/workspaces', {
    platform: 'slack',
    name: `Support Slack ${k + 1}`,
    teamId: team.id,
    config: { botToken: slackToken, signingSecret, channelId: slackChannel, apiUrl: slack.apiUrl },
  })
  return {
    teamId: team.id,
    botToken,
    workspaceId: workspace.id,
    signingSecret,
    slack: identity,
    slackChannel,
    operatorSlackId,
  }
}

/** Waits for `done`, checking every `everyMs`; false when `timeoutMs` ran out. */
async function until(done: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await done()) return true
    await sleep(everyMs)
  }
  return false
}

/**
 * Until nothing is left to do: no delivery or mirror job queued, running or
 * deferred, no thread post pending. Else the measured phase would share the
 * machine with set-up work.
 */
async function settle(client: pg.Client, label: string) {
  const busy = async () => {
    const { rows } = await client.query<{ jobs: string; posts: string }>(
      `SELECT (SELECT count(*) FROM pgboss.job
               WHERE name IN ('message.deliver', 'workspace.mirror', 'conversation.process')
                 AND state IN ('created', 'retry', 'active')) AS jobs,
              (SELECT count(*) FROM operator_posts WHERE status = 'pending') AS posts`
    )
    return Number(rows[0].jobs) + Number(rows[0].posts)
  }
  const quiet = await timed(label, () => until(async () => (await busy()) === 0, SETTLE_TIMEOUT_MS))
  if (!quiet) log(`  still busy after ${seconds(SETTLE_TIMEOUT_MS)}; going on`)
}

/** Which thread is which customer's: from the database, as the app recorded it. */
async function threadsOf(
  client: pg.Client,
  customers: Array<{ user: { id: number }; desk: Desk }>
): Promise<Conversation[]> {
  let rows: Array<{ chat: string; thread: string; workspace_id: number }> = []
  await until(async () => {
    const found = await client.query<(typeof rows)[number]>(
      `SELECT ci.external_id AS chat, t.external_thread_id AS thread, t.workspace_id
       FROM operator_threads t
       JOIN conversations c ON c.id = t.conversation_id
       JOIN contact_identities ci ON ci.contact_id = c.contact_id AND ci.platform = 'telegram'`
    )
    rows = found.rows
    return rows.length >= customers.length
  }, 10_000)
  const byChat = new Map(rows.map((r) => [r.chat, r]))
  return customers.map(({ user, desk }) => {
    const row = byChat.get(String(user.id))
    if (!row || row.workspace_id !== desk.workspaceId) {
      throw new Error(`customer ${user.id} has no thread in their team's workspace`)
    }
    return { desk, chatId: String(user.id), threadTs: row.thread }
  })
}

/* ------------------------------------------------------------------------ */
/* Watching the fake Telegram                                               */

interface Sent {
  /** performance.now() when the scan saw the answered call. */
  seenAt: number
  /** Date.now() when the call reached the fake. */
  arrivedAt: number
}

/**
 * Scans the fake's call records every POLL_MS for answered sendMessage
 * calls: counts each text's successful sends and settles whoever waits for it.
 */
class SendWatch {
  readonly counts = new Map<string, number>()
  readonly sent = new Map<string, Sent>()
  #waiting = new Map<string, { chatId: string; resolve: () => void }>()
  #cursor = 0
  #unanswered: CallRecord[] = []
  #timer: NodeJS.Timeout

  constructor(private fake: FakeTelegram) {
    this.#timer = setInterval(() => this.scan(), POLL_MS)
    cleanups.push(() => clearInterval(this.#timer))
  }

  scan() {
    const calls = this.fake.calls
    for (; this.#cursor < calls.length; this.#cursor++) this.#unanswered.push(calls[this.#cursor])
    if (!this.#unanswered.length) return
    const now = performance.now()
    const still: CallRecord[] = []
    for (const call of this.#unanswered) {
      if (call.status === undefined) still.push(call)
      else if (call.status === 200 && call.method === 'sendMessage') this.#record(call, now)
    }
    this.#unanswered = still
  }

  #record(call: CallRecord, now: number) {
    const text = String(call.params.text)
    this.counts.set(text, (this.counts.get(text) ?? 0) + 1)
    const waiter = this.#waiting.get(text)
    if (waiter && waiter.chatId === String(call.params.chat_id)) {
      this.#waiting.delete(text)
      this.sent.set(text, { seenAt: now, arrivedAt: call.at })
      waiter.resolve()
    }
  }

  /** Resolves when `text` was sent to `chatId`, or after `timeoutMs` (then false). */
  expect(text: string, chatId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs)
      this.#waiting.set(text, {
        chatId,
        resolve: () => {
          clearTimeout(timer)
          resolve(true)
        },
      })
    })
  }

  sentCount(text: string) {
    return this.counts.get(text) ?? 0
  }
}

/* ------------------------------------------------------------------------ */
/* Replies                                                                  */

/** Slack timestamps for the operators' messages, an hour behind the bot's own. */
let nextMicros = (Date.now() - 3_600_000) * 1000
function slackTs() {
  nextMicros += 1
  return `${Math.floor(nextMicros / 1_000_000)}.${String(nextMicros % 1_000_000).padStart(6, '0')}`
}

interface Outcome {
  text: string
  startedAt: number
  /** POST answered (performance.now()); undefined when it failed. */
  acceptedAt?: number
  startedWall: number
  status: number | string
}

interface Phase {
  outcomes: Outcome[]
  retries: number
  retriesRefused: number
  elapsedS: number
}

function slackUrl(port: number, desk: Desk) {
  return `http://127.0.0.1:${port}/webhooks/slack/${desk.workspaceId}`
}

async function postEvent(port: number, desk: Desk, body: string, retryNum?: number) {
  const response = await slackRequest(
    slackUrl(port, desk),
    body,
    'application/json',
    desk.signingSecret,
    { retryNum, retryReason: retryNum ? 'http_timeout' : undefined }
  )
  await response.text()
  return response.status
}

/**
 * `count` replies, reply n into conversation n mod K, `concurrency` at a
 * time; each holds its slot until the customer has it (or REPLY_TIMEOUT_MS).
 */
async function replies(
  port: number,
  watch: SendWatch,
  conversations: Conversation[],
  prefix: string,
  count: number,
  concurrency: number,
  retryEvery: number
): Promise<Phase> {
  const phase: Phase = { outcomes: [], retries: 0, retriesRefused: 0, elapsedS: 0 }
  const retried: Array<Promise<void>> = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++
        const conversation = conversations[n % conversations.length]
        const { desk } = conversation
        const text = `${prefix} ${n + 1}`
        const payload = eventCallback({
          teamId: desk.slack.teamId,
          eventId: `Ev0${prefix.toUpperCase().replace(/\W/g, '')}${n + 1}`,
          botUserId: desk.slack.botUserId,
          event: messageEvent({
            channel: desk.slackChannel,
            user: desk.operatorSlackId,
            text,
            ts: slackTs(),
            threadTs: conversation.threadTs,
          }) as never,
        })
        const seen = watch.expect(text, conversation.chatId, REPLY_TIMEOUT_MS)
        const outcome: Outcome = {
          text,
          startedAt: performance.now(),
          startedWall: Date.now(),
          status: 0,
        }
        phase.outcomes.push(outcome)
        try {
          outcome.status = await postEvent(port, desk, payload.body)
          if (outcome.status === 200) outcome.acceptedAt = performance.now()
        } catch (error) {
          outcome.status = (error as Error).message
        }
        if (retryEvery && n % retryEvery === retryEvery - 1) {
          phase.retries++
          retried.push(
            postEvent(port, desk, payload.body, 1)
              .then((status) => {
                if (status !== 200) phase.retriesRefused++
              })
              .catch(() => {
                phase.retriesRefused++
              })
          )
        }
        await seen
      }
    })
  )
  phase.elapsedS = (performance.now() - started) / 1000
  await Promise.all(retried)
  return phase
}

function figures(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: sorted.length ? round(sorted[sorted.length - 1]) : Number.NaN,
  }
}

/** Latencies of a phase's replies that reached the customer: end to end, accept, after accept. */
function latencies(phase: Phase, watch: SendWatch) {
  const total: number[] = []
  const accept: number[] = []
  const afterAccept: number[] = []
  const toFake: number[] = []
  for (const o of phase.outcomes) {
    if (o.acceptedAt !== undefined) accept.push(o.acceptedAt - o.startedAt)
    const sent = watch.sent.get(o.text)
    if (!sent) continue
    total.push(sent.seenAt - o.startedAt)
    if (o.acceptedAt !== undefined) afterAccept.push(sent.seenAt - o.acceptedAt)
    toFake.push(sent.arrivedAt - o.startedWall)
  }
  return {
    total: figures(total),
    accept: figures(accept),
    afterAccept: figures(afterAccept),
    toFake: figures(toFake),
  }
}

/** Delivery jobs' wait between insert and start, for jobs created since `since`; mirror passes. */
async function jobsSince(client: pg.Client, since: Date) {
  const { rows } = await client.query<{ ms: number }>(
    `SELECT extract(epoch FROM started_on - created_on) * 1000 AS ms FROM pgboss.job
     WHERE name = 'message.deliver' AND created_on >= $1 AND started_on IS NOT NULL`,
    [since]
  )
  const mirror = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'workspace.mirror' AND created_on >= $1`,
    [since]
  )
  return {
    deliver: rows.length,
    mirror: mirror.rows[0].n,
    ...figures(rows.map((r) => Number(r.ms))),
  }
}

/** Transactions committed in the database so far (the statistics lag by up to a second). */
async function commits(client: pg.Client) {
  const { rows } = await client.query<{ n: string }>(
    'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()'
  )
  return Number(rows[0].n)
}

/* ------------------------------------------------------------------------ */

async function main() {
  const runStarted = performance.now()
  log(
    `${REPLIES} replies, ${CONCURRENCY} in flight, ${CUSTOMERS} conversations in ${TEAMS} ` +
      `teams (one Slack workspace each)`
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

  const telegram = await FakeTelegram.start()
  cleanups.push(() => telegram.stop())
  const slack = await FakeSlack.start()
  cleanups.push(() => slack.stop())
  const watch = new SendWatch(telegram)

  const { server, port } = await startServer(appEnv, send)
  const publicUrl = `http://127.0.0.1:${port}`
  const { token } = (await api(port, undefined, '/api/v1/auth/tokens', {
    email: ADMIN_EMAIL,
    password: PASSWORD,
    name: 'bench',
  })) as { token: string }

  const desks = await timed(`${TEAMS} teams, channels and Slack workspaces`, async () => {
    const out: Desk[] = []
    for (let k = 0; k < TEAMS; k++) out.push(await createDesk(port, token, k, telegram, slack))
    return out
  })

  // The worker runs the channels: it registers each webhook (PUBLIC_URL) with the fake.
  const worker = startNode(['ace.js', 'worker'], { ...appEnv, PUBLIC_URL: publicUrl })
  const registered = await timed('webhooks registered by the worker', () =>
    until(() => {
      if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}`)
      const hooks = new Set(
        telegram
          .callsOf('setWebhook')
          .filter((c) => c.status === 200)
          .map((c) => c.token)
      )
      return desks.every((d) => hooks.has(d.botToken))
    }, 60_000)
  )
  if (!registered) throw new Error('not every channel registered its webhook within 60 s')

  // Every customer asks for a person: the fake POSTs /human to the channel's webhook.
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    user: { id: 610_000_000 + i, first_name: 'Customer', last_name: String(i + 1) },
    desk: desks[Math.floor(i / PER_TEAM)],
  }))
  for (const { user, desk } of customers) {
    telegram.addChat(desk.botToken, user)
    telegram.pushUpdate(desk.botToken, commandUpdate(user, 'human'))
  }
  const cardsUp = await timed(`${CUSTOMERS} cards in Slack`, () =>
    until(() => {
      const cards = desks.reduce(
        (sum, d) =>
          sum +
          slack
            .messages(d.slackChannel)
            .filter((m) => (m.blocks ?? []).length > 0 && (!m.thread_ts || m.thread_ts === m.ts))
            .length,
        0
      )
      return cards >= CUSTOMERS
    }, 120_000)
  )
  if (!cardsUp) throw new Error('not every conversation got its card in Slack within 120 s')

  const conversations = await threadsOf(client, customers)
  await settle(client, 'hand-off posts and replies done')
  const handoffs = customers.filter(
    ({ user }) => telegram.sentMessages(user.id).filter((m) => m.text === HANDOFF_TEXT).length === 1
  ).length
  if (handoffs !== CUSTOMERS)
    log(`  only ${handoffs} of ${CUSTOMERS} customers got one hand-off reply`)

  // Warm-up: one reply per conversation links each operator and moves every card to them.
  const warm = await replies(port, watch, conversations, 'warm-up', CUSTOMERS, CONCURRENCY, 0)
  const w = latencies(warm, watch)
  log(`warm-up: ${CUSTOMERS} replies, p50 ${w.total.p50} ms, p95 ${w.total.p95} ms`)
  await settle(client, 'card updates done')

  const cpu = new CpuMeter(
    { server: server.pid, worker: worker.pid },
    dataDir ? await postmasterPid(dataDir) : null
  )
  const measuredSince = new Date()
  const commitsBefore = await commits(client)
  const before = await cpu.sample()
  const measured = await replies(
    port,
    watch,
    conversations,
    'reply',
    REPLIES,
    CONCURRENCY,
    RETRY_EVERY
  )
  const after = await cpu.sample()
  const cpuPerReply = CpuMeter.perRequest(before, after, REPLIES)

  // Stragglers, and any late second send.
  const all = [...warm.outcomes, ...measured.outcomes]
  await until(() => all.every((o) => watch.sent.has(o.text)), FINAL_WAIT_MS)
  await sleep(FINAL_WAIT_MS)
  watch.scan()

  const lost = all.filter((o) => watch.sentCount(o.text) === 0).length
  const duplicated = all.reduce((sum, o) => sum + Math.max(0, watch.sentCount(o.text) - 1), 0)
  const errors = all.filter((o) => o.status !== 200)
  const rows = await client.query<{ rows: string; texts: string; unsent: string }>(
    `SELECT count(*) AS rows, count(DISTINCT body) AS texts,
            count(*) FILTER (WHERE delivery_status <> 'sent') AS unsent
     FROM messages WHERE author_kind = 'operator' AND direction = 'outbound'`
  )
  const jobs = await jobsSince(client, measuredSince)
  // Includes this script's few queries and the final wait's background work.
  const commitsPerReply = ((await commits(client)) - commitsBefore) / REPLIES

  const m = latencies(measured, watch)
  log(
    `replies: ${REPLIES} in ${measured.elapsedS.toFixed(2)} s, end to end p50 ${m.total.p50} ms ` +
      `p95 ${m.total.p95} ms p99 ${m.total.p99} ms max ${m.total.max} ms; accept p95 ` +
      `${m.accept.p95} ms, after accept p95 ${m.afterAccept.p95} ms; delivery job pickup p50 ` +
      `${jobs.p50} ms p95 ${jobs.p95} ms (${jobs.deliver} jobs, ${jobs.mirror} mirror passes); ` +
      `cpu/reply ${formatCpu(cpuPerReply)}; ~${round(commitsPerReply, 1)} commits/reply`
  )
  log(
    `lost ${lost}, duplicated ${duplicated}, errors ${errors.length}, Slack retries ` +
      `${measured.retries} (${measured.retriesRefused} refused); operator rows ${rows.rows[0].rows} ` +
      `for ${all.length} replies, ${rows.rows[0].unsent} not sent`
  )
  if (errors.length) log(`  errors, first ones: ${errors.slice(0, 5).map((o) => o.status)}`)

  const result = {
    p50_ms: m.total.p50,
    p95_ms: m.total.p95,
    p99_ms: m.total.p99,
    max_ms: m.total.max,
    lost,
    duplicated,
    replies: REPLIES,
    replies_per_s: round(REPLIES / measured.elapsedS, 1),
    accept_p50_ms: m.accept.p50,
    accept_p95_ms: m.accept.p95,
    after_accept_p50_ms: m.afterAccept.p50,
    after_accept_p95_ms: m.afterAccept.p95,
    deliver_pickup_p50_ms: jobs.p50,
    deliver_pickup_p95_ms: jobs.p95,
    deliver_jobs: jobs.deliver,
    mirror_jobs: jobs.mirror,
    pg_commits_per_reply: round(commitsPerReply, 1),
    concurrency: CONCURRENCY,
    conversations: CUSTOMERS,
    teams: TEAMS,
    warmup_replies: warm.outcomes.length,
    errors: errors.length,
    retries_posted: measured.retries,
    retries_refused: measured.retriesRefused,
    rows_duplicated: Number(rows.rows[0].rows) - Number(rows.rows[0].texts),
    durable: process.env.BENCH_DATABASE_URL ? null : true,
    cpu_ms_per_reply: cpuPerReply,
  }
  process.stdout.write(JSON.stringify(result) + '\n')

  const met = result.p95_ms <= 100 && lost === 0 && duplicated === 0
  log(met ? 'goal met' : 'goal missed: p95 ≤ 100 ms, lost = duplicated = 0')
  log(`total run time ${seconds(performance.now() - runStarted)}`)
}

await runBenchmark(main, agent)
