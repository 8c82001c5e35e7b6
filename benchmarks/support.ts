/*
| What the benchmarks share: a scratch database, the app's own entrypoints as
| child processes, a keep-alive HTTP client, CPU accounting from /proc,
| percentiles and customer-like message text. Progress goes to stderr;
| stdout is kept for the JSON results.
*/
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { chmod, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { freePort, startEmbedded, type Embedded } from '../database/embedded_postgres.js'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`)
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const round = (value: number, digits = 2) => Number(value.toFixed(digits))

export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work()
  log(`  ${label}: ${seconds(performance.now() - started)}`)
  return result
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/* ------------------------------------------------------------------------ */
/* Message text                                                             */

/**
 * Message vocabulary, roughly by frequency. Neither "order" nor
 * "chargeback" is in it: the conversation-list benchmark sets their
 * frequencies explicitly.
 */
const VOCABULARY = (
  'the i you to a it is my and for on have can not this please with your we be was that ' +
  'hello hi thanks thank help need get me but do at in of what how when why just still no yes ' +
  'account payment card package delivery app problem issue error working update support ' +
  'today yesterday tomorrow again already now soon later week month time minute hour ' +
  'email phone number address password login reset code link page screen button settings ' +
  'subscription plan price invoice receipt charge charged refund cancel return replace ' +
  'tracking shipped arrived missing damaged wrong size color item product store website ' +
  'android iphone browser chrome safari windows mac version install download upload file ' +
  'photo document attached sent received waiting checked tried restart logout verify ' +
  'confirm change changed new old first last every other same different sure sorry ' +
  'great good bad slow fast broken fixed works work seems looks appears shows says ' +
  'customer team agent manager colleague company business personal family friend ' +
  'monday tuesday wednesday thursday friday weekend morning evening night ' +
  'euro dollar discount coupon voucher gift free trial premium basic pro annual monthly ' +
  'understand explain know think want would could should may might will shall ' +
  'let us see look find found lost forgot remember open closed pending urgent asap ' +
  'bank transfer paypal declined approved balance credit debit statement tax vat ' +
  'notification message chat call callback contact reply answer response ticket case ' +
  'feature request suggestion feedback review rating star love hate disappointed happy ' +
  'sync backup restore export import integration webhook token key permission access ' +
  'delete remove add create edit save submit load loading crash freeze timeout server ' +
  'country city street zip postal courier warehouse pickup locker store branch office'
).split(' ')

/** Deterministic PRNG (mulberry32): the same run draws the same data. */
export function prng(initial: number) {
  let a = initial >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Sentence fragments of 3–8 words drawn from VOCABULARY with a Zipf-like
 * skew; a message body joins two of them.
 */
export function fragments(count: number): string[] {
  const random = prng(20240601)
  const weights = VOCABULARY.map((_, rank) => 1 / (rank + 1) ** 0.8)
  const sum = weights.reduce((a, b) => a + b, 0)
  const cumulative: number[] = []
  let acc = 0
  for (const w of weights) cumulative.push((acc += w / sum))
  const word = () => {
    const r = random()
    let lo = 0
    let hi = cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] < r) lo = mid + 1
      else hi = mid
    }
    return VOCABULARY[lo]
  }
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const length = 3 + Math.floor(random() * 6)
    const words = Array.from({ length }, word)
    words[0] = words[0][0].toUpperCase() + words[0].slice(1)
    out.push(words.join(' ') + (random() < 0.2 ? '?' : '.'))
  }
  return out
}

/* ------------------------------------------------------------------------ */
/* Processes and cleanup                                                    */

/** Steps undone at the end (or on Ctrl-C), newest first. */
export const cleanups: Array<() => Promise<unknown> | unknown> = []
let cleaning: Promise<void> | undefined

/** Runs the registered cleanups once, newest first. */
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step()
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`)
      }
    }
  })()
  return cleaning
}

