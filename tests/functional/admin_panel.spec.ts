import { readdir, readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`
const get = (path: string) => fetch(base() + path, { redirect: 'manual' })

test.group('Admin panel serving', () => {
  test('/admin answers the panel with its own CSP and a CSRF cookie for the session', async ({
    assert,
  }) => {
    const response = await get('/admin/')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type')!, /^text\/html/)
    const body = await response.text()
    assert.include(body, '<div id="root"></div>')
    const csp = response.headers.get('content-security-policy')!
    assert.include(csp, "script-src 'self'")
    assert.include(csp, "frame-ancestors 'none'")
    assert.notInclude(csp, "script-src 'self' 'unsafe-inline'")
    const cookies = response.headers.getSetCookie().join('\n')
    assert.match(cookies, /XSRF-TOKEN=/)
  })

  test("the panel's own routes fall back to index.html; / goes to the panel", async ({
    assert,
  }) => {
    for (const path of ['/admin', '/admin/conversations/12', '/admin/rules/3/edit']) {
      const response = await get(path)
      assert.equal(response.status, 200, path)
      assert.include(await response.text(), '<div id="root"></div>', path)
    }
    const root = await get('/')
    assert.equal(root.status, 302)
    assert.equal(root.headers.get('location'), '/admin/')
  })

  test('hashed assets are served for good and without a session; a missing one is a 404', async ({
    assert,
  }) => {
    const assets = await readdir(app.makePath('admin', 'dist', 'assets'))
    const script = assets.find((name) => name.endsWith('.js'))!
    const response = await get(`/admin/assets/${script}`)
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type')!, /javascript/)
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.lengthOf(response.headers.getSetCookie(), 0)
    const built = await readFile(app.makePath('admin', 'dist', 'assets', script), 'utf8')
    assert.equal(await response.text(), built)

    const missing = await get('/admin/assets/nope-123.js')
    assert.equal(missing.status, 404)
    assert.match(missing.headers.get('content-type')!, /json/)
  })

  test('no path under /admin reads a file outside the build', async ({ assert }) => {
    for (const path of [
      '/admin/..%2f..%2fpackage.json',
      '/admin/%2e%2e/%2e%2e/package.json',
      '/admin/assets/..%2f..%2f..%2f.env.example',
    ]) {
      const response = await get(path)
      const body = await response.text()
      assert.notInclude(body, '"name": "switchboard"', path)
      assert.notInclude(body, 'APP_KEY', path)
    }
  })

  test('an /api path never answers HTML, not even an unknown one', async ({ assert }) => {
    for (const path of ['/api/v1/nope', '/api/v1/admin', '/api/v1/conversations']) {
      const response = await fetch(base() + path, { headers: { accept: 'text/html' } })
      assert.match(response.headers.get('content-type')!, /application\/json/, path)
      assert.notInclude(await response.text(), '<html', path)
    }
  })
})
