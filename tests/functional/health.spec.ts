import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '#database/embedded_postgres'

test.group('Health', () => {
  test('GET /health is 200 with the database check ok', async ({ client, assert }) => {
    const response = await client.get('/health')
    response.assertStatus(200)
    assert.deepEqual(response.body(), { status: 'ok', checks: { database: 'ok' } })
  })

  test('a server whose database is unreachable answers /health with 503 naming the check', async ({
    assert,
    cleanup,
  }) => {
    const [dbPort, port] = [await freePort(), await freePort()]
    const server = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/nothing`,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    })
    cleanup(() => {
      server.kill('SIGKILL')
    })

    let response: Response | undefined
    for (let i = 0; i < 200 && !response; i++) {
      response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined)
      if (!response) await new Promise((r) => setTimeout(r, 100))
    }
    assert.exists(response, 'server did not start')
    assert.equal(response!.status, 503)
    const body = (await response!.json()) as { status: string; checks: { database: string } }
    assert.equal(body.status, 'error')
    assert.match(body.checks.database, /^error/)
  }).timeout(60_000)
})
