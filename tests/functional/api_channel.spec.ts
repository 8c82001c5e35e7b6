import { test } from '@japa/runner'
import { truncateNow } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import { Webhook } from 'standardwebhooks'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { startWorker, stopWorker } from '#messaging/worker'
import { until } from '#tests/support/wait'
import { Receiver } from '#tests/support/receiver'

test.group('API channel: the whole spine over HTTP', (group) => {
  const receiver = new Receiver()
  group.setup(async () => {
    await receiver.start()
    await startWorker()
    return async () => {
      await stopWorker()
      await receiver.stop()
      // Committed rows would leak into other groups; the worker is stopped now.
      await truncateNow()
    }
  })
  group.each.setup(async () => {
    receiver.requests = []
    receiver.answers = []
  })

  async function apiChannel(client: any, autoReplyText = 'Thanks, we got your message') {
    const team = await makeTeam()
    team.settings = { ...team.settings, autoReplyText }
    await team.save()
    const admin = await makeUser('admin')
    const token = await tokenFor(admin)
    const created = await client
      .post('/api/v1/channels')
      .bearerToken(token)
      .json({ platform: 'api', name: 'App', teamId: team.id, config: { webhookUrl: receiver.url } })
    created.assertStatus(201)
    return { team, token, channel: created.body().data }
  }

  test('secrets are shown once; a customer message gets one signed reply, however often it is posted', async ({
    client,
    assert,
  }) => {
    const { token, channel } = await apiChannel(client)
    const { inboundKey, webhookSecret } = channel.secrets
    assert.match(inboundKey, /^sbk_/)
    assert.match(webhookSecret, /^whsec_/)
    assert.notProperty(channel.config, 'inboundKeyHash')
    const shown = await client.get(`/api/v1/channels/${channel.id}`).bearerToken(token)
    assert.notProperty(shown.body().data, 'secrets')
    assert.deepEqual(shown.body().data.config, { webhookUrl: receiver.url })
    const stored = await db.from('channels').where('id', channel.id).first()
    assert.notInclude(stored.config_encrypted, receiver.url)

    const post = () =>
      client
        .post(`/api/v1/channels/${channel.id}/inbound`)
        .header('authorization', `Bearer ${inboundKey}`)
        .header('idempotency-key', 'evt-1')
        .json({
          contact: { externalId: 'u-1', name: 'Ana' },
          message: { id: 'm-1', text: 'Where is my order?' },
        })
    const answers = await Promise.all([post(), post(), post()])
    assert.sameMembers(
      answers.map((a) => a.status()),
      [202, 200, 200]
    )

    await until(async () => receiver.requests.length >= 1)
    // Give a duplicate time to show up if there were one.
    await new Promise((r) => setTimeout(r, 1500))
    assert.lengthOf(receiver.requests, 1)
    const { headers, body } = receiver.requests[0]
    const verified = new Webhook(webhookSecret).verify(body, {
      'webhook-id': headers['webhook-id'] as string,
      'webhook-timestamp': headers['webhook-timestamp'] as string,
      'webhook-signature': headers['webhook-signature'] as string,
    }) as any
    assert.equal(verified.type, 'message.created')
    assert.equal(verified.data.contact.externalId, 'u-1')
    assert.equal(verified.data.message.text, 'Thanks, we got your message')

    const inbound = await db
      .from('messages')
      .where({ direction: 'inbound', channel_id: channel.id })
    assert.lengthOf(inbound, 1)
    assert.equal(inbound[0].body, 'Where is my order?')
    const reply = await db
      .from('messages')
      .where({ direction: 'outbound', channel_id: channel.id })
      .firstOrFail()
    assert.equal(reply.delivery_status, 'sent')
  })

  test('a failing receiver is retried with the same webhook-id, each attempt logged', async ({
    client,
    assert,
  }) => {
    const { channel } = await apiChannel(client)
    receiver.answers = [500, 503]
    const posted = await client
      .post(`/api/v1/channels/${channel.id}/inbound`)
      .header('authorization', `Bearer ${channel.secrets.inboundKey}`)
      .header('idempotency-key', 'evt-2')
      .json({ contact: { externalId: 'u-2' }, message: { id: 'm-2', text: 'hello' } })
    posted.assertStatus(202)
    await until(async () => receiver.requests.length >= 3, 20_000)
    const ids = new Set(receiver.requests.map((r) => r.headers['webhook-id']))
    assert.equal(ids.size, 1)
    const reply = await until(async () =>
      db
        .from('messages')
        .where({ direction: 'outbound', delivery_status: 'sent', channel_id: channel.id })
        .first()
    )
    const attempts = await db.from('delivery_attempts').where('message_id', reply.id).orderBy('id')
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['retry', 'retry', 'sent']
    )
    assert.match(attempts[0].detail, /500/)
  })

  test('a wrong inbound key is a 401 and stores nothing; bad bodies name the field', async ({
    client,
    assert,
  }) => {
    const { channel } = await apiChannel(client)
    const wrong = await client
      .post(`/api/v1/channels/${channel.id}/inbound`)
      .header('authorization', 'Bearer sbk_wrong')
      .header('idempotency-key', 'evt-3')
      .json({ contact: { externalId: 'u-3' }, message: { id: 'm-3', text: 'hi' } })
    wrong.assertStatus(401)
    const noKey = await client
      .post(`/api/v1/channels/${channel.id}/inbound`)
      .header('authorization', `Bearer ${channel.secrets.inboundKey}`)
      .json({ contact: { externalId: 'u-3' }, message: { id: 'm-3', text: 'hi' } })
    noKey.assertStatus(422)
    assert.equal(noKey.body().errors[0].field, 'Idempotency-Key')
    const noText = await client
      .post(`/api/v1/channels/${channel.id}/inbound`)
      .header('authorization', `Bearer ${channel.secrets.inboundKey}`)
      .header('idempotency-key', 'evt-4')
      .json({ contact: { externalId: 'u-3' }, message: { id: 'm-3' } })
    noText.assertStatus(422)
    assert.equal(noText.body().errors[0].field, 'message.text')
    assert.lengthOf(await db.from('inbound_events').where('source_id', channel.id), 0)
    assert.lengthOf(await db.from('messages').where('channel_id', channel.id), 0)
  })

  test('an operator reply from the API reaches the customer and makes the conversation human', async ({
    client,
    assert,
  }) => {
    const { token, channel } = await apiChannel(client, '')
    const inbound = await client
      .post(`/api/v1/channels/${channel.id}/inbound`)
      .header('authorization', `Bearer ${channel.secrets.inboundKey}`)
      .header('idempotency-key', 'evt-5')
      .json({ contact: { externalId: 'u-5' }, message: { id: 'm-5', text: 'hello?' } })
    const conversationId = inbound.body().data.conversationId
    const reply = await client
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .bearerToken(token)
      .json({ text: 'Hi, I am here' })
    reply.assertStatus(201)
    await until(async () => receiver.requests.length >= 1)
    assert.equal(JSON.parse(receiver.requests[0].body).data.message.text, 'Hi, I am here')
    const conversation = await db.from('conversations').where('id', conversationId).first()
    assert.equal(conversation.owner, 'human')
  })

  test('stopping a channel refuses its traffic; starting it again accepts it', async ({
    client,
    assert,
  }) => {
    const { token, channel } = await apiChannel(client)
    const stopped = await client.post(`/api/v1/channels/${channel.id}/stop`).bearerToken(token)
    assert.equal(stopped.body().data.status, 'stopped')
    const post = (key: string) =>
      client
        .post(`/api/v1/channels/${channel.id}/inbound`)
        .header('authorization', `Bearer ${channel.secrets.inboundKey}`)
        .header('idempotency-key', key)
        .json({ contact: { externalId: 'u-6' }, message: { id: key, text: 'hi' } })
    ;(await post('a')).assertStatus(404)
    const started = await client.post(`/api/v1/channels/${channel.id}/start`).bearerToken(token)
    started.assertStatus(200)
    ;(await post('b')).assertStatus(202)
  })
})
