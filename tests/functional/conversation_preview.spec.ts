import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Message from '#models/message'
import clock from '#services/clock'
import { makeConversation, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

type Item = { id: number; lastMessage: Record<string, unknown> | null }

test.group('Conversations: the last-message preview in the list', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('is the newest message that is not a note nor deleted, cut to 200 characters', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('operator', [team]))
    const conversation = await makeConversation(team, {}, { messages: ['Hello there'] })
    const long = 'x'.repeat(250)
    const answer = await Message.create({
      conversationId: conversation.id,
      direction: 'outbound',
      authorKind: 'bot',
      kind: 'text',
      body: long,
      attachments: [{ kind: 'photo', url: 'https://example.com/a.png' }],
      metadata: {},
      deliveryStatus: 'sent',
    })
    await Message.create({
      conversationId: conversation.id,
      direction: 'internal',
      authorKind: 'operator',
      kind: 'note',
      body: 'Secret note',
      attachments: [],
      metadata: {},
    })
    await Message.create({
      conversationId: conversation.id,
      direction: 'inbound',
      authorKind: 'contact',
      kind: 'text',
      body: 'Taken back',
      attachments: [],
      metadata: {},
      deletedAt: clock.now(),
    })
    const empty = await makeConversation(team)

    const response = await client.get('/api/v1/conversations').bearerToken(token)
    response.assertStatus(200)
    const items = response.body().data as Item[]
    const item = items.find((c) => c.id === conversation.id)!
    assert.deepInclude(item.lastMessage, {
      id: answer.id,
      direction: 'outbound',
      authorKind: 'bot',
      kind: 'text',
      body: 'x'.repeat(200),
      attachmentCount: 1,
      deliveryStatus: 'sent',
    })
    assert.isString(item.lastMessage!.createdAt)
    assert.isNull(items.find((c) => c.id === empty.id)!.lastMessage)
  })

  test('never shows another team its conversations, nor anonymous callers anything', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const other = await makeTeam()
    await makeConversation(team, {}, { messages: ['Private words'] })
    const visitor = await makeUser('supervisor', [other])
    const operator = await makeUser('operator', [other])

    const anonymous = await client.get('/api/v1/conversations')
    anonymous.assertStatus(401)

    for (const user of [visitor, operator]) {
      const token = await tokenFor(user)
      const all = await client.get('/api/v1/conversations').bearerToken(token)
      all.assertStatus(200)
      assert.lengthOf(all.body().data, 0)
      assert.notInclude(all.text(), 'Private words')
      const named = await client
        .get('/api/v1/conversations')
        .qs({ teamId: team.id })
        .bearerToken(token)
      assert.lengthOf(named.body().data ?? [], 0)
      assert.notInclude(named.text(), 'Private words')
    }
  })
})
