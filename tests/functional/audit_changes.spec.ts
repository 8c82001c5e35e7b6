import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

test.group('Audit log: changes to channels and rules', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('creating, changing, stopping and deleting a channel or a rule is logged, secrets never', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const admin = await makeUser('admin')
    const token = await tokenFor(admin)
    const channel = (
      await client
        .post('/api/v1/channels')
        .bearerToken(token)
        .json({
          platform: 'api',
          name: 'App',
          teamId: team.id,
          config: { webhookUrl: 'https://hooks.example.com/in' },
        })
    ).body().data
    ;(
      await client
        .patch(`/api/v1/channels/${channel.id}`)
        .bearerToken(token)
        .json({ name: 'App 2', config: { webhookUrl: 'https://hooks.example.com/secret-path' } })
    ).assertStatus(200)
    ;(await client.post(`/api/v1/channels/${channel.id}/stop`).bearerToken(token)).assertStatus(200)
    ;(await client.delete(`/api/v1/channels/${channel.id}`).bearerToken(token)).assertStatus(204)

    const rule = (
      await client
        .post('/api/v1/rules')
        .bearerToken(token)
        .json({
          teamId: team.id,
          name: 'Prices',
          trigger: { type: 'message.received' },
          conditions: { all: [{ field: 'message.text', operator: 'contains', value: 'price' }] },
          actions: [{ type: 'send_message', text: 'Our prices: example.com/pricing' }],
        })
    ).body().data
    ;(await client.post(`/api/v1/rules/${rule.id}/disable`).bearerToken(token)).assertStatus(200)
    ;(await client.delete(`/api/v1/rules/${rule.id}`).bearerToken(token)).assertStatus(204)

    const log = (await client.get('/api/v1/audit-logs?perPage=100').bearerToken(token)).body().data
    const entries = log.map((e: any) => `${e.action} ${e.subjectType}:${e.subjectId}`)
    for (const expected of [
      `channel.created channel:${channel.id}`,
      `channel.updated channel:${channel.id}`,
      `channel.stopped channel:${channel.id}`,
      `channel.deleted channel:${channel.id}`,
      `rule.created rule:${rule.id}`,
      `rule.disabled rule:${rule.id}`,
      `rule.deleted rule:${rule.id}`,
    ]) {
      assert.include(entries, expected)
    }
    const update = log.find((e: any) => e.action === 'channel.updated')
    assert.deepEqual(update.data.config, ['webhookUrl'])
    assert.equal(update.actorId ?? update.actor?.id, admin.id)
    assert.notInclude(JSON.stringify(log), 'secret-path')
    assert.notInclude(JSON.stringify(log), channel.secrets.inboundKey)
  })
})
