/*
| The Telegram channel end to end: the fake Bot API on 127.0.0.1, the real
| grammY client, the HTTP server and the job worker. Updates arrive the way
| Telegram sends them (webhook POSTs with the secret header, or getUpdates),
| and every claim is checked in the database and in what the fake received.
*/
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { truncateNow } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import type { Message as TelegramMessage } from 'grammy/types'
import {
  FakeTelegram,
  audioUpdate,
  callbackQueryUpdate,
  commandUpdate,
  contactUpdate,
  documentUpdate,
  editedTextUpdate,
  locationUpdate,
  photoUpdate,
  replyUpdate,
  stickerUpdate,
  textUpdate,
  videoNoteUpdate,
  videoUpdate,
  voiceUpdate,
  type FakeUser,
} from '#bots/testing/fake_telegram'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { sleep, until } from '#tests/support/wait'
import { endOutage, startOutage } from '#tests/support/database_outage'
import { WorkerProcess } from '#tests/support/worker_process'
import { startWorker, stopWorker } from '#messaging/worker'
import runner, { RUNNER_APPLICATION } from '#messaging/runner'
import type { TeamSettings } from '#models/team'

const BASE_URL = `http://${process.env.HOST}:${process.env.PORT}`
/** A 1×1 PNG: what a customer's photo download must give back, byte for byte. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
)

let nextBotId = 700_000 + Math.floor(Math.random() * 100_000)
let nextUserId = 9_000_000 + Math.floor(Math.random() * 100_000)

function customer(name = 'Ana'): FakeUser {
  return { id: nextUserId++, first_name: name, username: `${name.toLowerCase()}_${nextUserId}` }
}

type Row = Record<string, any>

function inbound(channelId: number): Promise<Row[]> {
  return db
    .from('messages')
    .where({ channel_id: channelId, direction: 'inbound' })
    .orderBy('id')
    .select('*')
}

function outbound(channelId: number): Promise<Row[]> {
  return db
    .from('messages')
    .where({ channel_id: channelId, direction: 'outbound' })
    .orderBy('id')
    .select('*')
}

/** What the fake actually did for a bot: answered calls of `method`, by outcome. */
function callsTo(fake: FakeTelegram, token: string, method: string, chatId?: number) {
  return fake
    .callsOf(method)
    .filter((c) => c.token === token)
    .filter((c) => chatId === undefined || String(c.params.chat_id) === String(chatId))
}

function delivered(fake: FakeTelegram, token: string, chatId: number) {
  return callsTo(fake, token, 'sendMessage', chatId).filter((c) => c.status === 200)
}

interface Setup {
  fake: FakeTelegram
  mode: 'webhook' | 'polling'
  settings?: TeamSettings
}

/** A team, an admin and a Telegram channel created through the API, running. */
async function telegramChannel(client: any, { fake, mode, settings = {} }: Setup) {
  const token = `${nextBotId++}:AA${randomBytes(24).toString('base64url')}`
  fake.addBot(token, { username: `shop_${nextBotId}_bot` })
  const team = await makeTeam()
  team.settings = { ...team.settings, ...settings }
  await team.save()
  const admin = await makeUser('admin')
  const adminToken = await tokenFor(admin)
  const created = await client
    .post('/api/v1/channels')
    .bearerToken(adminToken)
    .json({
      platform: 'telegram',
      name: 'Shop bot',
      teamId: team.id,
      config: { token, mode, apiRoot: fake.apiRoot },
    })
  created.assertStatus(201)
  const channel = created.body().data
  await runner.reconcile()
  if (mode === 'webhook') {
    await until(
      () => callsTo(fake, token, 'setWebhook').some((c) => c.status === 200),
      10_000,
      'setWebhook'
    )
  } else {
    await until(() => callsTo(fake, token, 'getUpdates').length > 0, 10_000, 'getUpdates')
  }
  // A customer who knows the bot, as most scenarios need one.
  const ana = customer('Ana')
  fake.addChat(token, ana)
  return { token, team, admin, adminToken, channel: channel as { id: number }, ana }
}

