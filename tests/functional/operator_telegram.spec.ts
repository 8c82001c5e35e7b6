/*
| Operators in a Telegram forum group: the fake Bot API, the real grammY
| client, the HTTP server and the worker. A conversation handed to people
| becomes a topic with a card; what operators type there reaches the
| customer, commands run the desk, and notes never leave the group.
*/
import { test } from '@japa/runner'
import { truncateNow } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import {
  FakeTelegram,
  callbackQueryUpdate,
  commandUpdate,
  textUpdate,
  type FakeUser,
} from '#bots/testing/fake_telegram'
import { makeUser, tokenFor } from '#tests/support/fixtures'
import { sleep, until } from '#tests/support/wait'
import { startWorker, stopWorker } from '#messaging/worker'
import { person, teamWithTelegram } from '#tests/support/operator_desk'
import { runTimer } from '#operators/timers'

const BASE_URL = `http://${process.env.HOST}:${process.env.PORT}`
let nextGroupId = 1_000_000 + Math.floor(Math.random() * 100_000)

/** The team's Telegram channel, a forum group its bot administers, and a workspace on it. */
async function desk(client: any, fake: FakeTelegram) {
  const base = await teamWithTelegram(client, fake)
  const { token, me, team, adminToken, bea, channel } = base
  const chatId = -(1_000_000_000_000 + nextGroupId++)
  const group = fake.addForumChat(token, chatId, 'Support desk')
  fake.setChatMember(token, chatId, me.id, 'administrator')
  const workspace = await client
    .post('/api/v1/workspaces')
    .bearerToken(adminToken)
    .json({
      platform: 'telegram',
      name: 'Desk group',
      teamId: team.id,
      config: { channelId: channel.id, chatId },
    })
  workspace.assertStatus(201)
  // Bea's Telegram account is hers: an admin links it.
  const beaTg = person('Bea')
  const link = await client
    .post('/api/v1/operator-identities')
    .bearerToken(adminToken)
    .json({ userId: bea.id, platform: 'telegram', externalId: String(beaTg.id) })
  link.assertStatus(201)
  return { ...base, beaTg, chatId, group, workspace: workspace.body().data }
}

/** The topic the workspace opened for the customer's conversation, and its card. */
async function topicOf(fake: FakeTelegram, token: string, chatId: number) {
  const call = await until(
    () =>
      fake
        .callsOf('createForumTopic')
        .find(
          (c) =>
            c.token === token && String(c.params.chat_id) === String(chatId) && c.status === 200
        ),
    15_000,
    'the forum topic'
  )
  const card = await until(
    () => fake.sentMessages(chatId).find((m) => m.message_thread_id !== undefined),
    10_000,
    'the card'
  )
  return { name: call.params.name as string, message_thread_id: card.message_thread_id!, card }
}

function topicTexts(fake: FakeTelegram, chatId: number, threadId: number) {
  return fake
    .sentMessages(chatId)
    .filter((m) => m.message_thread_id === threadId)
    .map((m) => m.text ?? '')
}

