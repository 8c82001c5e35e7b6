import { test } from '@japa/runner'
import { telegramChannel } from '#bots/telegram/adapter'
import { splitText, toMarkdownV2 } from '#bots/telegram/text'

const bot = { id: 1, is_bot: true, first_name: 'Desk', username: 'desk_bot' }
const from = { id: 42, is_bot: false, first_name: 'Ana', last_name: 'Silva', language_code: 'pt' }
const chat = { id: 42, type: 'private', first_name: 'Ana' }

function adapter() {
  return telegramChannel.create(7, {
    token: '1:AAAAAAAAAAAAAAAAAAAAAAAAAA',
    mode: 'webhook',
    webhookSecret: 's3cret',
    bot,
  }) as any
}

const message = (extra: Record<string, unknown>, id = 10) => ({
  update_id: 1000 + id,
  message: { message_id: id, date: 1_700_000_000, chat, from, ...extra },
})

test.group('Telegram: inbound updates become envelopes', () => {
  test('every message kind keeps its text and file reference', async ({ assert }) => {
    const a = adapter()
    const cases: Array<[Record<string, unknown>, string, string | undefined]> = [
      [{ text: 'hello' }, 'text', undefined],
      [
        {
          photo: [
            { file_id: 'small', width: 90, height: 90, file_unique_id: 's' },
            { file_id: 'big', width: 800, height: 600, file_unique_id: 'b' },
          ],
          caption: 'look',
        },
        'photo',
        'big',
      ],
      [
        {
          document: {
            file_id: 'doc',
            file_unique_id: 'd',
            file_name: 'a.pdf',
            mime_type: 'application/pdf',
          },
        },
        'document',
        'doc',
      ],
      [{ audio: { file_id: 'aud', file_unique_id: 'a', duration: 3 } }, 'audio', 'aud'],
      [{ voice: { file_id: 'voi', file_unique_id: 'v', duration: 2 } }, 'voice', 'voi'],
      [
        { video: { file_id: 'vid', file_unique_id: 'vi', width: 1, height: 1, duration: 1 } },
        'video',
        'vid',
      ],
      [
        { video_note: { file_id: 'vn', file_unique_id: 'n', length: 1, duration: 1 } },
        'video_note',
        'vn',
      ],
      [
        {
          sticker: {
            file_id: 'st',
            file_unique_id: 't',
            type: 'regular',
            width: 1,
            height: 1,
            is_animated: false,
            is_video: false,
            emoji: '👍',
          },
        },
        'sticker',
        'st',
      ],
      [{ location: { latitude: 38.7, longitude: -9.1 } }, 'location', undefined],
      [{ contact: { phone_number: '+351900000000', first_name: 'Rui' } }, 'contact', undefined],
    ]
    for (const [index, [extra, kind, ref]] of cases.entries()) {
      const [envelope] = await a.normalise(message(extra, index + 1))
      assert.equal(envelope.message.kind, kind, kind)
      assert.equal(envelope.message.externalId, `42:${index + 1}`)
      assert.equal(envelope.contact.externalId, '42')
      assert.equal(envelope.contact.name, 'Ana Silva')
      if (ref) assert.equal(envelope.message.attachments[0].ref, ref, kind)
      // A contact card is a phone number, not a file to fetch.
      if (kind === 'contact') {
        assert.equal(envelope.message.attachments[0].phone, '+351900000000')
        assert.isUndefined(envelope.message.attachments[0].ref)
      }
    }
  })

  test('commands, replies, edits and button presses', async ({ assert }) => {
    const a = adapter()
    const [command] = await a.normalise(
      message({
        text: '/human@desk_bot now',
        entities: [{ type: 'bot_command', offset: 0, length: 15 }],
      })
    )
    assert.deepEqual(command.message.command, { name: 'human', args: 'now' })

    const [reply] = await a.normalise(
      message(
        { text: 'this one', reply_to_message: { message_id: 3, date: 1, chat, text: 'x' } },
        20
      )
    )
    assert.equal(reply.message.replyToExternalId, '42:3')

    const [edit] = await a.normalise({
      update_id: 2000,
      edited_message: {
        message_id: 3,
        date: 1,
        edit_date: 1_700_000_100,
        chat,
        from,
        text: 'fixed',
      },
    })
    assert.deepEqual(edit.edit, {
      externalId: '42:3',
      text: 'fixed',
      editedAt: new Date(1_700_000_100_000),
    })

    const [press] = await a.normalise({
      update_id: 2001,
      callback_query: {
        id: 'cb1',
        from,
        chat_instance: 'x',
        data: 'yes',
        message: { message_id: 5, date: 1, chat, text: 'Ok?' },
      },
    })
    assert.deepEqual(press.callback, { id: 'cb1', data: 'yes', messageExternalId: '42:5' })
  })

  test('group messages are operators, not customers; the webhook secret is checked', async ({
    assert,
  }) => {
    const a = adapter()
    const [group] = await a.normalise({
      update_id: 3000,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: -100, type: 'supergroup', title: 'Ops', is_forum: true },
        message_thread_id: 77,
        is_topic_message: true,
        from,
        text: 'hi',
      },
    })
    assert.isUndefined(group.message)
    assert.deepEqual(group.workspace, {
      chatId: '-100',
      event: {
        eventId: '3000',
        user: { externalId: String(from.id), name: group.contact.name },
        threadId: '77',
        message: { externalId: '-100:1', text: 'hi', attachments: [] },
      },
    })
    // A topic's service message (no text) and other bots are nobody's words.
    const service = await a.normalise({
      update_id: 3001,
      message: {
        message_id: 2,
        date: 1,
        chat: { id: -100, type: 'supergroup', title: 'Ops', is_forum: true },
        from: { ...from, is_bot: true },
        text: 'posted by a bot',
      },
    })
    assert.lengthOf(service, 0)
    const wrong = await a.handleWebhook({
      headers: { 'x-telegram-bot-api-secret-token': 'nope' },
      body: message({ text: 'x' }),
    })
    assert.deepEqual([wrong.ok, wrong.status], [false, 401])
    const right = await a.handleWebhook({
      headers: { 'x-telegram-bot-api-secret-token': 's3cret' },
      body: message({ text: 'x' }),
    })
    assert.isTrue(right.ok)
    assert.lengthOf(right.envelopes, 1)
  })
})