/** Files on 127.0.0.1 for Telegram to fetch by URL, as it fetches from the internet. */
async function fileServer(files: Record<string, Buffer>) {
  const server = createServer((request, response) => {
    const body = files[request.url ?? '']
    response.statusCode = body ? 200 : 404
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function truncateAll() {
  await truncateNow()
}

test.group('Telegram channel: every inbound kind, commands, replies', (group) => {
  let fake: FakeTelegram
  group.setup(async () => {
    fake = await FakeTelegram.start({ webhookRetryDelayMs: 200, webhookMaxAttempts: 200 })
    env.set('PUBLIC_URL', BASE_URL)
    await startWorker()
    return async () => {
      await stopWorker()
      await fake.stop()
      await truncateAll()
    }
  })

  /**
   * One of each kind of message, then a reply to the bot, an edit and a
   * button press. The same expectations hold whether updates come by
   * webhook or by polling.
   */
  async function everyKind(client: any, assert: any, mode: 'webhook' | 'polling') {
    const { token, channel, adminToken, ana } = await telegramChannel(client, {
      fake,
      mode,
      settings: { autoReplyText: 'Thanks, we are on it.' },
    })
    const photo = fake.addFile(token, { bytes: PNG, mime: 'image/png' })
    const kinds: Array<[ReturnType<typeof textUpdate>, string, string | undefined]> = [
      [textUpdate(ana, 'My order did not arrive'), 'text', undefined],
      [photoUpdate(ana, ['small-id', photo], 'the box'), 'photo', photo.file_id],
      [documentUpdate(ana, 'doc-id', { file_name: 'invoice.pdf' }), 'document', 'doc-id'],
      [audioUpdate(ana, 'audio-id'), 'audio', 'audio-id'],
      [voiceUpdate(ana, 'voice-id'), 'voice', 'voice-id'],
      [videoUpdate(ana, 'video-id'), 'video', 'video-id'],
      [videoNoteUpdate(ana, 'note-id'), 'video_note', 'note-id'],
      [stickerUpdate(ana, 'sticker-id'), 'sticker', 'sticker-id'],
      [locationUpdate(ana, 38.72, -9.14), 'location', undefined],
      [
        contactUpdate(ana, { phone_number: '+351911111111', first_name: 'Rui' }),
        'contact',
        undefined,
      ],
    ]
    for (const [update] of kinds) fake.pushUpdate(token, update)
    const rows = await until(
      async () => {
        const found = await inbound(channel.id)
        return found.length === kinds.length && found
      },
      15_000,
      `${kinds.length} inbound messages`
    )
    assert.deepEqual(
      rows.map((r) => r.kind),
      kinds.map(([, kind]) => kind)
    )
    for (const [index, [, kind, ref]] of kinds.entries()) {
      if (ref) assert.equal(rows[index].attachments[0].ref, ref, kind)
    }
    assert.equal(rows[0].body, 'My order did not arrive')
    assert.equal(rows[1].body, 'the box')
    assert.equal(rows[9].attachments[0].phone, '+351911111111')
    // One conversation, one contact with the customer's name.
    assert.lengthOf(new Set(rows.map((r) => r.conversation_id)), 1)
    const contact = await db
      .from('contacts as c')
      .join('conversations as v', 'v.contact_id', 'c.id')
      .where('v.id', rows[0].conversation_id)
      .select('c.name')
      .first()
    assert.equal(contact.name, 'Ana')

    // The acknowledgement went out once, as plain text.
    await until(() => delivered(fake, token, ana.id).length === 1, 10_000, 'the acknowledgement')
    const [ack] = fake.sentMessages(ana.id)
    assert.equal(ack.text, 'Thanks, we are on it.')

    // The photo is served on demand from Telegram through our API, byte for byte.
    const download = await fetch(`${BASE_URL}/api/v1/messages/${rows[1].id}/attachments/0`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })
    assert.equal(download.status, 200)
    assert.equal(download.headers.get('content-type'), 'image/png')
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG)
    assert.isAbove(callsTo(fake, token, 'getFile').length, 0)
    const anonymous = await fetch(`${BASE_URL}/api/v1/messages/${rows[1].id}/attachments/0`)
    assert.equal(anonymous.status, 401)

    // A reply quoting the bot's message, an edit of the first message, a button press.
    fake.pushUpdate(token, replyUpdate(ana, 'Yes, that one', ack as TelegramMessage))
    const firstId = Number(rows[0].external_id.split(':')[1])
    fake.pushUpdate(token, editedTextUpdate(ana, firstId, 'My order #123 did not arrive'))
    fake.pushUpdate(
      token,
      callbackQueryUpdate(ana, 'rate:5', ack as TelegramMessage, { id: '777' })
    )
    const after = await until(
      async () => {
        const found = await inbound(channel.id)
        const first = found[0]
        return found.length === kinds.length + 2 && first.edit_history.length === 1 && found
      },
      15_000,
      'the reply, the edit and the button press'
    )
    const sentAck = (await outbound(channel.id))[0]
    const reply = after[kinds.length]
    assert.equal(reply.body, 'Yes, that one')
    assert.equal(reply.reply_to_id, sentAck.id)
    assert.equal(after[0].body, 'My order #123 did not arrive')
    assert.equal(after[0].edit_history[0].body, 'My order did not arrive')
    const press = after[kinds.length + 1]
    assert.equal(press.kind, 'callback')
    assert.equal(press.body, 'rate:5')
    await until(
      () =>
        callsTo(fake, token, 'answerCallbackQuery').some(
          (c) => c.params.callback_query_id === '777'
        ),
      10_000,
      'answerCallbackQuery'
    )
    // Still one acknowledgement: it is once per conversation.
    assert.lengthOf(delivered(fake, token, ana.id), 1)
    return { token }
  }

  test('webhook mode: every kind of message, media on demand, replies, edits, buttons', async ({
    client,
    assert,
  }) => {
    const { token } = await everyKind(client, assert, 'webhook')
    const [hook] = callsTo(fake, token, 'setWebhook')
    assert.match(String(hook.params.url), /\/webhooks\/telegram\/\d+$/)
    assert.isAtLeast(String(hook.params.secret_token).length, 32)
  }).timeout(60_000)

  test('polling mode: the same, and an update is confirmed only after it is stored', async ({
    client,
    assert,
  }) => {
    const { token } = await everyKind(client, assert, 'polling')
    assert.lengthOf(callsTo(fake, token, 'deleteWebhook'), 1)
    // Each getUpdates confirms only what an earlier call returned and we stored.
    await until(() => fake.pendingUpdates(token).length === 0, 10_000, 'confirmed updates')
  }).timeout(60_000)

  test('customer commands are registered and answered; /human hands to a person', async ({
    client,
    assert,
  }) => {
    const { token, channel } = await telegramChannel(client, {
      fake,
      mode: 'webhook',
      settings: { welcomeText: 'Welcome to Acme!', helpText: 'Ask about orders.' },
    })
    const commands = callsTo(fake, token, 'setMyCommands').at(-1)!
    assert.deepEqual(
      (commands.params.commands as Array<{ command: string }>).map((c) => c.command),
      ['start', 'help', 'human', 'reset']
    )
    const rui = customer('Rui')
    fake.addChat(token, rui)
    for (const name of ['start', 'help', 'human', 'reset']) {
      fake.pushUpdate(token, commandUpdate(rui, name))
      // One at a time, so the answers' order is the commands' order.
      await until(
        () =>
          fake.sentMessages(rui.id).length ===
          ['start', 'help', 'human', 'reset'].indexOf(name) + 1,
        10_000,
        `/${name}`
      )
    }
    assert.deepEqual(
      fake.sentMessages(rui.id).map((m) => m.text),
      [
        'Welcome to Acme!',
        'Ask about orders.',
        'Thanks, a person will take over this conversation shortly.',
        'Done: this conversation starts afresh.',
      ]
    )
    const [conversation] = await db.from('conversations').where('channel_id', channel.id)
    assert.equal(conversation.owner, 'queued')
    assert.isNotNull(conversation.memory_reset_at)
    const note = await db
      .from('messages')
      .where({ conversation_id: conversation.id, direction: 'internal' })
      .first()
    assert.include(note.body, '/human')
  }).timeout(30_000)

  test('the same update delivered 3 times at once: one message, one reply', async ({
    client,
    assert,
  }) => {
    const { token, channel, ana } = await telegramChannel(client, {
      fake,
      mode: 'webhook',
      settings: { autoReplyText: 'Got it!' },
    })
    const statuses = await fake.deliverUpdateConcurrently(token, textUpdate(ana, 'hello?'), 3)
    assert.deepEqual(statuses, [200, 200, 200])
    await until(() => delivered(fake, token, ana.id).length >= 1, 10_000, 'the reply')
    // Time for a second reply to show up, were there one.
    await sleep(1500)
    assert.lengthOf(delivered(fake, token, ana.id), 1)
    assert.lengthOf(await inbound(channel.id), 1)
    const ledger = await db
      .from('inbound_events')
      .where({ source_type: 'channel', source_id: channel.id })
      .count('* as n')
    assert.equal(Number(ledger[0].n), 1)
  }).timeout(30_000)

  test('a wrong or missing secret token is 401 and stores nothing', async ({ client, assert }) => {
    const { channel } = await telegramChannel(client, { fake, mode: 'webhook' })
    const update = { update_id: 1, ...textUpdate(customer(), 'let me in') }
    const wrong = await client
      .post(`/webhooks/telegram/${channel.id}`)
      .header('x-telegram-bot-api-secret-token', 'guess')
      .json(update)
    wrong.assertStatus(401)
    const missing = await client.post(`/webhooks/telegram/${channel.id}`).json(update)
    missing.assertStatus(401)
    assert.lengthOf(await inbound(channel.id), 0)
    const ledger = await db.from('inbound_events').where('source_id', channel.id)
    assert.lengthOf(ledger, 0)
  })

  test('database down: the webhook answers 503, Telegram retries, the message lands once', async ({
    client,
    assert,
  }) => {
    const { token, channel, ana } = await telegramChannel(client, {
      fake,
      mode: 'webhook',
      settings: { autoReplyText: 'Back online.' },
    })
    await startOutage()
    let updateId: number
    try {
      updateId = fake.pushUpdate(token, textUpdate(ana, 'anyone there?'))
      await until(
        () =>
          fake.webhookDeliveries.filter((d) => d.updateId === updateId && d.token === token)
            .length >= 3,
        15_000,
        'three refused deliveries'
      )
    } finally {
      await endOutage()
    }
    const attempts = fake.webhookDeliveries.filter(
      (d) => d.token === token && d.updateId === updateId
    )
    assert.includeMembers(
      attempts.slice(0, 3).map((d) => d.status),
      [503]
    )
    assert.notInclude(
      attempts.map((d) => d.status),
      500
    )
    await until(
      () =>
        fake.webhookDeliveries.some(
          (d) => d.token === token && d.updateId === updateId && d.status === 200
        ),
      15_000,
      'an accepted retry'
    )
    assert.lengthOf(await inbound(channel.id), 1)
    // The worker survived the outage and answers.
    await until(() => delivered(fake, token, ana.id).length === 1, 20_000, 'the reply')
  }).timeout(60_000)

  test('database down while polling: the update stays unconfirmed and lands once after', async ({
    client,
    assert,
  }) => {
    const { token, channel, ana } = await telegramChannel(client, { fake, mode: 'polling' })
    // The runner keeps its session (and the channel), so polling goes on during the outage.
    await startOutage(RUNNER_APPLICATION)
    try {
      const polls = callsTo(fake, token, 'getUpdates').length
      fake.pushUpdate(token, textUpdate(ana, 'still there?'))
      await until(
        () => callsTo(fake, token, 'getUpdates').length >= polls + 2,
        15_000,
        'a poll after the failed store'
      )
      // Not stored, so not confirmed: Telegram keeps it and offers it again.
      assert.lengthOf(fake.pendingUpdates(token), 1)
    } finally {
      await endOutage()
    }
    await until(async () => (await inbound(channel.id)).length === 1, 40_000, 'the message')
    await until(() => fake.pendingUpdates(token).length === 0, 30_000, 'the confirmation')
    await sleep(500)
    assert.lengthOf(await inbound(channel.id), 1)
  }).timeout(90_000)
})

test.group('Telegram channel: delivery under rate limits and blocks', (group) => {
  let fake: FakeTelegram
  group.setup(async () => {
    fake = await FakeTelegram.start({ webhookRetryDelayMs: 200 })
    env.set('PUBLIC_URL', BASE_URL)
    await startWorker()
    return async () => {
      await stopWorker()
      await fake.stop()
      await truncateAll()
    }
  })

  /** A customer who wrote once, so the conversation exists; returns its id. */
  async function conversationWith(token: string, channelId: number, who: FakeUser) {
    fake.addChat(token, who)
    fake.pushUpdate(token, textUpdate(who, 'hi'))
    const row = await until(
      () =>
        db
          .from('conversations as v')
          .join('contact_identities as i', 'i.contact_id', 'v.contact_id')
          .where({ 'v.channel_id': channelId, 'i.external_id': String(who.id) })
          .select('v.id')
          .first(),
      10_000,
      'the conversation'
    )
    return row.id as number
  }

  test('a 30-second 429 storm: nothing sent before retry_after, nothing lost, order kept', async ({
    client,
    assert,
  }) => {
    const { token, channel, adminToken } = await telegramChannel(client, { fake, mode: 'webhook' })
    const people = [customer('Ana'), customer('Rui')]
    const conversations = []
    for (const who of people) conversations.push(await conversationWith(token, channel.id, who))

    const untilMs = Date.now() + 30_000
    fake.rateLimit('sendMessage', { untilMs })
    const texts = ['first', 'second', 'third']
    for (const text of texts) {
      for (const id of conversations) {
        const sent = await client
          .post(`/api/v1/conversations/${id}/messages`)
          .bearerToken(adminToken)
          .json({ text })
        sent.assertStatus(201)
      }
    }
    for (const who of people) {
      await until(
        () => delivered(fake, token, who.id).length === texts.length,
        60_000,
        'every reply'
      )
    }
    for (const who of people) {
      const calls = callsTo(fake, token, 'sendMessage', who.id)
      // Nothing went out during the storm.
      for (const call of calls.filter((c) => c.status === 200)) assert.isAtLeast(call.at, untilMs)
      // After each 429 the next attempt waited at least retry_after.
      for (const [index, call] of calls.entries()) {
        if (call.status !== 429) continue
        const retryAfter = Number(/retry after (\d+)/.exec(call.description!)![1])
        const next = calls[index + 1]
        assert.isAtLeast(next.at, call.at + retryAfter * 1000 - 5)
      }
      assert.isAtMost(calls.filter((c) => c.status === 429).length, 3)
      // In order, each once.
      assert.deepEqual(
        fake.sentMessages(who.id).map((m) => m.text),
        texts
      )
    }
    const states = await outbound(channel.id)
    assert.deepEqual(
      states.map((m) => m.delivery_status),
      Array(texts.length * people.length).fill('sent')
    )
    assert.isTrue(states.every((m) => m.external_id?.includes(':')))
  }).timeout(100_000)

  test('an operator sends photo, document, long Markdown and buttons; a press comes back', async ({
    client,
    assert,
  }) => {
    const files = await fileServer({ '/box.png': PNG, '/terms.pdf': Buffer.from('%PDF-1.4 terms') })
    try {
      const { token, channel, adminToken, ana } = await telegramChannel(client, {
        fake,
        mode: 'webhook',
      })
      const conversationId = await conversationWith(token, channel.id, ana)
      const paragraph = 'Your **order** ships_today (see [terms]). '.repeat(60)
      const text = `${paragraph.trim()}\n\n${paragraph.trim()}`
      const sent = await client
        .post(`/api/v1/conversations/${conversationId}/messages`)
        .bearerToken(adminToken)
        .json({
          text,
          format: 'markdown',
          attachments: [
            { kind: 'photo', url: `${files.url}/box.png` },
            { kind: 'document', url: `${files.url}/terms.pdf`, name: 'terms.pdf' },
          ],
          buttons: [
            [
              { text: 'Solved', data: 'solved' },
              { text: 'Track', url: 'https://example.com/t' },
            ],
          ],
        })
      assert.equal(sent.status(), 201, JSON.stringify(sent.body()))
      await until(() => fake.sentMessages(ana.id).length === 4, 15_000, 'four parts')
      const parts = fake.sentMessages(ana.id)
      assert.isArray(parts[0].photo)
      assert.equal(parts[1].document?.file_name, 'terms.pdf')
      // The text is split under 4,096 characters and arrives unchanged, formatting applied.
      const bodies = parts.slice(2).map((m) => m.text!)
      for (const body of bodies) assert.isAtMost(body.length, 4096)
      assert.equal(
        bodies.join('\n\n').replaceAll(/\s+/g, ' '),
        text.replaceAll('**', '').replaceAll(/\s+/g, ' ')
      )
      assert.isTrue(parts[2].entities?.some((e) => e.type === 'bold'))
      assert.isFalse(parts[2].entities?.some((e) => e.type === 'italic'))
      // Buttons only under the last part.
      assert.isUndefined(parts[0].reply_markup)
      assert.isUndefined(parts[2].reply_markup)
      const keyboard = parts[3].reply_markup!.inline_keyboard[0]
      assert.deepEqual(
        keyboard.map((b) => b.text),
        ['Solved', 'Track']
      )
      const row = await db.from('messages').where('id', sent.body().data.id).first()
      assert.equal(row.delivery_status, 'sent')
      assert.lengthOf(row.metadata.externalIds, 4)

      fake.pushUpdate(token, callbackQueryUpdate(ana, 'solved', parts[3] as TelegramMessage))
      const press = await until(
        () => db.from('messages').where({ channel_id: channel.id, kind: 'callback' }).first(),
        10_000,
        'the button press'
      )
      assert.equal(press.body, 'solved')
      assert.equal(press.conversation_id, conversationId)
    } finally {
      await files.close()
    }
  }).timeout(30_000)

  test('what a reply cannot carry is a 422 naming the field', async ({ client, assert }) => {
    const { token, channel, adminToken } = await telegramChannel(client, { fake, mode: 'webhook' })
    const conversationId = await conversationWith(token, channel.id, customer())
    const post = (body: object) =>
      client
        .post(`/api/v1/conversations/${conversationId}/messages`)
        .bearerToken(adminToken)
        .json(body)
    const cases: Array<[object, string]> = [
      [{}, 'text'],
      [
        { text: 'x', attachments: [{ kind: 'photo', url: 'file:///etc/passwd' }] },
        'attachments.0.url',
      ],
      [
        { text: 'x', attachments: [{ kind: 'video', url: 'https://example.com/v.mp4' }] },
        'attachments.0.kind',
      ],
      [{ text: 'x', buttons: [[{ text: 'A', data: 'd'.repeat(65) }]] }, 'buttons.0.0.data'],
      [{ text: 'x', format: 'bbcode' }, 'format'],
      [{ text: 'x', internal: true, buttons: [[{ text: 'A', data: 'a' }]] }, 'buttons'],
    ]
    for (const [body, field] of cases) {
      const answer = await post(body)
      answer.assertStatus(422)
      assert.include(
        answer.body().errors.map((e: { field: string }) => e.field),
        field,
        JSON.stringify(body)
      )
    }
    assert.lengthOf(await outbound(channel.id), 0)
  })

  test('a user who blocked the bot: failed at once, contact unreachable, no retries', async ({
    client,
    assert,
  }) => {
    const { token, channel, adminToken, ana } = await telegramChannel(client, {
      fake,
      mode: 'webhook',
    })
    const conversationId = await conversationWith(token, channel.id, ana)
    fake.blockUser(token, ana.id)
    const first = await client
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .bearerToken(adminToken)
      .json({ text: 'Are you still there?' })
    first.assertStatus(201)
    const failed = await until(
      async () => {
        const row = await db.from('messages').where('id', first.body().data.id).first()
        return row.delivery_status === 'failed' && row
      },
      10_000,
      'the failure'
    )
    assert.include(failed.failure_reason, 'blocked')
    const calls = callsTo(fake, token, 'sendMessage', ana.id)
    assert.lengthOf(calls, 1)
    assert.equal(calls[0].status, 403)
    const contact = await db
      .from('conversations as v')
      .join('contacts as c', 'c.id', 'v.contact_id')
      .where('v.id', conversationId)
      .select('c.unreachable_at')
      .first()
    assert.isNotNull(contact.unreachable_at)

    // The next reply does not even try, and the attempt log says why.
    const second = await client
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .bearerToken(adminToken)
      .json({ text: 'Hello?' })
    await until(
      async () =>
        (await db.from('messages').where('id', second.body().data.id).first()).delivery_status ===
        'failed',
      10_000,
      'the second failure'
    )
    await sleep(1000)
    assert.lengthOf(callsTo(fake, token, 'sendMessage', ana.id), 1)
    const attempts = await db.from('delivery_attempts').where('message_id', first.body().data.id)
    assert.lengthOf(attempts, 1)
    assert.equal(attempts[0].outcome, 'failed')

    // The customer unblocks the bot and writes: replies reach them again.
    fake.unblockUser(token, ana.id)
    fake.pushUpdate(token, textUpdate(ana, 'sorry, I am back'))
    await until(
      async () =>
        await db
          .from('contacts')
          .join('conversations as v', 'v.contact_id', 'contacts.id')
          .where('v.id', conversationId)
          .whereNull('contacts.unreachable_at')
          .first(),
      10_000,
      'the contact reachable again'
    )
    await client
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .bearerToken(adminToken)
      .json({ text: 'Welcome back' })
    await until(() => delivered(fake, token, ana.id).length === 1, 10_000, 'the reply')
    assert.equal(fake.sentMessages(ana.id)[0].text, 'Welcome back')
  }).timeout(30_000)
})

test.group('Telegram channel: worker processes', (group) => {
  let fake: FakeTelegram
  const workers: WorkerProcess[] = []
  group.setup(async () => {
    fake = await FakeTelegram.start({ webhookRetryDelayMs: 200 })
    env.set('PUBLIC_URL', BASE_URL)
    return async () => {
      for (const worker of workers) await worker.stop()
      await fake.stop()
      await truncateAll()
    }
  })

  /** Channel set-up needs a runner to register the webhook; the workers are separate processes. */
  async function channelForWorkers(client: any, settings: TeamSettings) {
    await runner.start()
    try {
      return await telegramChannel(client, { fake, mode: 'webhook', settings })
    } finally {
      await runner.stop()
    }
  }

  test('a worker killed with SIGKILL between commit and send: exactly one reply after restart', async ({
    client,
    assert,
  }) => {
    const { token, channel, ana } = await channelForWorkers(client, {
      autoReplyText: 'One reply only.',
    })
    // Short expiry so the dead worker's claim lapses within the test.
    const settings = { JOB_EXPIRE_SECONDS: '3', PUBLIC_URL: BASE_URL }
    const doomed = await WorkerProcess.start(settings)
    workers.push(doomed)
    // Telegram receives the send but the worker dies before Telegram acts on it.
    fake.stallNext('sendMessage')
    fake.pushUpdate(token, textUpdate(ana, 'hello'))
    await until(
      () => callsTo(fake, token, 'sendMessage', ana.id).some((c) => c.stalled),
      20_000,
      'the send in flight'
    )
    await doomed.kill()
    const [reply] = await outbound(channel.id)
    assert.equal(reply.delivery_status, 'pending')
    assert.lengthOf(delivered(fake, token, ana.id), 0)

    const survivor = await WorkerProcess.start(settings)
    workers.push(survivor)
    await until(
      () => delivered(fake, token, ana.id).length === 1,
      30_000,
      'the reply after restart'
    )
    await sleep(3000)
    assert.lengthOf(delivered(fake, token, ana.id), 1)
    assert.deepEqual(
      fake.sentMessages(ana.id).map((m) => m.text),
      ['One reply only.']
    )
    assert.lengthOf(await inbound(channel.id), 1)
    assert.equal((await outbound(channel.id))[0].delivery_status, 'sent')
    await survivor.stop()
  }).timeout(90_000)

  test('two workers share the queue: every reply sent once, in order per chat', async ({
    client,
    assert,
  }) => {
    const { token, channel } = await channelForWorkers(client, { helpText: 'Help is here.' })
    const pair = [await WorkerProcess.start(), await WorkerProcess.start()]
    workers.push(...pair)
    const people = [customer('A'), customer('B'), customer('C'), customer('D')]
    for (const who of people) fake.addChat(token, who)
    const rounds = 5
    for (let round = 0; round < rounds; round++) {
      for (const who of people) fake.pushUpdate(token, commandUpdate(who, 'help', `#${round}`))
    }
    for (const who of people) {
      await until(() => delivered(fake, token, who.id).length >= rounds, 40_000, 'every answer')
    }
    await sleep(2000)
    for (const who of people) assert.lengthOf(delivered(fake, token, who.id), rounds)
    const replies = await outbound(channel.id)
    assert.lengthOf(replies, rounds * people.length)
    assert.isTrue(replies.every((m) => m.delivery_status === 'sent'))
    // Per chat, answers went out in the order they were queued.
    for (const who of people) {
      const sentIds = fake.sentMessages(who.id).map((m) => `${who.id}:${m.message_id}`)
      const queued = replies
        .filter((m) => sentIds.includes(m.external_id))
        .map((m) => m.external_id)
      assert.deepEqual(queued, sentIds)
    }
    for (const worker of pair) await worker.stop()
  }).timeout(90_000)
})
