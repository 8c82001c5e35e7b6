import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import clock from '#services/clock'
import type Conversation from '#models/conversation'
import Tag from '#models/tag'
import { makeConversation, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

const ids = (body: { data: Array<{ id: number }> }) => body.data.map((c) => c.id)

test.group('Conversations: list, filters, search', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('pages newest activity first and reports total, page and perPage', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const admin = await makeUser('admin')
    const created: Conversation[] = []
    for (let i = 0; i < 7; i++) {
      created.push(
        await makeConversation(team, { lastMessageAt: clock.now().minus({ minutes: 10 - i }) })
      )
    }
    const token = await tokenFor(admin)
    const first = await client
      .get('/api/v1/conversations')
      .qs({ teamId: team.id, perPage: 3 })
      .bearerToken(token)
    first.assertStatus(200)
    assert.deepEqual(first.body().meta, { total: 7, page: 1, perPage: 3, totalCapped: false })
    assert.match(first.header('content-type') ?? '', /^application\/json/)
    assert.deepEqual(ids(first.body()), [created[6].id, created[5].id, created[4].id])
    const third = await client
      .get('/api/v1/conversations')
      .qs({ teamId: team.id, perPage: 3, page: 3 })
      .bearerToken(token)
    assert.deepEqual(ids(third.body()), [created[0].id])
    const asc = await client
      .get('/api/v1/conversations')
      .qs({ teamId: team.id, sort: 'lastMessageAt', perPage: 2 })
      .bearerToken(token)
    assert.deepEqual(ids(asc.body()), [created[0].id, created[1].id])
    // The contact comes along for the list.
    assert.equal(first.body().data[0].contact.name, 'Pat Customer')
  })

  test('perPage above 100 and unknown sorts are 422s naming the field', async ({
    client,
    assert,
  }) => {
    const token = await tokenFor(await makeUser('admin'))
    const big = await client.get('/api/v1/conversations').qs({ perPage: 101 }).bearerToken(token)
    big.assertStatus(422)
    assert.equal(big.body().errors[0].field, 'perPage')
    const sort = await client
      .get('/api/v1/conversations')
      .qs({ sort: 'password' })
      .bearerToken(token)
    sort.assertStatus(422)
    assert.equal(sort.body().errors[0].field, 'sort')
    const status = await client
      .get('/api/v1/conversations')
      .qs({ status: 'open,bogus' })
      .bearerToken(token)
    status.assertStatus(422)
    assert.equal(status.body().errors[0].field, 'status')
  })

  test('filters by status, owner, team, assignee, channel and tag', async ({ client, assert }) => {
    const team = await makeTeam()
    const other = await makeTeam()
    const admin = await makeUser('admin')
    const agent = await makeUser('operator', [team])
    const [channel] = await db
      .table('channels')
      .insert({ team_id: team.id, platform: 'api', name: 'App', config_encrypted: 'x' })
      .returning('id')
    const a = await makeConversation(team, { status: 'open', owner: 'bot', tags: ['billing'] })
    const b = await makeConversation(team, {
      status: 'pending',
      owner: 'human',
      assigneeId: agent.id,
      tags: ['bug', 'billing'],
    })
    const c = await makeConversation(team, {
      status: 'resolved',
      owner: 'queued',
      channelId: channel.id,
    })
    const d = await makeConversation(other, { status: 'open', owner: 'bot' })
    const token = await tokenFor(admin)
    const get = async (qs: Record<string, unknown>) => {
      const r = await client.get('/api/v1/conversations').qs(qs).bearerToken(token)
      r.assertStatus(200)
      return ids(r.body()).sort()
    }
    assert.deepEqual(await get({ teamId: team.id, status: 'open' }), [a.id])
    assert.deepEqual(await get({ teamId: team.id, status: 'open,pending' }), [a.id, b.id].sort())
    assert.deepEqual(await get({ teamId: team.id, owner: 'queued' }), [c.id])
    assert.deepEqual(await get({ teamId: other.id }), [d.id])
    assert.deepEqual(await get({ assigneeId: agent.id }), [b.id])
    assert.deepEqual(await get({ teamId: team.id, assigneeId: 'none' }), [a.id, c.id].sort())
    assert.deepEqual(await get({ channelId: channel.id }), [c.id])
    assert.deepEqual(await get({ tag: 'billing' }), [a.id, b.id].sort())
    assert.deepEqual(await get({ tag: 'BUG' }), [b.id])

    const mine = await client
      .get('/api/v1/conversations')
      .qs({ assigneeId: 'me' })
      .bearerToken(await tokenFor(agent))
    assert.deepEqual(ids(mine.body()), [b.id])
  })

  test('a comma-separated status list in a plain query string filters by each', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('operator', [team]))
    const open = await makeConversation(team, { status: 'open' })
    const pending = await makeConversation(team, { status: 'pending' })
    await makeConversation(team, { status: 'resolved' })
    const response = await fetch(
      `http://${process.env.HOST}:${process.env.PORT}/api/v1/conversations?status=open,pending&sort=id`,
      { headers: { authorization: `Bearer ${token}` } }
    )
    assert.equal(response.status, 200)
    const body = (await response.json()) as { data: Array<{ id: number }> }
    assert.deepEqual(ids(body), [open.id, pending.id])
  })

  test('a list item has the same fields as the conversation itself', async ({ client, assert }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('operator', [team]))
    const conversation = await makeConversation(team, { tags: ['x'] })
    const item = (await client.get('/api/v1/conversations').bearerToken(token)).body().data[0]
    const shown = (
      await client.get(`/api/v1/conversations/${conversation.id}`).bearerToken(token)
    ).body().data
    // Plus the inbox's preview, which only lists carry.
    assert.sameMembers(Object.keys(item), [...Object.keys(shown), 'lastMessage'])
    assert.sameMembers(
      Object.keys(item.contact),
      Object.keys(shown.contact).filter((k) => k !== 'identities')
    )
    const { lastMessage, ...listed } = item
    assert.isNull(lastMessage)
    assert.deepEqual(
      { ...listed, contact: undefined, createdAt: 0, updatedAt: 0, lastMessageAt: 0 },
      { ...shown, contact: undefined, createdAt: 0, updatedAt: 0, lastMessageAt: 0 }
    )
  })

  test('totals stop at 1,000 and say so', async ({ client, assert }) => {
    const team = await makeTeam()
    const admin = await makeUser('admin')
    const contact = await db
      .table('contacts')
      .insert({ team_id: team.id, name: 'Many' })
      .returning('id')
    await db.rawQuery(
      'INSERT INTO conversations (team_id, contact_id) SELECT ?, ? FROM generate_series(1, 1001)',
      [team.id, contact[0].id]
    )
    const response = await client
      .get('/api/v1/conversations')
      .qs({ teamId: team.id, perPage: 1 })
      .bearerToken(await tokenFor(admin))
    assert.deepEqual(response.body().meta, { total: 1000, totalCapped: true, page: 1, perPage: 1 })
    const exact = await client
      .get('/api/v1/conversations')
      .qs({ teamId: team.id, status: 'resolved' })
      .bearerToken(await tokenFor(admin))
    assert.deepEqual(exact.body().meta, { total: 0, totalCapped: false, page: 1, perPage: 25 })
  })

  test('search results come newest activity first, whether few or more than the count cap', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('operator', [team]))
    const few = []
    for (let i = 0; i < 3; i++) {
      few.push(
        await makeConversation(
          team,
          { lastMessageAt: clock.now().minus({ hours: 5 - i }) },
          { messages: ['about my invoice'] }
        )
      )
    }
    const small = await client.get('/api/v1/conversations').qs({ q: 'invoice' }).bearerToken(token)
    assert.deepEqual(ids(small.body()), few.map((c) => c.id).reverse())
    const oldestFirst = await client
      .get('/api/v1/conversations')
      .qs({ q: 'invoice', sort: 'lastMessageAt' })
      .bearerToken(token)
    assert.deepEqual(
      ids(oldestFirst.body()),
      few.map((c) => c.id)
    )

    const [contact] = await db
      .table('contacts')
      .insert({ team_id: team.id, name: 'Bulkley' })
      .returning('id')
    await db.rawQuery(
      `INSERT INTO conversations (team_id, contact_id, last_message_at)
       SELECT ?, ?, now() - make_interval(mins => g) FROM generate_series(1, 1001) g`,
      [team.id, contact.id]
    )
    const many = await client
      .get('/api/v1/conversations')
      .qs({ q: 'bulk', perPage: 5, page: 2 })
      .bearerToken(token)
    assert.deepEqual(many.body().meta, { total: 1000, totalCapped: true, page: 2, perPage: 5 })
    const times = many
      .body()
      .data.map((c: { lastMessageAt: string }) => Date.parse(c.lastMessageAt))
    assert.deepEqual(
      times,
      [...times].sort((x, y) => y - x)
    )
    assert.lengthOf(times, 5)
  })

  test('search follows new messages and contact renames', async ({ client, assert }) => {
    const team = await makeTeam()
    const operator = await makeUser('operator', [team])
    const token = await tokenFor(operator)
    const conversation = await makeConversation(
      team,
      {},
      { contactName: 'Ana Silva', messages: ['hello'] }
    )
    const q = async (text: string) =>
      ids((await client.get('/api/v1/conversations').qs({ q: text }).bearerToken(token)).body())
    assert.deepEqual(await q('invoice'), [])
    await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'Your invoice is attached' })
    assert.deepEqual(await q('invoice'), [conversation.id])
    assert.deepEqual(await q('silva'), [conversation.id])
    await client
      .patch(`/api/v1/contacts/${conversation.contactId}`)
      .bearerToken(token)
      .json({ name: 'Ana Pereira' })
    assert.deepEqual(await q('pereira'), [conversation.id])
    assert.deepEqual(await q('silva'), [])
    // The messages still count after the rebuild.
    assert.deepEqual(await q('invoice attached'), [conversation.id])
  })

  test('q searches message bodies and contact names, within the caller’s teams', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const other = await makeTeam()
    const operator = await makeUser('operator', [team])
    const refund = await makeConversation(
      team,
      {},
      {
        contactName: 'Zed Quinn',
        messages: ['I want a refund for my order', 'Mail zed@example.com'],
      }
    )
    const byName = await makeConversation(
      team,
      {},
      { contactName: 'Margarethe Okonkwo', messages: ['hello'] }
    )
    await makeConversation(team, {}, { contactName: 'Nobody', messages: ['just saying hi'] })
    await makeConversation(other, {}, { contactName: 'Hidden', messages: ['refund please'] })
    const token = await tokenFor(operator)
    const q = async (text: string) => {
      const r = await client.get('/api/v1/conversations').qs({ q: text }).bearerToken(token)
      r.assertStatus(200)
      return ids(r.body())
    }
    assert.deepEqual(await q('refund'), [refund.id])
    assert.deepEqual(await q('REFUND order'), [refund.id])
    assert.deepEqual(await q('okonkw'), [byName.id])
    assert.deepEqual(await q('"my order"'), [refund.id])
    // Tokens the word split misses (an email) are found as typed.
    assert.deepEqual(await q('zed@example.com'), [refund.id])
    assert.deepEqual(await q('nonexistentword'), [])
    // Odd input is searched literally, never an error.
    assert.deepEqual(await q("%_\\'&|!:*()"), [])
  })
})

