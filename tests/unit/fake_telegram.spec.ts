import { test } from '@japa/runner'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Bot, GrammyError, InputFile } from 'grammy'
import type { Message, Update } from 'grammy/types'
import {
  FakeTelegram,
  callbackQueryUpdate,
  commandUpdate,
  photoUpdate,
  textUpdate,
  type FakeUser,
} from '#bots/testing/fake_telegram'

const TOKEN = '123456:AAFakeTokenForTests'
const alice: FakeUser = { id: 1001, first_name: 'Alice', username: 'alice' }
const bob: FakeUser = { id: 1002, first_name: 'Bob' }

/** The GrammyError a call fails with (and a test failure when it does not fail). */
async function apiError(call: Promise<unknown>): Promise<GrammyError> {
  try {
    await call
  } catch (error) {
    if (error instanceof GrammyError) return error
    throw error
  }
  throw new Error('Expected the Bot API call to fail')
}

interface Received {
  headers: IncomingHttpHeaders
  update: Update
}

/** A webhook endpoint on 127.0.0.1 answering each request with the status `answer` picks. */
async function webhookReceiver(
  answer: (update: Update, index: number) => Promise<number> | number
) {
  const received: Received[] = []
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update
    received.push({ headers: request.headers, update })
    response.statusCode = await answer(update, received.length - 1)
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

test.group('FakeTelegram with the grammY client', (group) => {
  let fake: FakeTelegram
  let bot: Bot

  group.each.setup(async () => {
    fake = await FakeTelegram.start({ webhookRetryDelayMs: 20 })
    fake.addBot(TOKEN, { username: 'switchboard_test_bot', first_name: 'Switchboard' })
    fake.addChat(TOKEN, alice)
    fake.addChat(TOKEN, bob)
    bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } })
    return () => fake.stop()
  })

  test('getMe answers with the registered bot, its id taken from the token', async ({ assert }) => {
    const me = await bot.api.getMe()
    assert.equal(me.id, 123456)
    assert.isTrue(me.is_bot)
    assert.equal(me.username, 'switchboard_test_bot')
    assert.equal(me.first_name, 'Switchboard')
    await bot.init()
    assert.equal(bot.botInfo.id, 123456)
  })

  test('unknown tokens get 401, unknown methods 404, method names ignore case', async ({
    assert,
  }) => {
    const stranger = new Bot('999:unknown', { client: { apiRoot: fake.apiRoot } })
    const unauthorized = await apiError(stranger.api.getMe())
    assert.equal(unauthorized.error_code, 401)
    assert.equal(unauthorized.description, 'Unauthorized')

    const missing = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendTelepathy`, { method: 'POST' })
    assert.equal(missing.status, 404)
    assert.deepEqual(await missing.json(), {
      ok: false,
      error_code: 404,
      description: 'Not Found',
    })

    // Query-string parameters, GET and any letter case, as Telegram accepts.
    const viaQuery = await fetch(`${fake.apiRoot}/bot${TOKEN}/SENDMESSAGE?chat_id=1001&text=hi`)
    const body = (await viaQuery.json()) as { ok: boolean; result: Message }
    assert.isTrue(body.ok)
    assert.equal(body.result.text, 'hi')
    assert.equal(fake.callsOf('sendMessage')[0].params.chat_id, 1001)
  })

  test('sendMessage is recorded with decoded params and answers with a full Message', async ({
    assert,
  }) => {
    const keyboard = { inline_keyboard: [[{ text: 'Resolved', callback_data: 'resolve:7' }]] }
    const first = await bot.api.sendMessage(alice.id, 'Hello Alice', { reply_markup: keyboard })
    const second = await bot.api.sendMessage(alice.id, 'Still there?', {
      reply_parameters: { message_id: first.message_id },
    })

    assert.equal(first.chat.id, alice.id)
    assert.equal(first.chat.type, 'private')
    assert.deepInclude(first.from, { id: 123456, is_bot: true, username: 'switchboard_test_bot' })
    assert.closeTo(first.date, Date.now() / 1000, 5)
    assert.equal(first.text, 'Hello Alice')
    assert.deepEqual(first.reply_markup, keyboard)
    assert.equal(second.message_id, first.message_id + 1)
    assert.equal(second.reply_to_message?.message_id, first.message_id)

    const [call] = fake.callsOf('sendMessage')
    assert.deepEqual(call.params, {
      chat_id: alice.id,
      text: 'Hello Alice',
      reply_markup: keyboard,
    })
    assert.equal(call.status, 200)
    assert.deepEqual(
      fake.sentMessages(alice.id).map((message) => message.text),
      ['Hello Alice', 'Still there?']
    )

    const unknownChat = await apiError(bot.api.sendMessage(555, 'Anyone?'))
    assert.equal(unknownChat.description, 'Bad Request: chat not found')
    const badReply = await apiError(
      bot.api.sendMessage(alice.id, 'Re', { reply_parameters: { message_id: 9999 } })
    )
    assert.equal(badReply.description, 'Bad Request: message to be replied not found')
  })

  test('text must be 1 to 4096 characters', async ({ assert }) => {
    const longest = await bot.api.sendMessage(alice.id, 'a'.repeat(4096))
    assert.lengthOf(longest.text!, 4096)

    const tooLong = await apiError(bot.api.sendMessage(alice.id, 'a'.repeat(4097)))
    assert.equal(tooLong.error_code, 400)
    assert.equal(tooLong.description, 'Bad Request: message is too long')
    assert.equal(fake.callsOf('sendMessage')[1].status, 400)

    const blank = await apiError(bot.api.sendMessage(alice.id, ' \n '))
    assert.equal(blank.description, 'Bad Request: message text is empty')
  })

  test('MarkdownV2 rejects unescaped reserved characters and parses escaped text', async ({
    assert,
  }) => {
    const unescaped = await apiError(
      bot.api.sendMessage(alice.id, 'Ticket closed.', { parse_mode: 'MarkdownV2' })
    )
    assert.equal(unescaped.error_code, 400)
    assert.equal(
      unescaped.description,
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
    )

    const unclosed = await apiError(
      bot.api.sendMessage(alice.id, 'x *bold', { parse_mode: 'MarkdownV2' })
    )
    assert.equal(
      unclosed.description,
      "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 2"
    )

    const sent = await bot.api.sendMessage(alice.id, '*Ticket* \\#42 is _closed_\\.', {
      parse_mode: 'MarkdownV2',
    })
    assert.equal(sent.text, 'Ticket #42 is closed.')
    assert.deepEqual(sent.entities, [
      { type: 'bold', offset: 0, length: 6 },
      { type: 'italic', offset: 14, length: 6 },
    ])
  })

  test('HTML turns supported tags into entities and rejects unknown or unclosed tags', async ({
    assert,
  }) => {
    const sent = await bot.api.sendMessage(
      alice.id,
      '<b>Hi</b> see <a href="https://example.com/docs">docs</a> &amp; reply',
      { parse_mode: 'HTML' }
    )
    assert.equal(sent.text, 'Hi see docs & reply')
    assert.deepEqual(sent.entities, [
      { type: 'bold', offset: 0, length: 2 },
      { type: 'text_link', offset: 7, length: 4, url: 'https://example.com/docs' },
    ])

    const unknown = await apiError(
      bot.api.sendMessage(alice.id, '<div>x</div>', { parse_mode: 'HTML' })
    )
    assert.equal(
      unknown.description,
      'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0'
    )
    const unclosed = await apiError(
      bot.api.sendMessage(alice.id, '<b>open', { parse_mode: 'HTML' })
    )
    assert.equal(
      unclosed.description,
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'
    )
  })

  test('failNext: a 429 carries parameters.retry_after; 5xx fail; then calls succeed', async ({
    assert,
  }) => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 7 })
    const limited = await apiError(bot.api.sendMessage(alice.id, 'one'))
    assert.equal(limited.error_code, 429)
    assert.equal(limited.description, 'Too Many Requests: retry after 7')
    assert.equal(limited.parameters.retry_after, 7)

    fake.failNext('*', { status: 502 }, 2)
    assert.equal((await apiError(bot.api.getMe())).error_code, 502)
    assert.equal((await apiError(bot.api.sendMessage(alice.id, 'two'))).description, 'Bad Gateway')

    await bot.api.sendMessage(alice.id, 'three')
    assert.deepEqual(
      fake.calls.map((call) => [call.method, call.status]),
      [
        ['sendMessage', 429],
        ['getMe', 502],
        ['sendMessage', 502],
        ['sendMessage', 200],
      ]
    )
    assert.deepEqual(
      fake.sentMessages().map((message) => message.text),
      ['three']
    )
  })

  test('stallNext: the call hangs, does nothing, and is dropped when the caller leaves', async ({
    assert,
  }) => {
    fake.stallNext('sendMessage')
    const caller = new AbortController()
    const hanging = bot.api.sendMessage(alice.id, 'never', undefined, caller.signal as never)
    await fake.waitForCalls('sendMessage', 0)
    await sleep(200)
    const [held] = fake.callsOf('sendMessage')
    assert.isTrue(held.stalled)
    assert.isUndefined(held.status)
    caller.abort()
    await assert.rejects(() => hanging)
    await bot.api.sendMessage(alice.id, 'next')
    assert.deepEqual(
      fake.sentMessages().map((message) => message.text),
      ['next']
    )
  })

  test('rateLimit answers 429 with the seconds left until the moment passes', async ({
    assert,
  }) => {
    const untilMs = Date.now() + 400
    fake.rateLimit('sendMessage', { untilMs, chatId: alice.id })

    // A client honouring retry_after, like grammY's auto-retry.
    let delivered: Message | undefined
    while (!delivered) {
      try {
        delivered = await bot.api.sendMessage(alice.id, 'after the storm')
      } catch (error) {
        assert.instanceOf(error, GrammyError)
        const retryAfter = (error as GrammyError).parameters.retry_after!
        const call = fake.callsOf('sendMessage').at(-1)!
        assert.equal(retryAfter, Math.ceil((untilMs - call.at) / 1000))
        await sleep(retryAfter * 1000)
      }
    }

    // Other chats are not under this storm.
    await bot.api.sendMessage(bob.id, 'unaffected')
    const calls = fake.callsOf('sendMessage').filter((call) => call.params.chat_id === alice.id)
    const refused = calls.filter((call) => call.status === 429)
    const accepted = calls.filter((call) => call.status === 200)
    assert.isAtLeast(refused.length, 1)
    assert.isTrue(refused.every((call) => call.at < untilMs))
    assert.lengthOf(accepted, 1)
    assert.isAtLeast(accepted[0].at, untilMs)
    assert.lengthOf(fake.sentMessages(alice.id), 1)
  })

  test('a user who blocked the bot answers 403', async ({ assert }) => {
    fake.blockUser(TOKEN, alice.id)
    const blocked = await apiError(bot.api.sendMessage(alice.id, 'Are you there?'))
    assert.equal(blocked.error_code, 403)
    assert.equal(blocked.description, 'Forbidden: bot was blocked by the user')
    const upload = await apiError(
      bot.api.sendDocument(alice.id, new InputFile(Buffer.from('x'), 'a.txt'))
    )
    assert.equal(upload.error_code, 403)

    fake.unblockUser(TOKEN, alice.id)
    await bot.api.sendMessage(alice.id, 'Welcome back')
    assert.lengthOf(fake.sentMessages(alice.id), 1)
  })

  test('getUpdates long-polls until an update is pushed; offset confirms it', async ({
    assert,
  }) => {
    const started = Date.now()
    const poll = bot.api.getUpdates({ timeout: 5 })
    await sleep(50)
    const updateId = fake.pushUpdate(TOKEN, textUpdate(alice, 'I need help'))

    const updates = await poll
    assert.isBelow(Date.now() - started, 2000)
    assert.lengthOf(updates, 1)
    assert.equal(updates[0].update_id, updateId)
    assert.equal(updates[0].message?.text, 'I need help')
    assert.deepInclude(updates[0].message?.from, { id: alice.id, is_bot: false })

    // Unconfirmed updates come again; offset = last id + 1 confirms them.
    assert.lengthOf(await bot.api.getUpdates({ timeout: 0 }), 1)
    assert.deepEqual(await bot.api.getUpdates({ offset: updateId + 1, timeout: 0 }), [])
    assert.lengthOf(fake.pendingUpdates(TOKEN), 0)
  })

  test('a polling grammY bot receives /start with its payload and replies', async ({ assert }) => {
    bot.command('start', (ctx) => ctx.reply(`Welcome, ${ctx.from?.first_name} (${ctx.match})`))
    const polling = bot.start()
    fake.pushUpdate(TOKEN, commandUpdate(alice, '/start', 'ref42'))

    const [reply] = await fake.waitForCalls('sendMessage')
    await bot.stop()
    await polling
    assert.deepInclude(reply.params, { chat_id: alice.id, text: 'Welcome, Alice (ref42)' })
    // bot.stop() confirmed the handled update.
    assert.lengthOf(fake.pendingUpdates(TOKEN), 0)
  })

  test('getUpdates answers 409 while a webhook is set', async ({ assert }) => {
    await bot.api.setWebhook('https://bots.example.com/telegram')
    const conflict = await apiError(bot.api.getUpdates())
    assert.equal(conflict.error_code, 409)
    assert.equal(
      conflict.description,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    )
    assert.equal((await bot.api.getWebhookInfo()).url, 'https://bots.example.com/telegram')

    await bot.api.deleteWebhook()
    assert.deepEqual(await bot.api.getUpdates(), [])
  })

  test('webhook deliveries carry the secret header and retry the same update until 2xx', async ({
    assert,
    cleanup,
  }) => {
    const receiver = await webhookReceiver((_update, index) => (index < 2 ? 500 : 200))
    cleanup(() => receiver.close())
    await bot.api.setWebhook(receiver.url, { secret_token: 'hook-secret_1' })

    const first = fake.pushUpdate(TOKEN, textUpdate(alice, 'first'))
    const second = fake.pushUpdate(TOKEN, textUpdate(alice, 'second'))
    const deliveries = await fake.waitForDeliveries(4)

    assert.deepEqual(
      deliveries.map((delivery) => [delivery.updateId, delivery.status]),
      [
        [first, 500],
        [first, 500],
        [first, 200],
        [second, 200],
      ]
    )
    assert.deepEqual(
      receiver.received.map((request) => request.update.update_id),
      [first, first, first, second]
    )
    for (const request of receiver.received) {
      assert.equal(request.headers['x-telegram-bot-api-secret-token'], 'hook-secret_1')
      assert.equal(request.headers['content-type'], 'application/json')
    }
    const info = await bot.api.getWebhookInfo()
    assert.equal(info.pending_update_count, 0)
    assert.equal(
      info.last_error_message,
      'Wrong response from the webhook: 500 Internal Server Error'
    )
  })

  test('a webhook that keeps failing gets webhookMaxAttempts tries per update', async ({
    assert,
    cleanup,
  }) => {
    fake.webhookMaxAttempts = 3
    const receiver = await webhookReceiver((update) =>
      update.message?.text === 'doomed' ? 503 : 200
    )
    cleanup(() => receiver.close())
    await bot.api.setWebhook(receiver.url)

    const doomed = fake.pushUpdate(TOKEN, textUpdate(alice, 'doomed'))
    const next = fake.pushUpdate(TOKEN, textUpdate(alice, 'next'))
    const deliveries = await fake.waitForDeliveries(4)
    assert.deepEqual(
      deliveries.map((delivery) => [delivery.updateId, delivery.status]),
      [
        [doomed, 503],
        [doomed, 503],
        [doomed, 503],
        [next, 200],
      ]
    )
  })

  test('deliverUpdateConcurrently posts one update_id several times at once', async ({
    assert,
    cleanup,
  }) => {
    let open = 0
    let mostOpen = 0
    const receiver = await webhookReceiver(async () => {
      open++
      mostOpen = Math.max(mostOpen, open)
      await sleep(50)
      open--
      return 200
    })
    cleanup(() => receiver.close())
    await bot.api.setWebhook(receiver.url)

    const statuses = await fake.deliverUpdateConcurrently(TOKEN, textUpdate(alice, 'dup'), 3)
    assert.deepEqual(statuses, [200, 200, 200])
    const ids = new Set(receiver.received.map((request) => request.update.update_id))
    assert.lengthOf(receiver.received, 3)
    assert.equal(ids.size, 1)
    assert.isAbove(mostOpen, 1)
  })

  test('sendDocument uploads are recorded with filename and size and download back', async ({
    assert,
  }) => {
    const bytes = Buffer.from('%PDF-1.4 monthly report')
    const sent = await bot.api.sendDocument(alice.id, new InputFile(bytes, 'monthly report.pdf'), {
      caption: 'Your report',
    })

    const [call] = fake.callsOf('sendDocument')
    assert.deepEqual(call.params.document, {
      filename: 'monthly report.pdf',
      size: bytes.length,
      type: 'application/octet-stream',
    })
    assert.equal(call.params.chat_id, alice.id)
    assert.equal(call.params.caption, 'Your report')
    assert.equal(sent.caption, 'Your report')
    assert.deepInclude(sent.document, {
      file_name: 'monthly report.pdf',
      mime_type: 'application/pdf',
      file_size: bytes.length,
    })

    const file = await bot.api.getFile(sent.document!.file_id)
    const download = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`)
    assert.equal(download.status, 200)
    assert.isTrue(Buffer.from(await download.arrayBuffer()).equals(bytes))

    const tooLong = await apiError(
      bot.api.sendDocument(alice.id, new InputFile(bytes, 'r.pdf'), { caption: 'c'.repeat(1025) })
    )
    assert.equal(tooLong.description, 'Bad Request: message caption is too long')
  })

  test('getFile and the download route serve files an inbound photo refers to', async ({
    assert,
  }) => {
    const small = fake.addFile(TOKEN, { bytes: Buffer.from('small-jpeg'), mime: 'image/jpeg' })
    const large = fake.addFile(TOKEN, {
      bytes: Buffer.from('large-jpeg-bytes'),
      mime: 'image/jpeg',
    })
    const update = photoUpdate(alice, [small, large], 'screenshot')
    const photo = update.message!.photo!
    assert.isBelow(photo[0].width, photo[1].width)
    assert.equal(update.message!.caption, 'screenshot')

    const file = await bot.api.getFile(photo.at(-1)!.file_id)
    assert.equal(file.file_id, large.file_id)
    assert.equal(file.file_size, 16)
    assert.match(file.file_path!, /\.jpg$/)
    const download = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/${file.file_path}`)
    assert.equal(download.headers.get('content-type'), 'image/jpeg')
    assert.equal(Buffer.from(await download.arrayBuffer()).toString(), 'large-jpeg-bytes')

    const invalid = await apiError(bot.api.getFile('no-such-file'))
    assert.equal(invalid.description, 'Bad Request: invalid file_id')
    const missing = await fetch(`${fake.apiRoot}/file/bot${TOKEN}/documents/nope.pdf`)
    assert.equal(missing.status, 404)
  })

  test('createForumTopic works in a forum supergroup and nowhere else', async ({ assert }) => {
    const forumId = -1001234567890
    fake.addForumChat(TOKEN, forumId)
    const topic = await bot.api.createForumTopic(forumId, 'Ticket #42')
    assert.equal(topic.name, 'Ticket #42')
    assert.equal(topic.icon_color, 7322096)
    assert.isAbove(topic.message_thread_id, 0)

    const inTopic = await bot.api.sendMessage(forumId, 'Opened', {
      message_thread_id: topic.message_thread_id,
    })
    assert.equal(inTopic.message_thread_id, topic.message_thread_id)
    assert.isTrue(inTopic.is_topic_message)
    const noThread = await apiError(
      bot.api.sendMessage(forumId, 'Lost', { message_thread_id: topic.message_thread_id + 100 })
    )
    assert.equal(noThread.description, 'Bad Request: message thread not found')

    fake.addChat(TOKEN, { id: -1009876543210, type: 'supergroup', title: 'Plain group' })
    const notForum = await apiError(bot.api.createForumTopic(-1009876543210, 'Ticket #43'))
    assert.equal(notForum.error_code, 400)
    assert.equal(notForum.description, 'Bad Request: the chat is not a forum')
  })

  test('setMyCommands validates names and descriptions per scope and language', async ({
    assert,
  }) => {
    const upper = await apiError(bot.api.setMyCommands([{ command: 'Start', description: 'Go' }]))
    assert.equal(upper.description, 'Bad Request: BOT_COMMAND_INVALID')
    const long = await apiError(
      bot.api.setMyCommands([{ command: 'a'.repeat(33), description: 'Too long a name' }])
    )
    assert.equal(long.error_code, 400)
    const empty = await apiError(bot.api.setMyCommands([{ command: 'help', description: '' }]))
    assert.equal(empty.description, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID')

    const commands = [
      { command: 'start', description: 'Open a conversation' },
      { command: 'new_ticket', description: 'Report a problem' },
    ]
    assert.isTrue(await bot.api.setMyCommands(commands))
    assert.isTrue(
      await bot.api.setMyCommands([{ command: 'start', description: 'Gesprach' }], {
        language_code: 'de',
      })
    )
    assert.deepEqual(await bot.api.getMyCommands(), commands)
    assert.deepEqual(await bot.api.getMyCommands({ language_code: 'de' }), [
      { command: 'start', description: 'Gesprach' },
    ])
    await bot.api.deleteMyCommands()
    assert.deepEqual(await bot.api.getMyCommands(), [])
  })

  test('editMessageText refuses unchanged content; a callback query is answered once', async ({
    assert,
  }) => {
    const sent = await bot.api.sendMessage(alice.id, 'Status: open')
    const same = await apiError(bot.api.editMessageText(alice.id, sent.message_id, 'Status: open'))
    assert.match(same.description, /^Bad Request: message is not modified/)
    const edited = await bot.api.editMessageText(alice.id, sent.message_id, 'Status: closed')
    assert.isObject(edited)
    assert.deepEqual(
      fake.sentMessages(alice.id).map((message) => message.text),
      ['Status: closed']
    )

    fake.pushUpdate(TOKEN, callbackQueryUpdate(alice, 'reopen', sent))
    const [update] = await bot.api.getUpdates()
    const queryId = update.callback_query!.id
    assert.isTrue(await bot.api.answerCallbackQuery(queryId, { text: 'Reopened' }))
    const again = await apiError(bot.api.answerCallbackQuery(queryId))
    assert.equal(
      again.description,
      'Bad Request: query is too old and response timeout expired or query ID is invalid'
    )
  })

  test('getChat and getChatMember describe known chats and configured members', async ({
    assert,
  }) => {
    const chat = await bot.api.getChat(alice.id)
    assert.deepInclude(chat, { id: alice.id, type: 'private', first_name: 'Alice' })

    const groupId = -1005550001
    fake.addChat(TOKEN, { id: groupId, type: 'supergroup', title: 'Customers' })
    assert.equal((await bot.api.getChatMember(groupId, alice.id)).status, 'member')
    fake.setChatMember(TOKEN, groupId, alice.id, 'administrator')
    const admin = await bot.api.getChatMember(groupId, alice.id)
    assert.equal(admin.status, 'administrator')
    assert.equal(admin.user.first_name, 'Alice')

    // A bot removed from a group can no longer post there.
    fake.setChatMember(TOKEN, groupId, 123456, 'kicked')
    const kicked = await apiError(bot.api.sendMessage(groupId, 'Hello'))
    assert.equal(kicked.error_code, 403)
    assert.equal(kicked.description, 'Forbidden: bot was kicked from the supergroup chat')
  })
})

test.group('FakeTelegram shutdown', () => {
  test('stop() answers an open long poll', async ({ assert }) => {
    const fake = await FakeTelegram.start()
    fake.addBot(TOKEN)
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } })
    const started = Date.now()
    const poll = bot.api.getUpdates({ timeout: 30 })
    await sleep(50)
    await fake.stop()
    assert.deepEqual(await poll, [])
    assert.isBelow(Date.now() - started, 3000)
  })
})
