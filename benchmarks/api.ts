/*
| Conversation list benchmark: `npm run bench:api [-- --quick]`.
|
| Builds a realistic data set (4 teams, ~40 operators, 60k contacts, 100k
| conversations, 1M messages), starts the production HTTP server on it and
| drives GET /api/v1/conversations with 16 concurrent keep-alive clients in a
| closed loop, one query shape at a time. Each shape prints one JSON line on
| stdout:
|
|   {"shape","p50_ms","p95_ms","p99_ms","requests_per_s","requests","errors",
|    "total","total_capped","cpu_ms_per_request":{"server","postgres","bench"}}
|
| `total` is the list's meta.total (counted up to 1,000; `total_capped` when
| there are more). `cpu_ms_per_request` is the CPU time the server process,
| the PostgreSQL processes and this script spent per request while the shape
| was measured (Linux /proc; null where it cannot be read): with every
| process on one machine, latency under load is mostly waiting for a CPU, and
| this says who used it. With BENCH_DATABASE_URL, `postgres` counts the
| backends connected to that database (the server's pool), when they run on
| this machine and /proc shows them. Progress goes to stderr. Target: p95 ≤
| 50 ms for every shape.
|
| The search document of each conversation (conversations.search_vector) is
| normally kept by triggers, one message at a time; the seed disables them
| for the bulk load, builds every document in one statement, re-enables them
| and checks the result against plain-text matching before measuring.
|
| Database: BENCH_DATABASE_URL when set, otherwise a throwaway embedded
| PostgreSQL in a temporary directory (removed at the end).
| WARNING: the `public` schema of BENCH_DATABASE_URL is DROPPED and recreated.
|
| --quick: 10k conversations / 100k messages, 3 s per shape (sanity run).
| --only=a,b: measure only these shapes (the data set is built in full).
| --keep: when done, stop the server but keep the embedded PostgreSQL and its
|   data running for EXPLAIN ANALYZE and the like; its URL is printed, Ctrl-C
|   removes it.
*/
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import {
  appEnvFor,
  cleanUpOnSignals,
  CpuMeter,
  formatCpu,
  httpClient,
  log,
  percentile,
  postmasterPid,
  round,
  runBenchmark,
  runNode,
  scratchDatabase,
  seconds,
  startServer,
  stopChild,
  TimeoutError,
  timed,
} from './support.js'
import {
  ADMIN_EMAIL,
  COMMON_WORD,
  CONTACT_FRAGMENT,
  DESK_SIZES,
  MESSAGES_PER_CONVERSATION,
  OPERATOR_EMAIL,
  PASSWORD,
  PREFIX_FRAGMENT,
  RARE_WORD,
  seed,
  type Seeded,
} from './desk_seed.js'

const QUICK = process.argv.includes('--quick')
const KEEP = process.argv.includes('--keep')
const ONLY = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .filter(Boolean)

const CONFIG = QUICK
  ? { ...DESK_SIZES.quick, warmupMs: 1_000, measureMs: 3_000 }
  : { ...DESK_SIZES.full, warmupMs: 2_000, measureMs: 10_000 }

const CONCURRENCY = 16
/** A request still unanswered after this counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000

/* ------------------------------------------------------------------------ */

/** Set once --keep has finished measuring: a signal is then the expected way out. */
let keeping = false

cleanUpOnSignals(() => (keeping ? 0 : 130))

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

const { agent, send } = httpClient({ maxSockets: CONCURRENCY * 2, timeoutMs: REQUEST_TIMEOUT_MS })

/** One token per client: concurrent clients are separate sessions, as in real use. */
async function tokens(port: number, email: string, count: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const reply = await send(port, 'POST', '/api/v1/auth/tokens', {
      json: { email, password: PASSWORD, name: `bench-${i + 1}` },
      keepBody: true,
    })
    if (reply.status !== 201) {
      throw new Error(`POST /api/v1/auth/tokens for ${email}: ${reply.status} ${reply.body}`)
    }
    out.push(JSON.parse(reply.body).data.token)
  }
  return out
}

/* ------------------------------------------------------------------------ */
/* Database                                                                 */
/**
 * The server does not cancel a query when its client gives up: a request
 * that timed out leaves its query running, and it would slow every later
 * shape down. Cancel what is still running after the timeout.
 */