test.group('Conversations: create, update, tags, messages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('creates a conversation for a contact of the same team only', async ({ client, assert }) => {
    const team = await makeTeam()
    const other = await makeTeam()
    const operator = await makeUser('operator', [team])
    const token = await tokenFor(operator)
    const contact = await client
      .post('/api/v1/contacts')
      .bearerToken(token)
      .json({ teamId: team.id, name: 'New Person', email: 'np@example.com' })
    contact.assertStatus(201)
    const created = await client
      .post('/api/v1/conversations')
      .bearerToken(token)
      .json({
        teamId: team.id,
        contactId: contact.body().data.id,
        subject: 'Hello',
        tags: ['Sales'],
      })
    created.assertStatus(201)
    assert.include(created.body().data, { status: 'open', owner: 'bot', subject: 'Hello' })
    assert.deepEqual(created.body().data.tags, ['sales'])
    assert.exists(await Tag.query().where({ team_id: team.id, name: 'sales' }).first())

    const foreignContact = await makeConversation(other)
    const cross = await client
      .post('/api/v1/conversations')
      .bearerToken(token)
      .json({ teamId: team.id, contactId: foreignContact.contactId })
    cross.assertStatus(422)
    assert.equal(cross.body().errors[0].field, 'contactId')
    const wrongTeam = await client
      .post('/api/v1/conversations')
      .bearerToken(token)
      .json({ teamId: other.id, contactId: foreignContact.contactId })
    wrongTeam.assertStatus(403)
  })

  test('resolving stamps resolvedAt; snoozing needs a future snoozedUntil', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('operator', [team]))
    const conversation = await makeConversation(team)
    const resolved = await client
      .patch(`/api/v1/conversations/${conversation.id}`)
      .bearerToken(token)
      .json({ status: 'resolved' })
    resolved.assertStatus(200)
    assert.isString(resolved.body().data.resolvedAt)
    const noDate = await client
      .patch(`/api/v1/conversations/${conversation.id}`)
      .bearerToken(token)
      .json({ status: 'snoozed' })
    noDate.assertStatus(422)
    assert.equal(noDate.body().errors[0].field, 'snoozedUntil')
    const until = new Date(Date.now() + 3600_000).toISOString()
    const snoozed = await client
      .patch(`/api/v1/conversations/${conversation.id}`)
      .bearerToken(token)
      .json({ status: 'snoozed', snoozedUntil: until })
    snoozed.assertStatus(200)
    assert.isNull(snoozed.body().data.resolvedAt)
    assert.equal(new Date(snoozed.body().data.snoozedUntil).getTime(), new Date(until).getTime())
  })

  test('tags are added, removed, renamed and deleted across conversations', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('supervisor', [team]))
    const conversation = await makeConversation(team, { tags: ['vip'] })
    const added = await client
      .post(`/api/v1/conversations/${conversation.id}/tags`)
      .bearerToken(token)
      .json({ tags: ['bug', 'vip'] })
    added.assertStatus(200)
    assert.deepEqual(added.body().data.tags, ['vip', 'bug'])
    const removed = await client
      .delete(`/api/v1/conversations/${conversation.id}/tags/vip`)
      .bearerToken(token)
    assert.deepEqual(removed.body().data.tags, ['bug'])

    const tags = await client.get('/api/v1/tags').qs({ teamId: team.id }).bearerToken(token)
    const bug = tags.body().data.find((t: { name: string }) => t.name === 'bug')
    const renamed = await client
      .patch(`/api/v1/tags/${bug.id}`)
      .bearerToken(token)
      .json({ name: 'defect', color: '#ff0000' })
    renamed.assertStatus(200)
    await conversation.refresh()
    assert.deepEqual(conversation.tags, ['defect'])
    ;(await client.delete(`/api/v1/tags/${bug.id}`).bearerToken(token)).assertStatus(204)
    await conversation.refresh()
    assert.deepEqual(conversation.tags, [])
  })

  test('an operator reply takes ownership; a note stays internal; messages list oldest first', async ({
    client,
    assert,
  }) => {
    const team = await makeTeam()
    const operator = await makeUser('operator', [team])
    const token = await tokenFor(operator)
    const conversation = await makeConversation(
      team,
      { status: 'resolved' },
      { messages: ['Is anyone there?'] }
    )
    const note = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'Check the refund first', internal: true })
    note.assertStatus(201)
    assert.include(note.body().data, { direction: 'internal', kind: 'note', deliveryStatus: null })
    await conversation.refresh()
    assert.equal(conversation.owner, 'bot')

    const reply = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'Yes, I am here.' })
    reply.assertStatus(201)
    assert.include(reply.body().data, {
      direction: 'outbound',
      authorKind: 'operator',
      authorUserId: operator.id,
      // No channel, nowhere to deliver: the reply is history only.
      deliveryStatus: null,
    })
    await conversation.refresh()
    assert.include(conversation.serialize(), {
      owner: 'human',
      assigneeId: operator.id,
      status: 'open',
      messageCount: 2,
    })

    const list = await client
      .get(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
    assert.deepEqual(
      list.body().data.map((m: { body: string }) => m.body),
      ['Is anyone there?', 'Check the refund first', 'Yes, I am here.']
    )

    // Notes can be edited and deleted; customer-facing messages cannot.
    const noteId = note.body().data.id
    const edit = await client
      .patch(`/api/v1/conversations/${conversation.id}/messages/${noteId}`)
      .bearerToken(token)
      .json({ text: 'Check refund #2' })
    edit.assertStatus(200)
    assert.isString(edit.body().data.editedAt)
    const replyEdit = await client
      .patch(`/api/v1/conversations/${conversation.id}/messages/${reply.body().data.id}`)
      .bearerToken(token)
      .json({ text: 'changed' })
    replyEdit.assertStatus(409)
    ;(
      await client
        .delete(`/api/v1/conversations/${conversation.id}/messages/${noteId}`)
        .bearerToken(token)
    ).assertStatus(204)
    const after = await client
      .get(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
    assert.equal(after.body().meta.total, 2)
  })
})
