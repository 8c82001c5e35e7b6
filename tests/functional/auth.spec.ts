import { DateTime } from 'luxon'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { PASSWORD, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { Browser } from '#tests/support/browser'
import clock from '#services/clock'

test.group('Auth: session login', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('logs in with email and password and sets an HttpOnly, SameSite=Lax session cookie', async ({
    assert,
  }) => {
    const user = await makeUser('operator')
    const response = await new Browser().post('/api/v1/auth/login', {
      email: user.email.toUpperCase(),
      password: PASSWORD,
    })
    assert.equal(response.status, 200)
    assert.equal(response.body.data.email, user.email)
    assert.notProperty(response.body.data, 'password')
    const session = response.setCookies.find((c) => c.startsWith('switchboard-session='))
    assert.exists(session)
    assert.match(session!, /HttpOnly/i)
    assert.match(session!, /SameSite=Lax/i)
    // Security headers from shield.
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  })

  test('a wrong password is a 401 and is written to the audit log with ip and user agent', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('operator')
    const response = await client
      .post('/api/v1/auth/login')
      .header('user-agent', 'japa-test')
      .json({ email: user.email, password: 'wrong password' })
    response.assertStatus(401)
    assert.equal(response.body().errors[0].rule, 'credentials')
    const row = await AuditLog.query()
      .where({ action: 'auth.login_failed', actor_id: user.id })
      .firstOrFail()
    assert.equal(row.userAgent, 'japa-test')
    assert.isString(row.ip)
  })

  test('five failures for one email and IP in 15 minutes throttle the next attempt with 429 and Retry-After', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('operator')
    for (let i = 0; i < 5; i++) {
      const r = await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: `nope-${i}` })
      r.assertStatus(401)
    }
    // Even the right password is refused while blocked.
    const blocked = await client
      .post('/api/v1/auth/login')
      .json({ email: user.email, password: PASSWORD })
    blocked.assertStatus(429)
    assert.isAbove(Number(blocked.header('retry-after')), 0)
    assert.isAtMost(Number(blocked.header('retry-after')), 15 * 60)
    // Tokens are throttled under the same key.
    const token = await client
      .post('/api/v1/auth/tokens')
      .json({ email: user.email, password: PASSWORD, name: 'x' })
    token.assertStatus(429)
    // Another account from the same IP is unaffected.
    const other = await makeUser('operator')
    const ok = await client
      .post('/api/v1/auth/login')
      .json({ email: other.email, password: PASSWORD })
    ok.assertStatus(200)
  })

  test('a disabled user cannot log in', async ({ client }) => {
    const user = await makeUser('operator', [], { disabledAt: DateTime.now() })
    const response = await client
      .post('/api/v1/auth/login')
      .json({ email: user.email, password: PASSWORD })
    response.assertStatus(403)
  })

  test('logout destroys the session: replaying the old cookie is a 401', async ({ assert }) => {
    const user = await makeUser('operator')
    const browser = new Browser()
    ;(await browser.post('/api/v1/auth/login', { email: user.email, password: PASSWORD }))
      .status === 200 || assert.fail('login failed')
    const me = await browser.get('/api/v1/me')
    assert.equal(me.status, 200)
    assert.equal(me.body.data.id, user.id)
    const stolen = new Map(browser.cookies)

    assert.equal((await browser.post('/api/v1/auth/logout', {}, { csrf: true })).status, 204)

    const replay = new Browser()
    stolen.forEach((v, k) => replay.cookies.set(k, v))
    assert.equal((await replay.get('/api/v1/me')).status, 401)
  })

  test('login history lists the caller’s successful and failed logins', async ({
    client,
    assert,
  }) => {
    const user = await makeUser('operator')
    await client.post('/api/v1/auth/login').json({ email: user.email, password: 'bad password' })
    await client.post('/api/v1/auth/login').json({ email: user.email, password: PASSWORD })
    const response = await client.get('/api/v1/me/logins').bearerToken(await tokenFor(user))
    response.assertStatus(200)
    const results = response.body().data.map((r: { data: { result: string } }) => r.data.result)
    assert.deepEqual(results, ['ok', 'invalid_credentials'])
    assert.equal(response.body().meta.total, 2)
  })
})