async function cancelRunawayQueries(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const cancelled = await client.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
         AND query_start < now() - make_interval(secs => $1)`,
      [REQUEST_TIMEOUT_MS / 2000]
    )
    if (cancelled.rowCount) log(`  cancelled ${cancelled.rowCount} runaway queries`)
  } finally {
    await client.end()
  }
}

/** Linux reports CPU time in ticks of 1/100 s. */
const TICK_MS = 10

/**
 * CPU ms used so far by each backend connected to the database (but the one
 * asking), by pid; null when /proc does not show them (another machine, or
 * no permission). For a server other than the embedded one, whose
 * postmaster's children CpuMeter sums.
 */
async function backendCpu(url: string): Promise<Map<number, number> | null> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const backends = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`
    )
    const cpu = new Map<number, number>()
    for (const { pid } of backends.rows) {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
        if (!stat.includes('(postgres)')) return null
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS)
      } catch (error) {
        // A backend that has just exited is gone from /proc; any other failure means no access.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null
      }
    }
    return cpu
  } finally {
    await client.end()
  }
}

/** CPU ms the backends used between two samples; one that started since counts in full. */
function backendCpuUsed(before: Map<number, number> | null, after: Map<number, number> | null) {
  if (!before || !after) return null
  let used = 0
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0)
  return used
}

/* ------------------------------------------------------------------------ */
/* Load                                                                     */

interface Shape {
  name: string
  query: string
  as: 'admin' | 'operator'
}

interface Result {
  shape: string
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  requests_per_s: number
  requests: number
  errors: number
  total: number | null
  total_capped: boolean | null
  cpu_ms_per_request: ReturnType<typeof CpuMeter.perRequest> | null
}

/** The measured query shapes; some pick their values from the seeded data. */
function shapesFor(seeded: Seeded): Shape[] {
  return [
    { name: 'default', query: '', as: 'admin' },
    { name: 'status', query: 'status=open', as: 'admin' },
    {
      name: 'team_status',
      query: `teamId=${seeded.busiestTeamId}&status=open,pending`,
      as: 'admin',
    },
    { name: 'assignee', query: `assigneeId=${seeded.busiestAssigneeId}`, as: 'admin' },
    { name: 'unassigned', query: 'assigneeId=none&status=open', as: 'admin' },
    { name: 'tag', query: `tag=${encodeURIComponent(seeded.popularTag)}`, as: 'admin' },
    { name: 'owner', query: 'owner=queued', as: 'admin' },
    { name: 'sort_created_asc', query: 'sort=createdAt', as: 'admin' },
    { name: 'page_50', query: 'page=50&perPage=50', as: 'admin' },
    { name: 'q_common', query: `q=${COMMON_WORD}`, as: 'admin' },
    { name: 'q_rare', query: `q=${RARE_WORD}`, as: 'admin' },
    { name: 'q_contact', query: `q=${CONTACT_FRAGMENT}`, as: 'admin' },
    { name: 'q_prefix', query: `q=${PREFIX_FRAGMENT}`, as: 'admin' },
    { name: 'q_common_open', query: `status=open&q=${COMMON_WORD}`, as: 'admin' },
    { name: 'operator_scoped', query: '', as: 'operator' },
    { name: 'operator_q', query: `q=${COMMON_WORD}`, as: 'operator' },
  ]
}

