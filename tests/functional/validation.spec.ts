import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Team from '#models/team'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`

async function raw(path: string, init: RequestInit) {
  const response = await fetch(base() + path, init)
  const body = (await response.json()) as { errors: Array<{ message: string }> }
  return { status: response.status, body }
}

test.group('Bad input gets a clear 4xx and changes nothing', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('malformed JSON is a 400', async ({ assert }) => {
    const token = await tokenFor(await makeUser('admin'))
    const r = await raw('/api/v1/teams', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
      body: '{"name": "Half',
    })
    assert.equal(r.status, 400)
    assert.isString(r.body.errors[0].message)
  })

  test('wrong types are a 422 naming each field', async ({ client, assert }) => {
    const response = await client.post('/api/v1/auth/login').json({ email: 5, password: ['x'] })
    response.assertStatus(422)
    const fields = response
      .body()
      .errors.map((e: { field: string }) => e.field)
      .sort()
    assert.deepEqual(fields, ['email', 'password'])
    for (const e of response.body().errors) assert.properties(e, ['field', 'rule', 'message'])
  })

  test('a JSON array where an object is expected is a 422', async ({ client }) => {
    const token = await tokenFor(await makeUser('admin'))
    const response = await client.post('/api/v1/teams').bearerToken(token).json([1, 2, 3])
    response.assertStatus(422)
  })

  test('a body over the limit is a 413 and nothing is created', async ({ assert }) => {
    const token = await tokenFor(await makeUser('admin'))
    const r = await raw('/api/v1/teams', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
      body: JSON.stringify({ name: 'Huge', description: 'x'.repeat(2 * 1024 * 1024) }),
    })
    assert.equal(r.status, 413)
    assert.isNull(await Team.findBy('name', 'Huge'))
  })

  test('an overlong field is a 422, not a database error', async ({ client, assert }) => {
    const token = await tokenFor(await makeUser('admin'))
    const response = await client
      .post('/api/v1/teams')
      .bearerToken(token)
      .json({ name: 'n'.repeat(101) })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'name')
  })

  test('unknown routes and absurd ids are JSON 404s', async ({ client, assert }) => {
    const token = await tokenFor(await makeUser('admin'))
    const missing = await client.get('/api/v1/nothing-here').bearerToken(token)
    missing.assertStatus(404)
    assert.isArray(missing.body().errors)
    ;(await client.get('/api/v1/conversations/99999999999999').bearerToken(token)).assertStatus(404)
    ;(await client.get('/api/v1/conversations/abc').bearerToken(token)).assertStatus(404)
    ;(await client.get('/api/v1/conversations/0').bearerToken(token)).assertStatus(404)
    ;(await client.get('/api/v1/conversations/123456').bearerToken(token)).assertStatus(404)
  })

  test('query strings of the wrong type are 422s', async ({ client, assert }) => {
    const token = await tokenFor(await makeUser('admin'))
    for (const qs of [
      { page: 'two' },
      { page: -1 },
      { teamId: 'x' },
      { assigneeId: 'someone' },
      { perPage: 0 },
    ]) {
      const r = await client.get('/api/v1/conversations').qs(qs).bearerToken(token)
      r.assertStatus(422)
      assert.equal(r.body().errors[0].field, Object.keys(qs)[0])
    }
  })

  test('unauthenticated requests are 401 with the error shape', async ({ client, assert }) => {
    const response = await client.get('/api/v1/conversations')
    response.assertStatus(401)
    assert.deepEqual(Object.keys(response.body()), ['errors'])
  })

  test('fields a body may not set are ignored', async ({ client, assert }) => {
    const team = await makeTeam()
    const operator = await makeUser('operator', [team])
    const token = await tokenFor(operator)
    const response = await client
      .patch(`/api/v1/users/${operator.id}`)
      .bearerToken(token)
      .json({ fullName: 'Me', id: 999, password_hash: 'x', createdAt: '2000-01-01' })
    response.assertStatus(200)
    assert.equal(response.body().data.id, operator.id)
    assert.notEqual(response.body().data.createdAt.slice(0, 4), '2000')
  })
})