/**
 * On SIGINT/SIGTERM: clean up, then exit with the code `exitCode` gives at
 * that moment (130 unless a signal is the expected way out).
 */
export function cleanUpOnSignals(exitCode: () => number = () => 130) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`)
      void cleanup().finally(() => process.exit(exitCode()))
    })
  }
}

export function nodeArgs(args: string[]) {
  return ['--import', '@poppinss/ts-exec', ...args]
}

/** Runs a node entrypoint of the app to completion; its output goes to stderr. */
export function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs(args), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 2, 2],
    })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${args.slice(0, 2).join(' ')} exited with ${code ?? signal}`))
    )
  })
}

/** Starts a long-running node entrypoint of the app (stopped by the cleanups); output to stderr. */
export function startNode(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, nodeArgs(args), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 2, 2],
  })
  cleanups.push(() => stopChild(child))
  return child
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/* ------------------------------------------------------------------------ */
/* CPU accounting (Linux /proc)                                             */

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat, 100 on Linux. */
const TICK_MS = 10

/** [user + system CPU ms, parent pid] of a process, or null once it is gone. */
async function procStat(pid: number): Promise<[number, number] | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return [(Number(fields[11]) + Number(fields[12])) * TICK_MS, Number(fields[1])]
  } catch {
    return null
  }
}

/** CPU ms used so far, per process name; null where it cannot be read. */
export type CpuSample = Record<string, number | null>

/**
 * CPU used so far by the app's processes (by name: the server, a worker…),
 * by the embedded PostgreSQL (postmaster and its children: backends, WAL
 * writer, autovacuum…) and by this script (`bench`).
 */
export class CpuMeter {
  constructor(
    private processes: Record<string, number | undefined>,
    private postmaster: number | null
  ) {}

  async sample(): Promise<CpuSample> {
    const sample: CpuSample = {}
    for (const [name, pid] of Object.entries(this.processes)) {
      const stat = pid ? await procStat(pid) : null
      sample[name] = stat ? stat[0] : null
    }
    sample.postgres = null
    if (this.postmaster !== null) {
      let postgres = 0
      for (const entry of await readdir('/proc').catch(() => [])) {
        if (!/^\d+$/.test(entry)) continue
        const stat = await procStat(Number(entry))
        if (stat && (Number(entry) === this.postmaster || stat[1] === this.postmaster)) {
          postgres += stat[0]
        }
      }
      sample.postgres = postgres
    }
    const own = process.cpuUsage()
    sample.bench = (own.user + own.system) / 1000
    return sample
  }

  /** CPU ms per request (or message) between two samples, per process name. */
  static perRequest(before: CpuSample, after: CpuSample, requests: number) {
    const out: Record<string, number | null> = {}
    for (const name of Object.keys(after)) {
      const a = before[name] ?? null
      const b = after[name]
      out[name] = a === null || b === null || !requests ? null : round((b - a) / requests)
    }
    return out
  }
}

export function formatCpu(cpu: ReturnType<typeof CpuMeter.perRequest> | null) {
  if (!cpu) return 'n/a'
  const parts = Object.entries(cpu).map(([name, ms]) => `${name} ${ms === null ? '?' : ms}`)
  return `${parts.join(' + ')} ms`
}

/** The postmaster's pid, from the first line of postmaster.pid in the data directory. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    const lines = await readFile(join(dataDir, 'postmaster.pid'), 'utf8')
    const pid = Number(lines.split('\n')[0])
    return (await procStat(pid)) ? pid : null
  } catch {
    return null
  }
}

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`)
  }
}

export interface Reply {
  status: number
  body: string
}

export interface SendOptions {
  token?: string
  json?: unknown
  /** A body already serialised as JSON (saves the client's CPU under load). */
  body?: string
  headers?: Record<string, string>
  keepBody?: boolean
}

export type Send = (
  port: number,
  method: string,
  path: string,
  options?: SendOptions
) => Promise<Reply>