test.group('Operators in a Telegram forum group', (group) => {
  let fake: FakeTelegram
  group.setup(async () => {
    fake = await FakeTelegram.start()
    env.set('PUBLIC_URL', BASE_URL)
    await startWorker()
    return async () => {
      await stopWorker()
      await fake.stop()
      await truncateNow()
    }
  })

  test('a workspace needs a forum group where the bot manages topics', async ({
    client,
    assert,
  }) => {
    const { token, me, team, adminToken, channel } = await desk(client, fake)
    const plain = -(1_000_000_000_000 + nextGroupId++)
    fake.addChat(token, { id: plain, type: 'supergroup', title: 'No topics' })
    fake.setChatMember(token, plain, me.id, 'administrator')
    const noTopics = await client
      .post('/api/v1/workspaces')
      .bearerToken(adminToken)
      .json({
        platform: 'telegram',
        name: 'x',
        teamId: team.id,
        config: { channelId: channel.id, chatId: plain },
      })
    noTopics.assertStatus(422)
    assert.equal(noTopics.body().errors[0].field, 'config.chatId')
    assert.match(noTopics.body().errors[0].message, /topics/)

    const notAdmin = -(1_000_000_000_000 + nextGroupId++)
    fake.addForumChat(token, notAdmin)
    fake.setChatMember(token, notAdmin, me.id, 'member')
    const member = await client
      .post('/api/v1/workspaces')
      .bearerToken(adminToken)
      .json({
        platform: 'telegram',
        name: 'x',
        teamId: team.id,
        config: { channelId: channel.id, chatId: notAdmin },
      })
    member.assertStatus(422)
    assert.match(member.body().errors[0].message, /administrator/)
    const count = await db.from('operator_workspaces').where('team_id', team.id).count('* as n')
    assert.equal(Number(count[0].n), 1)
  }).timeout(30_000)

  test('customer → topic → operator reply → customer; notes and strangers never reach the customer', async ({
    client,
    assert,
  }) => {
    const { token, chatId, group: forum, ana, beaTg, bea } = await desk(client, fake)
    // The bot owns new conversations: nothing is mirrored until a handoff.
    fake.pushUpdate(token, textUpdate(ana, 'Where is my parcel?'))
    await until(
      () =>
        db.from('messages').where({ direction: 'inbound', body: 'Where is my parcel?' }).first(),
      10_000,
      'the first message'
    )
    await sleep(500)
    assert.isFalse(fake.callsOf('createForumTopic').some((c) => c.token === token))

    fake.pushUpdate(token, commandUpdate(ana, 'human'))
    const topic = await topicOf(fake, token, chatId)
    assert.equal(topic.name, 'Ana · telegram')
    // The card, with its buttons, then the history.
    await until(
      () =>
        topicTexts(fake, chatId, topic.message_thread_id).some((t) =>
          t.includes('Where is my parcel?')
        ),
      10_000,
      'the history in the topic'
    )
    const [card] = fake
      .sentMessages(chatId)
      .filter((m) => m.message_thread_id === topic.message_thread_id)
    assert.include(card.text, 'Owner: queued')
    assert.deepEqual(
      (card.reply_markup?.inline_keyboard ?? [])[0].map((b) => b.text),
      ['Claim', 'Resolve', 'Back to bot']
    )

    // Bea answers in the topic: it reaches Ana as Bea, and is not echoed back into the topic.
    const inTopic = { chat: forum, message_thread_id: topic.message_thread_id }
    fake.pushUpdate(token, textUpdate(beaTg, 'Hi Ana, I am looking into it', inTopic))
    await until(
      () => fake.sentMessages(ana.id).some((m) => m.text === 'Hi Ana, I am looking into it'),
      10_000,
      "Bea's reply at the customer"
    )
    const reply = await db.from('messages').where({ body: 'Hi Ana, I am looking into it' }).first()
    assert.equal(reply.author_kind, 'operator')
    assert.equal(reply.author_user_id, bea.id)
    const conversation = await db.from('conversations').where('id', reply.conversation_id).first()
    assert.equal(conversation.owner, 'human')
    assert.equal(conversation.assignee_id, bea.id)

    // A note stays in the group.
    fake.pushUpdate(token, textUpdate(beaTg, '/note she is a VIP', inTopic))
    await until(
      () =>
        topicTexts(fake, chatId, topic.message_thread_id).some(
          (t) => t.includes('she is a VIP') && t.includes('internal')
        ),
      10_000,
      'the note in the topic'
    )
    // Someone not linked to a user: told so, nothing sent.
    const stranger = person('Zed')
    fake.pushUpdate(token, textUpdate(stranger, 'I will refund you twice!', inTopic))
    await until(
      () => topicTexts(fake, chatId, topic.message_thread_id).some((t) => t.includes('not linked')),
      10_000,
      'the explanation to the stranger'
    )
    // An unknown command is explained, not sent.
    fake.pushUpdate(token, textUpdate(beaTg, '/clsoe', inTopic))
    await until(
      () =>
        topicTexts(fake, chatId, topic.message_thread_id).some((t) =>
          t.includes('Unknown command /clsoe')
        ),
      10_000,
      'the unknown command explained'
    )
    await sleep(300)
    const atAna = fake.sentMessages(ana.id).map((m) => m.text ?? '')
    assert.notInclude(atAna.join('\n'), 'VIP')
    assert.notInclude(atAna.join('\n'), 'refund')
    assert.notInclude(atAna.join('\n'), 'clsoe')
    // Bea's reply appears in the topic exactly once: as she typed it, never posted back.
    assert.isFalse(
      topicTexts(fake, chatId, topic.message_thread_id).some((t) =>
        t.includes('I am looking into it')
      )
    )
    const operatorRows = await db
      .from('messages')
      .where({ conversation_id: conversation.id, direction: 'outbound', author_kind: 'operator' })
    assert.lengthOf(operatorRows, 1)
  }).timeout(60_000)

  test('a card button claims atomically; the card shows the owner; /close in 2h is cancelled when the customer writes', async ({
    client,
    assert,
  }) => {
    const { token, chatId, group: forum, ana, beaTg, bea, team } = await desk(client, fake)
    const carl = await makeUser('operator', [team], { fullName: 'Carl Dias' })
    const carlTg = person('Carl')
    const linked = await client
      .post('/api/v1/operator-identities')
      .bearerToken(await tokenFor(await makeUser('admin')))
      .json({ userId: carl.id, platform: 'telegram', externalId: String(carlTg.id) })
    linked.assertStatus(201)

    fake.pushUpdate(token, commandUpdate(ana, 'human'))
    const topic = await topicOf(fake, token, chatId)
    const card = await until(
      () => fake.sentMessages(chatId).find((m) => m.message_thread_id === topic.message_thread_id),
      10_000,
      'the card'
    )
    // Both press Claim at once.
    const press = (who: FakeUser) =>
      callbackQueryUpdate(who, `sb:claim:${card.text!.match(/#(\d+)/)![1]}`, card)
    fake.pushUpdate(token, press(beaTg))
    fake.pushUpdate(token, press(carlTg))
    const conversationId = Number(card.text!.match(/#(\d+)/)![1])
    const claimed = await until(
      async () => {
        const c = await db.from('conversations').where('id', conversationId).first()
        return c.assignee_id && c
      },
      10_000,
      'a claim'
    )
    assert.equal(claimed.assignee_id, bea.id)
    assert.equal(claimed.owner, 'human')
    await until(
      () =>
        topicTexts(fake, chatId, topic.message_thread_id).some((t) =>
          t.includes('Already claimed by Bea Silva')
        ),
      10_000,
      'the loser told who won'
    )
    // The card, edited in place, names the owner.
    await until(
      () =>
        fake
          .callsOf('editMessageText')
          .some(
            (c) =>
              c.status === 200 &&
              String(c.params.message_id) === String(card.message_id) &&
              String(c.params.text).includes('Assignee: Bea Silva')
          ),
      10_000,
      'the card updated'
    )

    // A timed close, then the customer writes: the close is called off.
    const inTopic = { chat: forum, message_thread_id: topic.message_thread_id }
    fake.pushUpdate(token, textUpdate(beaTg, '/close in 2h Thanks for writing!', inTopic))
    const timed = await until(
      async () => {
        const c = await db.from('conversations').where('id', conversationId).first()
        return c.close_at && c
      },
      10_000,
      'the timed close'
    )
    const due = new Date(timed.close_at).toISOString()
    fake.pushUpdate(token, textUpdate(ana, 'One more question!'))
    await until(
      async () => !(await db.from('conversations').where('id', conversationId).first()).close_at,
      10_000,
      'the close called off'
    )
    // When the timer falls due it finds nothing to do.
    await runTimer({ conversationId, kind: 'close', due })
    const after = await db.from('conversations').where('id', conversationId).first()
    assert.equal(after.status, 'open')
    assert.notInclude(
      fake
        .sentMessages(ana.id)
        .map((m) => m.text)
        .join('\n'),
      'Thanks for writing!'
    )

    // Without a customer message in between, the due timer closes and says goodbye once.
    fake.pushUpdate(token, textUpdate(beaTg, '/close in 2h Bye now', inTopic))
    const second = await until(
      async () => {
        const c = await db.from('conversations').where('id', conversationId).first()
        return c.close_at && c
      },
      10_000,
      'the second timed close'
    )
    const job = {
      conversationId,
      kind: 'close' as const,
      due: new Date(second.close_at).toISOString(),
    }
    await db
      .from('conversations')
      .where('id', conversationId)
      .update({ close_at: new Date(Date.now() - 1000) })
    job.due = new Date(
      (await db.from('conversations').where('id', conversationId).first()).close_at
    ).toISOString()
    await runTimer(job)
    await runTimer(job)
    const closed = await db.from('conversations').where('id', conversationId).first()
    assert.equal(closed.status, 'resolved')
    await until(
      () => fake.sentMessages(ana.id).some((m) => m.text === 'Bye now'),
      10_000,
      'the farewell'
    )
    await sleep(500)
    assert.lengthOf(
      fake.sentMessages(ana.id).filter((m) => m.text === 'Bye now'),
      1
    )
  }).timeout(60_000)

  test('a burst in a rate-limited group is queued and merged, never dropped', async ({
    client,
    assert,
  }) => {
    const { token, chatId, ana } = await desk(client, fake)
    fake.pushUpdate(token, commandUpdate(ana, 'human'))
    const topic = await topicOf(fake, token, chatId)
    await until(
      () => topicTexts(fake, chatId, topic.message_thread_id).some((t) => t.includes('/human')),
      10_000,
      'the history'
    )
    // Telegram says "too many requests" for a while; meanwhile the customer writes twelve times.
    fake.rateLimit('sendMessage', { untilMs: Date.now() + 2000, chatId })
    const texts = Array.from({ length: 12 }, (_, i) => `burst ${i + 1}`)
    for (const text of texts) fake.pushUpdate(token, textUpdate(ana, text))
    const posts = await until(
      () => {
        const found = topicTexts(fake, chatId, topic.message_thread_id).filter((t) =>
          t.includes('burst ')
        )
        const all = found.join('\n')
        return texts.every((t) => all.includes(`${t}\n`) || all.endsWith(t)) && found
      },
      20_000,
      'every message of the burst in the topic'
    )
    // Merged into few messages, in order, each once.
    assert.isAtMost(posts.length, 3)
    const lines = posts
      .join('\n')
      .split('\n')
      .filter((l) => l.includes('burst '))
    assert.deepEqual(
      lines.map((l) => l.replace(/^.*burst /, 'burst ')),
      texts
    )
    assert.isTrue(fake.callsOf('sendMessage').some((c) => c.status === 429))
  }).timeout(40_000)
})
