/*
| The dashboard's reports under load:
| `node --import @poppinss/ts-exec benchmarks/panel_reports.ts [--quick]`.
|
| Builds bench:api's desk (100k conversations over 180 days, ~1M messages;
| --quick: 10k / 100k), starts the production server on it and sends
| GET /api/v1/reports/overview for the last 30 days as the admin (every team:
| the heaviest report) REQUESTS times, one after another as a dashboard
| does, after a warm-up. Prints one JSON line on stdout:
|
|   {"reports_p95_ms"}
|
| Progress, p50/p99, the CPU time each request cost the server and
| PostgreSQL (load on the machine stretches latency, not CPU time) and the
| latencies for an operator of one team go to stderr. Goal: p95 ≤ 100 ms. `measureReports()` is what bench:panel calls.
|
| Database: BENCH_DATABASE_URL when set (its `public` schema is DROPPED and
| recreated), otherwise a throwaway embedded PostgreSQL.
*/
import { pathToFileURL } from 'node:url'
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
  timed,
  type Send,
} from './support.js'
import { ADMIN_EMAIL, DESK_SIZES, OPERATOR_EMAIL, PASSWORD, seed } from './desk_seed.js'

const REQUESTS = 200
const WARMUP = 20
const PATH = '/api/v1/reports/overview'

async function login(send: Send, port: number, email: string): Promise<string> {
  const reply = await send(port, 'POST', '/api/v1/auth/tokens', {
    json: { email, password: PASSWORD, name: 'bench-reports' },
    keepBody: true,
  })
  if (reply.status !== 201) throw new Error(`token for ${email}: ${reply.status} ${reply.body}`)
  return JSON.parse(reply.body).data.token
}

/** Latencies (ms, sorted) of `count` requests sent one after another. */
async function sequential(send: Send, port: number, token: string, count: number) {
  const latencies: number[] = []
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint()
    const reply = await send(port, 'GET', PATH, { token })
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
    if (reply.status !== 200) throw new Error(`${PATH}: ${reply.status} ${reply.body}`)
  }
  return latencies.sort((a, b) => a - b)
}

export async function measureReports(
  options: { quick?: boolean } = {}
): Promise<{ reports_p95_ms: number }> {
  const size = options.quick ? DESK_SIZES.quick : DESK_SIZES.full
  log(`reports: ${size.conversations} conversations, ${REQUESTS} requests of ${PATH}`)
  const { url, dataDir } = await scratchDatabase()
  const appEnv = appEnvFor(url)
  const ace = (args: string[]) => runNode(['ace.js', ...args], appEnv)
  await timed('migrations', () => ace(['migration:run', '--force']))
  const seedStarted = performance.now()
  await seed(url, ace, size)
  log(`seeding took ${seconds(performance.now() - seedStarted)}`)

  const { agent, send } = httpClient({ maxSockets: 2, timeoutMs: 30_000 })
  const { server, port } = await startServer(appEnv, send)
  const cpu = new CpuMeter({ server: server.pid }, dataDir ? await postmasterPid(dataDir) : null)
  try {
    const admin = await login(send, port, ADMIN_EMAIL)
    const operator = await login(send, port, OPERATOR_EMAIL)
    const sample = await send(port, 'GET', PATH, { token: admin, keepBody: true })
    log(`  kpis: ${JSON.stringify(JSON.parse(sample.body).data.kpis)}`)
    await timed('warm-up', () => sequential(send, port, admin, WARMUP))

    const summary = (who: string, sorted: number[]) =>
      log(
        `${who.padEnd(9)} p50 ${round(percentile(sorted, 50))} ms  ` +
          `p95 ${round(percentile(sorted, 95))} ms  p99 ${round(percentile(sorted, 99))} ms`
      )
    const before = await cpu.sample()
    const adminRun = await sequential(send, port, admin, REQUESTS)
    const used = CpuMeter.perRequest(before, await cpu.sample(), REQUESTS)
    summary('admin', adminRun)
    log(`  cpu/request ${formatCpu(used)}`)
    summary('operator', await sequential(send, port, operator, REQUESTS))
    const p95 = round(percentile(adminRun, 95))
    log(p95 <= 100 ? 'within the 100 ms p95 goal' : 'p95 above the 100 ms goal')
    return { reports_p95_ms: p95 }
  } finally {
    agent.destroy()
    await stopChild(server)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cleanUpOnSignals()
  await runBenchmark(
    async () => {
      const result = await measureReports({ quick: process.argv.includes('--quick') })
      process.stdout.write(JSON.stringify(result) + '\n')
    },
    { destroy() {} }
  )
}
