/*
| npm run bench:panel — the admin panel's weight and speed, one JSON line:
|   initial_js_gzip_kb     scripts and modulepreloads of /admin's index.html, gzip
|   largest_chunk_gzip_kb  the largest JavaScript chunk, gzip
|   build_s                a production `vite build` from scratch
|   inbox_lcp_ms           Largest Contentful Paint of the inbox in Chromium with
|                          1,000 conversations seeded (median of --runs, default 5)
|   reports_p95_ms         GET /api/v1/reports/overview p95 at 100k conversations /
|                          1M messages (benchmarks/panel_reports.ts)
| Goals: initial JS ≤ 300 KB, inbox LCP ≤ 1,500 ms, reports p95 ≤ 100 ms.
| `--skip-reports` leaves out the large seed (minutes).
*/
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { launchChromium } from '../tests/support/chromium.js'
import {
  appEnvFor,
  cleanups,
  httpClient,
  log,
  numberArg,
  percentile,
  round,
  runBenchmark,
  runNode,
  ROOT,
  scratchDatabase,
  startServer,
  timed,
} from './support.js'

const ADMIN = join(ROOT, 'admin')
const RUNS = numberArg('runs', 5)
const CONVERSATIONS = numberArg('conversations', 1000)
const EMAIL = 'admin@bench.local'
const PASSWORD = 'benchpassword123'

const gzipKb = (bytes: Buffer) => round(gzipSync(bytes, { level: 9 }).length / 1024, 1)

/** A production build into a scratch folder, timed; the checkout's admin/dist is left alone. */
async function build(): Promise<{ dir: string; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-panel-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const manifest = createRequire(join(ADMIN, 'package.json')).resolve('vite/package.json')
  const vite = join(dirname(manifest), 'bin', 'vite.js')
  const started = performance.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', dir, '--logLevel', 'warn'], {
      cwd: ADMIN,
      stdio: ['ignore', 2, 2],
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build: ${code}`))))
  })
  return { dir, seconds: round((performance.now() - started) / 1000, 1) }
}

/** What a first visit downloads before any route chunk: the entry scripts and their preloads. */
async function weights(dir: string) {
  const html = await readFile(join(dir, 'index.html'), 'utf8')
  const initial = [
    ...html.matchAll(/<script[^>]+src="\/admin\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/admin\/([^"]+)"/g),
  ].map((m) => m[1])
  let initialKb = 0
  for (const file of new Set(initial)) initialKb += gzipKb(await readFile(join(dir, file)))
  let largest = 0
  for (const file of await readdir(join(dir, 'assets'))) {
    if (file.endsWith('.js'))
      largest = Math.max(largest, gzipKb(await readFile(join(dir, 'assets', file))))
  }
  return { initial_js_gzip_kb: round(initialKb, 1), largest_chunk_gzip_kb: largest }
}

/** 1,000 conversations with a few messages each, for the inbox's first page. */
async function seedInbox(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const team = await client.query<{ id: number }>(`SELECT id FROM teams ORDER BY id LIMIT 1`)
    const teamId = team.rows[0].id
    await client.query(
      `INSERT INTO contacts (team_id, name, email, attributes, created_at, updated_at)
       SELECT $1, 'Customer ' || g, 'customer' || g || '@example.com', '{}',
              now() - g * interval '5 minutes', now() - g * interval '5 minutes'
       FROM generate_series(1, $2::int) g`,
      [teamId, CONVERSATIONS]
    )
    await client.query(
      `INSERT INTO conversations (team_id, contact_id, subject, status, owner, tags, last_message_at,
                                  created_at, updated_at)
       SELECT team_id, id, 'Question ' || id,
              (ARRAY['open','pending','resolved']::conversation_status[])[1 + id % 3],
              (ARRAY['bot','queued','human']::conversation_owner[])[1 + id % 3],
              '{}', created_at, created_at, created_at
       FROM contacts WHERE team_id = $1`,
      [teamId]
    )
    await client.query(
      `INSERT INTO messages (conversation_id, direction, author_kind, body, created_at, updated_at)
       SELECT c.id, 'inbound', 'contact', 'Hello, I need help with my order number ' || c.id || ' please',
              c.last_message_at - n * interval '1 minute', c.last_message_at - n * interval '1 minute'
       FROM conversations c, generate_series(0, 2) n`
    )
  } finally {
    await client.end()
  }
}

/** LCP of /admin/conversations for a signed-in admin, each run in a fresh context (cold cache). */
async function inboxLcp(port: number): Promise<number> {
  const browser = await launchChromium()
  cleanups.push(() => browser.close())
  const base = `http://127.0.0.1:${port}/admin`
  const samples: number[] = []
  for (let run = 0; run <= RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${base}/login`)
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((u) => !u.pathname.endsWith('/login'))
    // A new document load of the inbox, as when an operator opens it from a bookmark.
    const inbox = await context.newPage()
    await inbox.goto(`${base}/conversations`)
    await inbox.locator('.ant-table-row').first().waitFor({ timeout: 30_000 })
    const lcp = await inbox.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries()
            resolve(entries[entries.length - 1].startTime)
            // Node's typings list only Node's entry types; this runs in the browser.
          }).observe({ type: 'largest-contentful-paint' as 'mark', buffered: true })
        })
    )
    // The first run warms the server (route compilation, pools); it is not counted.
    if (run > 0) samples.push(lcp)
    await context.close()
  }
  samples.sort((a, b) => a - b)
  log(`  inbox LCP samples (ms): ${samples.map((s) => Math.round(s)).join(', ')}`)
  return Math.round(percentile(samples, 50))
}

async function main() {
  const built = await timed('panel build', build)
  const sizes = await weights(built.dir)

  const { url } = await scratchDatabase()
  const env = appEnvFor(url, {
    NODE_ENV: 'development',
    RUN_WORKER: 'false',
    RUN_SCHEDULER: 'false',
  })
  await timed('migrations', () => runNode(['ace.js', 'migration:run', '--force'], env))
  await timed('setup', () =>
    runNode(['ace.js', 'switchboard:setup'], {
      ...env,
      ADMIN_EMAIL: EMAIL,
      ADMIN_PASSWORD: PASSWORD,
      SEED_DEMO: 'false',
    })
  )
  await timed(`${CONVERSATIONS} conversations`, () => seedInbox(url))
  const { agent, send } = httpClient({ maxSockets: 4, timeoutMs: 30_000 })
  cleanups.push(() => agent.destroy())
  const { port } = await startServer(env, send)
  const inboxLcpMs = await timed('inbox LCP', () => inboxLcp(port))

  let reports: number | null = null
  if (!process.argv.includes('--skip-reports')) {
    const { measureReports } = await import('./panel_reports.js')
    const measured = await measureReports()
    reports = measured.reports_p95_ms
  }
  console.log(
    JSON.stringify({
      ...sizes,
      build_s: built.seconds,
      inbox_lcp_ms: inboxLcpMs,
      reports_p95_ms: reports,
    })
  )
}

await runBenchmark(main, { destroy() {} })
