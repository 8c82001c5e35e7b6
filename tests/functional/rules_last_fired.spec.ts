/*
| GET /api/v1/rules says when each rule last fired (the panel's list shows
| it): null until it fires, then the time of its newest `fired` execution;
| a miss does not count. Members of the team read it; another team's
| supervisor gets a 404 for the team and never sees its rules.
*/
import { test } from '@japa/runner'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { addRule, customerSays, rulesDesk } from '#tests/support/rules_desk'

type Json = Record<string, any>

test.group('Rules: last fired', () => {
  test('null until the rule fires, then when it last fired; misses do not count', async ({
    client,
    assert,
  }) => {
    ;(await client.get('/api/v1/rules')).assertStatus(401)
    const desk = await rulesDesk()
    const operator = await tokenFor(await makeUser('operator', [desk.team]))
    const rule = await addRule(desk, {
      name: 'Refund keyword',
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'message.text', operator: 'contains', value: 'refund' }] },
      actions: [{ type: 'add_tags', tags: ['refund'] }],
    })
    const listed = async () => {
      const response = await client
        .get('/api/v1/rules')
        .bearerToken(operator)
        .qs({ teamId: desk.team.id })
      response.assertStatus(200)
      return response.body().data.find((r: Json) => r.id === rule.id)
    }

    assert.property(await listed(), 'lastFiredAt')
    assert.isNull((await listed()).lastFiredAt)

    await customerSays(desk, 'Hello there')
    assert.isNull((await listed()).lastFiredAt, 'a miss is not a firing')

    const before = Date.now()
    await customerSays(desk, 'I would like a refund')
    const firedAt = (await listed()).lastFiredAt
    assert.isString(firedAt)
    assert.isAtLeast(Date.parse(firedAt), before - 1000)

    // Other rules of the team that never fired stay null.
    const response = await client
      .get('/api/v1/rules')
      .bearerToken(desk.token)
      .qs({ teamId: desk.team.id })
    const welcome = response.body().data.find((r: Json) => r.builtin === 'welcome')
    assert.isNull(welcome.lastFiredAt)
  })

  test("another team's supervisor gets a 404 for the team and none of its rules", async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const other = await makeTeam('Elsewhere')
    const outsider = await tokenFor(await makeUser('supervisor', [other]))
    const denied = await client
      .get('/api/v1/rules')
      .bearerToken(outsider)
      .qs({ teamId: desk.team.id })
    denied.assertStatus(404)
    const own = await client.get('/api/v1/rules').bearerToken(outsider)
    own.assertStatus(200)
    assert.isTrue(own.body().data.every((r: Json) => r.teamId === other.id))
    assert.isTrue(own.body().data.every((r: Json) => 'lastFiredAt' in r))
  })
})