test.group('Auth: CSRF on cookie-authenticated writes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a cookie-authenticated write without the CSRF token is a 403 and changes nothing', async ({
    assert,
  }) => {
    const admin = await makeUser('admin')
    const browser = new Browser()
    assert.equal(
      (await browser.post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })).status,
      200
    )
    const response = await browser.post('/api/v1/teams', { name: 'No CSRF' })
    assert.equal(response.status, 403)
    assert.equal(response.body.errors[0].rule, 'csrf')
    const list = await browser.get('/api/v1/teams?q=No%20CSRF')
    assert.equal(list.status, 200)
    assert.equal(list.body.meta.total, 0)
  })

  test('a session user manages their tokens from the panel', async ({ assert }) => {
    const user = await makeUser('operator')
    const browser = new Browser()
    await browser.post('/api/v1/auth/login', { email: user.email, password: PASSWORD })
    const created = await browser.post('/api/v1/auth/tokens', {
      email: user.email,
      password: PASSWORD,
      name: 'laptop',
    })
    assert.equal(created.status, 201)
    const listed = await browser.get('/api/v1/auth/tokens')
    assert.equal(listed.status, 200)
    assert.deepEqual(
      listed.body.data.map((t: { name: string }) => t.name),
      ['laptop']
    )
    const revoked = await browser.request(
      'DELETE',
      `/api/v1/auth/tokens/${created.body.data.id}`,
      undefined,
      { csrf: true }
    )
    assert.equal(revoked.status, 204)
  })

  test('the same write echoing the XSRF-TOKEN cookie in X-XSRF-TOKEN succeeds', async ({
    assert,
  }) => {
    const admin = await makeUser('admin')
    const browser = new Browser()
    await browser.post('/api/v1/auth/login', { email: admin.email, password: PASSWORD })
    const response = await browser.post('/api/v1/teams', { name: 'With CSRF' }, { csrf: true })
    assert.equal(response.status, 201)
    assert.equal(response.body.data.name, 'With CSRF')
  })
})

test.group('Auth: bearer tokens', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('POST /auth/tokens trades credentials for a token that needs no CSRF token', async ({
    client,
    assert,
  }) => {
    const admin = await makeUser('admin')
    const created = await client
      .post('/api/v1/auth/tokens')
      .json({ email: admin.email, password: PASSWORD, name: 'ci' })
    created.assertStatus(201)
    const { token, id } = created.body().data
    assert.match(token, /^sb_/)
    const write = await client.post('/api/v1/teams').bearerToken(token).json({ name: 'Via token' })
    write.assertStatus(201)
    const listed = await client.get('/api/v1/auth/tokens').bearerToken(token)
    assert.deepInclude(
      listed.body().data.map((t: { id: number; name: string }) => ({ id: t.id, name: t.name })),
      { id, name: 'ci' }
    )
    assert.notProperty(listed.body().data[0], 'token')
  })

  test('bearer requests and health probes leave no session behind', async ({ client, assert }) => {
    const token = await tokenFor(await makeUser('operator'))
    const before = await db.from('sessions').count('* as n').first()
    const response = await client.get('/api/v1/me').bearerToken(token)
    response.assertStatus(200)
    assert.notExists(response.header('set-cookie'))
    assert.equal(response.header('x-frame-options'), 'DENY')
    ;(await client.get('/health')).assertStatus(200)
    const after = await db.from('sessions').count('* as n').first()
    assert.equal(Number(after.n), Number(before.n))
  })

  test('a token records when it was last used, at most once a minute; a forged secret touches nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(() => clock.reset())
    const user = await makeUser('operator')
    const token = await tokenFor(user)
    const lastUsed = async () => {
      const row = await db.from('auth_access_tokens').where('tokenable_id', user.id).firstOrFail()
      return row.last_used_at ? new Date(row.last_used_at).getTime() : null
    }
    const forged = token.replace(/.{4}$/, 'AAAA')
    ;(await client.get('/api/v1/me').bearerToken(forged)).assertStatus(401)
    assert.isNull(await lastUsed())

    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    const first = await lastUsed()
    assert.isNotNull(first)
    clock.travel(30_000)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    assert.equal(await lastUsed(), first)
    clock.travel(31_000)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    assert.isAbove((await lastUsed())!, first!)
  })

  test('a revoked token is refused at once with 401', async ({ client }) => {
    const user = await makeUser('operator')
    const created = await client
      .post('/api/v1/auth/tokens')
      .json({ email: user.email, password: PASSWORD, name: 'tmp' })
    const { token, id } = created.body().data
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    ;(await client.delete(`/api/v1/auth/tokens/${id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(401)
  })

  test("another user's token cannot be revoked: 404", async ({ client }) => {
    const a = await makeUser('admin')
    const b = await makeUser('operator')
    const created = await client
      .post('/api/v1/auth/tokens')
      .json({ email: b.email, password: PASSWORD, name: 'b' })
    const response = await client
      .delete(`/api/v1/auth/tokens/${created.body().data.id}`)
      .bearerToken(await tokenFor(a))
    response.assertStatus(404)
    ;(await client.get('/api/v1/me').bearerToken(created.body().data.token)).assertStatus(200)
  })

  test('a garbage token is a 401, not a 500', async ({ client }) => {
    ;(await client.get('/api/v1/me').bearerToken('sb_not.a-token')).assertStatus(401)
    ;(await client.get('/api/v1/me').header('authorization', 'Bearer ')).assertStatus(401)
  })

  test('disabling a user locks them out at once, whatever credential they hold', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const admin = await makeUser('admin')
    const operator = await makeUser('operator', [team])
    const token = await tokenFor(operator)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(200)
    const disable = await client
      .patch(`/api/v1/users/${operator.id}`)
      .bearerToken(await tokenFor(admin))
      .json({ disabled: true })
    disable.assertStatus(200)
    assert.isTrue(disable.body().data.disabled)
    ;(await client.get('/api/v1/me').bearerToken(token)).assertStatus(401)
  })
})