/** CONCURRENCY clients, each sending its next request when the previous one is answered. */
async function drive(port: number, path: string, clientTokens: string[], durationMs: number) {
  const latencies: number[] = []
  let errors = 0
  let timeouts = 0
  const started = process.hrtime.bigint()
  const deadline = started + BigInt(durationMs) * 1_000_000n
  await Promise.all(
    clientTokens.map(async (token) => {
      while (process.hrtime.bigint() < deadline) {
        const t0 = process.hrtime.bigint()
        let status = 0
        try {
          const reply = await send(port, 'GET', path, { token })
          status = reply.status
        } catch (error) {
          if (error instanceof TimeoutError) timeouts++
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        if (status < 200 || status >= 300) errors++
      }
    })
  )
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9
  return { latencies, errors, timeouts, elapsedS }
}

async function measure(
  port: number,
  databaseUrl: string,
  shape: Shape,
  clientTokens: Record<Shape['as'], string[]>,
  cpu: CpuMeter,
  meterBackends: boolean
): Promise<Result> {
  const path = `/api/v1/conversations${shape.query ? `?${shape.query}` : ''}`
  const tokensOfShape = clientTokens[shape.as]

  // One request alone first: it gives meta.total, and a shape whose single request
  // does not complete within the timeout is reported as failed without the load phases.
  let total: number | null = null
  let totalCapped: boolean | null = null
  try {
    const probe = await send(port, 'GET', path, { token: tokensOfShape[0], keepBody: true })
    if (probe.status === 200) {
      const meta = JSON.parse(probe.body).meta
      total = meta?.total ?? null
      totalCapped = meta?.totalCapped ?? null
    } else log(`  ${shape.name}: ${probe.status} ${probe.body.slice(0, 300)}`)
  } catch (error) {
    log(`  ${shape.name}: ${(error as Error).message}; load phases skipped`)
    await cancelRunawayQueries(databaseUrl)
    return {
      shape: shape.name,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
      requests_per_s: 0,
      requests: 1,
      errors: 1,
      total: null,
      total_capped: null,
      cpu_ms_per_request: null,
    }
  }

  const warmup = await drive(port, path, tokensOfShape, CONFIG.warmupMs)
  if (warmup.timeouts) await cancelRunawayQueries(databaseUrl)
  const backendsBefore = meterBackends ? await backendCpu(databaseUrl) : null
  const cpuBefore = await cpu.sample()
  const run = await drive(port, path, tokensOfShape, CONFIG.measureMs)
  const cpuAfter = await cpu.sample()
  const backendsAfter = meterBackends ? await backendCpu(databaseUrl) : null
  const cpuPerRequest = CpuMeter.perRequest(cpuBefore, cpuAfter, run.latencies.length)
  const backendsUsed = backendCpuUsed(backendsBefore, backendsAfter)
  if (cpuPerRequest.postgres === null && backendsUsed !== null && run.latencies.length) {
    cpuPerRequest.postgres = round(backendsUsed / run.latencies.length)
  }
  if (run.timeouts) await cancelRunawayQueries(databaseUrl)
  const sorted = run.latencies.sort((a, b) => a - b)
  return {
    shape: shape.name,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    requests_per_s: round(sorted.length / run.elapsedS, 1),
    requests: sorted.length,
    errors: run.errors,
    total,
    total_capped: totalCapped,
    cpu_ms_per_request: cpuPerRequest,
  }
}

/* ------------------------------------------------------------------------ */

async function main() {
  const runStarted = performance.now()
  if (ONLY) {
    const known = shapesFor({ teamIds: [], busiestTeamId: 0, busiestAssigneeId: 0, popularTag: '' })
    const unknown = ONLY.filter((name) => !known.some((shape) => shape.name === name))
    if (unknown.length) {
      throw new Error(
        `--only: no shape ${unknown.join(', ')}; shapes: ${known.map((shape) => shape.name).join(', ')}`
      )
    }
  }
  log(
    `${QUICK ? 'quick' : 'full'} run: ${CONFIG.conversations} conversations, ` +
      `~${CONFIG.conversations * MESSAGES_PER_CONVERSATION} messages, ${CONCURRENCY} clients`
  )

  const { url: databaseUrl, dataDir } = await scratchDatabase()

  const appEnv = appEnvFor(databaseUrl)
  const ace = (args: string[]) => runNode(['ace.js', ...args], appEnv)

  await timed('migrations', () => ace(['migration:run', '--force']))

  log('seeding')
  const seedStarted = performance.now()
  const seeded = await seed(databaseUrl, ace, CONFIG)
  log(`seeding took ${seconds(performance.now() - seedStarted)}`)

  const { server, port } = await startServer({ ...appEnv, DB_POOL_MAX: '20' }, send)
  const postmaster = dataDir ? await postmasterPid(dataDir) : null
  const cpu = new CpuMeter({ server: server.pid }, postmaster)

  const clientTokens = {
    admin: await tokens(port, ADMIN_EMAIL, CONCURRENCY),
    operator: await tokens(port, OPERATOR_EMAIL, CONCURRENCY),
  }

  // The first requests meet a cold server (unoptimised code, connections still to open):
  // a round of the default list first, so that the first shape is not the one to pay.
  await timed('server warm-up', () =>
    drive(port, '/api/v1/conversations', clientTokens.admin, QUICK ? 2_000 : 5_000)
  )

  const shapes = shapesFor(seeded).filter((shape) => !ONLY || ONLY.includes(shape.name))

  const slow: string[] = []
  for (const shape of shapes) {
    const result = await measure(port, databaseUrl, shape, clientTokens, cpu, postmaster === null)
    process.stdout.write(JSON.stringify(result) + '\n')
    log(
      `${shape.name.padEnd(17)} p50 ${result.p50_ms} ms  p95 ${result.p95_ms} ms  ` +
        `p99 ${result.p99_ms} ms  ${result.requests_per_s} req/s  errors ${result.errors}  ` +
        `total ${result.total}${result.total_capped ? '+' : ''}  ` +
        `cpu/request ${formatCpu(result.cpu_ms_per_request)}`
    )
    if (result.p95_ms === null || result.p95_ms > 50) slow.push(shape.name)
  }
  log(
    slow.length
      ? `p95 above the 50 ms goal: ${slow.join(', ')}`
      : 'every shape within the 50 ms p95 goal'
  )
  log(`total run time ${seconds(performance.now() - runStarted)}`)

  if (KEEP) {
    if (!dataDir) {
      log('--keep: BENCH_DATABASE_URL keeps its data anyway')
      return
    }
    await stopChild(server)
    keeping = true
    log(`--keep: server stopped; the database stays up until Ctrl-C: ${databaseUrl}`)
    await new Promise(() => setInterval(() => {}, 60_000))
  }
}

await runBenchmark(main, agent)