/**
 * Keep-alive requests to the server on 127.0.0.1. A request unanswered
 * after `timeoutMs` fails with a TimeoutError. Destroy the agent when done.
 */
export function httpClient(options: { maxSockets: number; timeoutMs: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets })
  const send: Send = (port, method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const payload = opts.body ?? (opts.json === undefined ? undefined : JSON.stringify(opts.json))
      const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
      if (opts.token) headers.authorization = `Bearer ${opts.token}`
      if (payload !== undefined) {
        headers['content-type'] = 'application/json'
        headers['content-length'] = String(Buffer.byteLength(payload))
      }
      const req = http.request(
        { host: '127.0.0.1', port, method, path, headers, agent, timeout: options.timeoutMs },
        (res) => {
          const chunks: Buffer[] = []
          if (opts.keepBody) res.on('data', (chunk: Buffer) => chunks.push(chunk))
          else res.resume()
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })
          )
          res.on('error', reject)
        }
      )
      req.on('timeout', () => req.destroy(new TimeoutError(options.timeoutMs)))
      req.on('error', reject)
      req.end(payload)
    })
  return { agent, send }
}

export async function waitForHealth(send: Send, port: number, server: ChildProcess) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`)
    try {
      const reply = await send(port, 'GET', '/health')
      if (reply.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error('server not healthy within 60 s')
}

/**
 * The production HTTP server (bin/server.ts) on a free port of 127.0.0.1,
 * once /health answers; the cleanups stop it.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
  send: Send
): Promise<{ server: ChildProcess; port: number }> {
  const port = await freePort()
  const server = startNode(['bin/server.ts'], { ...env, HOST: '127.0.0.1', PORT: String(port) })
  await timed(`server up on port ${port}`, () => waitForHealth(send, port, server))
  return { server, port }
}

/* ------------------------------------------------------------------------ */
/* Database                                                                 */

export async function resetSchema(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE')
    await client.query('CREATE SCHEMA public')
  } finally {
    await client.end()
  }
}

/**
 * BENCH_DATABASE_URL with its `public` schema dropped and recreated, or a
 * throwaway embedded PostgreSQL in a temporary directory (removed at the
 * end; `dataDir` is set, so its processes can be metered). A throwaway
 * cluster skips fsync and waits for no commit unless `durable` is asked:
 * then it runs with PostgreSQL's defaults, as `npm start` does.
 */
export async function scratchDatabase(
  options: { durable?: boolean } = {}
): Promise<{ url: string; dataDir?: string }> {
  const url = process.env.BENCH_DATABASE_URL
  if (url) {
    log('BENCH_DATABASE_URL: dropping and recreating its public schema')
    await resetSchema(url)
    return { url }
  }
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  // On Ctrl-C, embedded-postgres stops its cluster and exits on its own, maybe before the
  // cleanups are through: the directory goes at exit in any case.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  // As root, PostgreSQL runs as `postgres`, which must reach the data directory.
  await chmod(dir, 0o755)
  const dataDir = join(dir, 'data')
  // A "persistent" cluster is the durable one; this one is deleted with `dir` all the same.
  const embedded: Embedded = await timed('embedded PostgreSQL started', () =>
    startEmbedded(dataDir, options.durable === true)
  )
  cleanups.push(() => embedded.stop())
  return { url: embedded.url, dataDir }
}

/** Runs a benchmark's main: exit code 1 on failure, and the clean-ups run either way. */
export async function runBenchmark(main: () => Promise<void>, agent: { destroy(): void }) {
  try {
    await main()
    process.exitCode = 0
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`)
    process.exitCode = 1
  } finally {
    agent.destroy()
    await cleanup()
  }
}

/** The environment the server, the worker and ace run with in a benchmark. */
export function appEnvFor(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    APP_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    ...extra,
  }
}

/** `--name=N` from the command line, a positive integer, else `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  if (!raw) return fallback
  const value = Number(raw.slice(name.length + 3))
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`)
  return value
}
