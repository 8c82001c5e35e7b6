/*
| `npm start` and `npm test` land here. The launcher provides a database
| (the one named by DATABASE_URL / TEST_DATABASE_URL, or an embedded
| PostgreSQL when none is named), then runs the real entrypoints as child
| processes and stops the embedded server cleanly when they exit.
|
|   start  the panel's build when stale, migrations, first-start seed, then
|          the HTTP server (bin/server.ts)
|   test   the panel's build when stale, then the Japa runner (bin/test.ts)
|          against a throwaway database
*/
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import {
  freePort,
  RUNNING_FILE,
  startEmbedded,
  type Embedded,
} from '../database/embedded_postgres.js'
import { ensurePanelBuild } from './panel.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const STORAGE = join(ROOT, 'storage')
const [mode = 'start', ...passThrough] = process.argv.slice(2)

/** Values from .env count as set, without overriding the real environment. */
async function dotenv(): Promise<Record<string, string | undefined>> {
  const file = join(ROOT, '.env')
  if (!existsSync(file)) return {}
  return parseEnv(await readFile(file, 'utf8'))
}

/** Run a node entrypoint with the TypeScript hook; resolves with its exit code. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', ...args], {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    })
    const forward = (signal: NodeJS.Signals) => child.kill(signal)
    process.on('SIGINT', forward)
    process.on('SIGTERM', forward)
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward)
      process.off('SIGTERM', forward)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

/** A stable APP_KEY for the embedded install, generated on first start. */
async function appKey(file: string): Promise<string> {
  if (existsSync(file)) {
    const stored = await readFile(file, 'utf8')
    return stored.trim()
  }
  const key = randomBytes(32).toString('base64url')
  await writeFile(file, key + '\n', { mode: 0o600 })
  return key
}

async function main(): Promise<number> {
  const fileEnv = await dotenv()
  const setting = (name: string) => process.env[name] ?? fileEnv[name]
  const env: NodeJS.ProcessEnv = { ...process.env }
  let embedded: Embedded | undefined
  let scratch: string | undefined
  let running: string | undefined

  try {
    if (mode === 'test') {
      env.NODE_ENV = 'test'
      // The in-process test server and the API client both read these.
      env.HOST = '127.0.0.1'
      env.PORT = String(await freePort())
      // Tests serve the pages they import on 127.0.0.1.
      env.KNOWLEDGE_IMPORT_PRIVATE_URLS ??= 'true'
      // Tests run the sweeps themselves, with the clock where they put it.
      env.RUN_SCHEDULER ??= 'false'
      env.APP_KEY = setting('APP_KEY') ?? randomBytes(32).toString('base64url')
      const testUrl = setting('TEST_DATABASE_URL')
      if (testUrl) {
        env.DATABASE_URL = testUrl
      } else {
        scratch = await mkdtemp(join(tmpdir(), 'switchboard-test-'))
        await chmod(scratch, 0o755)
        embedded = await startEmbedded(join(scratch, 'data'), false)
        env.DATABASE_URL = embedded.url
      }
      // The browser tests drive the built panel.
      if (!(await ensurePanelBuild())) return 1
      return await run(['bin/test.ts', ...passThrough], env)
    }

    if (mode !== 'start') {
      console.error(`Unknown mode "${mode}". Use "start" or "test".`)
      return 2
    }

    await mkdir(STORAGE, { recursive: true })
    await ensurePanelBuild()
    env.NODE_ENV = setting('NODE_ENV') ?? 'development'
    env.APP_KEY = setting('APP_KEY') ?? (await appKey(join(STORAGE, 'app.key')))
    if (!setting('DATABASE_URL')) {
      await chmod(STORAGE, 0o755)
      console.log('DATABASE_URL is not set: starting the embedded PostgreSQL in storage/postgres')
      embedded = await startEmbedded(join(STORAGE, 'postgres'), true)
      env.DATABASE_URL = embedded.url
      running = join(STORAGE, RUNNING_FILE)
      // embedded-postgres stops the server and exits on SIGINT/SIGTERM itself, skipping `finally`.
      const file = running
      process.once('exit', () => rmSync(file, { force: true }))
      await writeFile(running, JSON.stringify({ url: embedded.url, pid: process.pid }), {
        mode: 0o600,
      })
    }

    const migrated = await run(['ace.js', 'migration:run', '--force'], env)
    if (migrated !== 0) return migrated
    const seeded = await run(['ace.js', 'switchboard:setup'], env)
    if (seeded !== 0) return seeded
    return await run(['bin/server.ts'], env)
  } finally {
    if (running) await rm(running, { force: true })
    await embedded?.stop()
    if (scratch) await rm(scratch, { recursive: true, force: true })
  }
}

const code = await main().catch((error) => {
  console.error(error)
  return 1
})
// embedded-postgres's exit hook would end the process with status 0 on
// beforeExit, hiding a failed test run: exit with ours explicitly.
process.exit(code)