test.group('Telegram: outbound text', () => {
  test('long text splits at the best boundary, never above the limit', ({ assert }) => {
    const paragraph = 'word '.repeat(500).trim()
    const parts = splitText(`${paragraph}\n\n${paragraph}`, 4096)
    assert.lengthOf(parts, 2)
    assert.equal(parts[0], paragraph)
    const hard = splitText('x'.repeat(9000), 4096)
    assert.deepEqual(
      hard.map((p) => p.length),
      [4096, 4096, 808]
    )
    const emoji = splitText(`${'a'.repeat(4095)}😀b`, 4096)
    assert.equal(emoji[0].length, 4095)
    assert.equal(emoji.join(''), `${'a'.repeat(4095)}😀b`)
  })

  test('Markdown becomes MarkdownV2 with every reserved character escaped', ({ assert }) => {
    assert.equal(toMarkdownV2('Price: 5.00 (incl. tax)!'), 'Price: 5\\.00 \\(incl\\. tax\\)\\!')
    assert.equal(
      toMarkdownV2('**Done** - see [docs](https://x.io/a_b)'),
      '*Done* \\- see [docs](https://x.io/a_b)'
    )
    // Underscores inside words stay literal; _this_ is emphasis.
    assert.equal(toMarkdownV2('set file_name and max_size'), 'set file\\_name and max\\_size')
    assert.equal(toMarkdownV2('it is _really_ done'), 'it is _really_ done')
  })
})
