import { test } from '@japa/runner'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
// Bolt re-exports the @slack/web-api it runs on; the WebClient here is that very class.
import { isValidSlackRequest, verifySlackRequest, webApi } from '@slack/bolt'
import {
  FakeSlack,
  blockActions,
  botMessageEvent,
  eventCallback,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  signSlackRequest,
  slackRequest,
  slashCommand,
  urlVerification,
  type SlackMessage,
} from '#bots/testing/fake_slack'

const { WebClient, ErrorCode, LogLevel } = webApi
type WebClient = InstanceType<typeof webApi.WebClient>

const TOKEN = 'xoxb-1111-2222-fakebottoken'
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'

/** The error a Web API call rejects with (and a test failure when it does not reject). */
async function callError(call: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await call
  } catch (error) {
    return error as Error & Record<string, any>
  }
  throw new Error('Expected the Web API call to fail')
}

async function platformError(call: Promise<unknown>): Promise<string> {
  const error = await callError(call)
  if (error.code !== ErrorCode.PlatformError) throw error
  return error.data.error as string
}

test.group('FakeSlack with the real WebClient', (group) => {
  let fake: FakeSlack
  let client: WebClient

  group.each.setup(async () => {
    fake = await FakeSlack.start()
    fake.addWorkspace({
      token: TOKEN,
      teamId: 'T0TEAM0001',
      teamName: 'Acme Support',
      domain: 'acme',
      botUserId: 'U0BOT00001',
      botId: 'B0BOT00001',
    })
    fake.addChannel({ id: 'C0SUPPORT1', name: 'support' })
    fake.addChannel({ id: 'C0OUTSIDE1', name: 'random', isMember: false })
    fake.addUser({ id: 'U0ALICE001', name: 'alice', realName: 'Alice Liddell', email: 'a@x.io' })
    fake.addUser({ id: 'U0BOB00001', name: 'bob' })
    client = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    })
    return () => fake.stop()
  })

  test('apiUrl ends in /api/ and auth.test names the bot and its workspace', async ({ assert }) => {
    assert.match(fake.apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/$/)
    const result = await client.auth.test()
    assert.include(result, {
      ok: true,
      url: 'https://acme.slack.com/',
      team: 'Acme Support',
      user: 'switchboard',
      team_id: 'T0TEAM0001',
      user_id: 'U0BOT00001',
      bot_id: 'B0BOT00001',
    })
    const [call] = fake.callsOf('auth.test')
    assert.equal(call.token, TOKEN)
    assert.equal(call.status, 200)
  })

  test('chat.postMessage into a thread stores the reply and updates its parent', async ({
    assert,
  }) => {
    const parent = fake.addMessage('C0SUPPORT1', { user: 'U0ALICE001', text: 'My order is late' })
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*On it*' } }]
    const reply = await client.chat.postMessage({
      channel: 'C0SUPPORT1',
      text: 'On it',
      blocks,
      thread_ts: parent.ts,
      unfurl_links: false,
    })

    assert.equal(reply.channel, 'C0SUPPORT1')
    assert.match(reply.ts!, /^\d{10}\.\d{6}$/)
    assert.isTrue(reply.ts! > parent.ts)
    assert.include(reply.message, {
      type: 'message',
      text: 'On it',
      user: 'U0BOT00001',
      bot_id: 'B0BOT00001',
      thread_ts: parent.ts,
      parent_user_id: 'U0ALICE001',
    })
    assert.deepEqual(reply.message?.blocks, blocks)

    const thread = fake.messages('C0SUPPORT1', parent.ts)
    assert.deepEqual(
      thread.map((m) => m.text),
      ['My order is late', 'On it']
    )
    assert.include(thread[0], { reply_count: 1, latest_reply: reply.ts, thread_ts: parent.ts })
    assert.deepEqual(thread[0].reply_users, ['U0BOT00001'])
    // The channel view holds only top-level messages, as conversations.history does.
    assert.deepEqual(
      fake.messages('C0SUPPORT1').map((m) => m.ts),
      [parent.ts]
    )

    // WebClient sends arrays as JSON strings in a form body; the fake records them parsed.
    const [call] = fake.callsOf('chat.postMessage')
    assert.deepEqual(call.params.blocks, blocks)
    assert.equal(call.params.unfurl_links, 'false')
    assert.notProperty(call.params, 'token')

    const history = await client.conversations.replies({ channel: 'C0SUPPORT1', ts: parent.ts })
    assert.lengthOf(history.messages!, 2)
  })

  test('chat.postMessage answers Slack’s error codes', async ({ assert }) => {
    assert.equal(
      await platformError(client.chat.postMessage({ channel: 'C0NOWHERE1', text: 'hi' })),
      'channel_not_found'
    )
    assert.equal(
      await platformError(client.chat.postMessage({ channel: 'C0OUTSIDE1', text: 'hi' })),
      'not_in_channel'
    )
    assert.equal(
      await platformError(client.chat.postMessage({ channel: 'C0SUPPORT1', text: '' })),
      'no_text'
    )
    assert.equal(
      await platformError(
        client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'x'.repeat(40_001) })
      ),
      'msg_too_long'
    )
    assert.deepEqual(fake.messages('C0SUPPORT1'), [])
    assert.deepEqual(
      fake.callsOf('chat.postMessage').map((call) => call.error),
      ['channel_not_found', 'not_in_channel', 'no_text', 'msg_too_long']
    )

    // A #name and a user ID (their direct message) both resolve, as in Slack.
    const byName = await client.chat.postMessage({ channel: '#support', text: 'by name' })
    assert.equal(byName.channel, 'C0SUPPORT1')
    const direct = await client.chat.postMessage({ channel: 'U0ALICE001', text: 'hello' })
    assert.match(direct.channel!, /^D/)
    const info = await client.conversations.info({ channel: direct.channel! })
    assert.include(info.channel, { is_im: true, user: 'U0ALICE001' })
  })

  test('chat.update edits the bot’s own message only', async ({ assert }) => {
    const posted = await client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'Draft' })
    const updated = await client.chat.update({
      channel: 'C0SUPPORT1',
      ts: posted.ts!,
      text: 'Final',
    })
    assert.include(updated, { ok: true, channel: 'C0SUPPORT1', ts: posted.ts, text: 'Final' })
    assert.equal(updated.message?.text, 'Final')

    const [stored] = fake.messages('C0SUPPORT1')
    assert.equal(stored.text, 'Final')
    assert.equal(stored.edited?.user, 'U0BOT00001')

    const theirs = fake.addMessage('C0SUPPORT1', { user: 'U0ALICE001', text: 'mine' })
    assert.equal(
      await platformError(client.chat.update({ channel: 'C0SUPPORT1', ts: theirs.ts, text: 'x' })),
      'cant_update_message'
    )
    assert.equal(
      await platformError(client.chat.update({ channel: 'C0SUPPORT1', ts: '1.000001', text: 'x' })),
      'message_not_found'
    )
  })

  test('chat.delete removes the message; a thread parent leaves a tombstone', async ({
    assert,
  }) => {
    const lone = await client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'Oops' })
    const deleted = await client.chat.delete({ channel: 'C0SUPPORT1', ts: lone.ts! })
    assert.include(deleted, { ok: true, channel: 'C0SUPPORT1', ts: lone.ts })
    assert.deepEqual(fake.messages('C0SUPPORT1'), [])
    assert.equal(
      await platformError(client.chat.delete({ channel: 'C0SUPPORT1', ts: lone.ts! })),
      'message_not_found'
    )

    const parent = await client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'Ticket #7' })
    const reply = await client.chat.postMessage({
      channel: 'C0SUPPORT1',
      text: 'note',
      thread_ts: parent.ts,
    })
    await client.chat.delete({ channel: 'C0SUPPORT1', ts: parent.ts! })
    const thread = fake.messages('C0SUPPORT1', parent.ts)
    assert.deepEqual(
      thread.map((m) => [m.subtype, m.text]),
      [
        ['tombstone', 'This message was deleted.'],
        [undefined, 'note'],
      ]
    )
    await client.chat.delete({ channel: 'C0SUPPORT1', ts: reply.ts! })
    assert.deepEqual(fake.messages('C0SUPPORT1', parent.ts), [])

    const theirs = fake.addMessage('C0SUPPORT1', { user: 'U0ALICE001', text: 'mine' })
    assert.equal(
      await platformError(client.chat.delete({ channel: 'C0SUPPORT1', ts: theirs.ts })),
      'cant_delete_message'
    )
  })

  test('chat.postEphemeral stores a message only one user sees', async ({ assert }) => {
    const result = await client.chat.postEphemeral({
      channel: 'C0SUPPORT1',
      user: 'U0ALICE001',
      text: 'Only you can see this',
      thread_ts: '1700000000.000100',
    })
    assert.match(result.message_ts!, /^\d+\.\d{6}$/)
    assert.deepEqual(fake.ephemerals('C0SUPPORT1'), [
      {
        channel: 'C0SUPPORT1',
        user: 'U0ALICE001',
        ts: result.message_ts!,
        text: 'Only you can see this',
        thread_ts: '1700000000.000100',
      },
    ])
    assert.deepEqual(fake.messages('C0SUPPORT1'), [])
    assert.equal(
      await platformError(
        client.chat.postEphemeral({ channel: 'C0SUPPORT1', user: 'U0NOBODY01', text: 'hi' })
      ),
      'user_not_in_channel'
    )
  })

  test('users.info gives the profile email only when the user has one', async ({ assert }) => {
    const alice = await client.users.info({ user: 'U0ALICE001' })
    assert.include(alice.user, {
      id: 'U0ALICE001',
      team_id: 'T0TEAM0001',
      name: 'alice',
      real_name: 'Alice Liddell',
      is_bot: false,
    })
    assert.include(alice.user?.profile, {
      real_name: 'Alice Liddell',
      display_name: 'alice',
      email: 'a@x.io',
    })

    const bob = await client.users.info({ user: 'U0BOB00001' })
    assert.notProperty(bob.user?.profile, 'email')

    const self = await client.users.info({ user: 'U0BOT00001' })
    assert.isTrue(self.user?.is_bot)
    assert.equal(self.user?.profile?.bot_id, 'B0BOT00001')

    assert.equal(await platformError(client.users.info({ user: 'U0NOBODY01' })), 'user_not_found')
  })

  test('conversations.info describes channels the bot can see', async ({ assert }) => {
    const support = await client.conversations.info({ channel: 'C0SUPPORT1' })
    assert.include(support.channel, {
      id: 'C0SUPPORT1',
      name: 'support',
      is_channel: true,
      is_private: false,
      is_member: true,
      is_archived: false,
    })
    const outside = await client.conversations.info({ channel: 'C0OUTSIDE1' })
    assert.isFalse(outside.channel?.is_member)

    fake.addChannel({ id: 'C0SECRET01', name: 'secret', isPrivate: true, isMember: false })
    assert.equal(
      await platformError(client.conversations.info({ channel: 'C0SECRET01' })),
      'channel_not_found'
    )
    assert.equal(
      await platformError(client.conversations.info({ channel: 'C0NOWHERE1' })),
      'channel_not_found'
    )
  })

  test('filesUploadV2 stores the bytes and shares the file in the thread', async ({ assert }) => {
    const parent = fake.addMessage('C0SUPPORT1', { user: 'U0ALICE001', text: 'Send the log?' })
    const bytes = Buffer.from('line one\nline two\n')
    const result = await client.filesUploadV2({
      channel_id: 'C0SUPPORT1',
      thread_ts: parent.ts,
      file: bytes,
      filename: 'app.log',
      initial_comment: 'Here it is',
    })

    // The three steps WebClient takes, the middle one outside the Web API.
    assert.lengthOf(fake.callsOf('files.getUploadURLExternal'), 1)
    assert.include(fake.callsOf('files.getUploadURLExternal')[0].params, {
      filename: 'app.log',
      length: String(bytes.length),
    })
    // WebClient posts the bytes as a multipart part named "body", filename "Untitled".
    assert.lengthOf(fake.uploads, 1)
    assert.match(fake.uploads[0].contentType, /^multipart\/form-data; boundary=/)
    assert.equal(fake.uploads[0].size, bytes.length)
    const [complete] = fake.callsOf('files.completeUploadExternal')
    assert.include(complete.params, { channel_id: 'C0SUPPORT1', thread_ts: parent.ts })

    const [stored] = fake.files()
    assert.deepEqual(stored.bytes, bytes)
    assert.isTrue(stored.completed)
    assert.equal(stored.name, 'app.log')

    const completion = (result as unknown as { files: Array<{ files: Array<{ id: string }> }> })
      .files
    assert.equal(completion[0].files[0].id, stored.id)

    const thread = fake.messages('C0SUPPORT1', parent.ts)
    assert.lengthOf(thread, 2)
    const shared = thread[1] as SlackMessage
    assert.include(shared, { text: 'Here it is', user: 'U0BOT00001', thread_ts: parent.ts })
    assert.equal(shared.files?.[0].id, stored.id)
    assert.deepEqual(stored.shares, [{ channel: 'C0SUPPORT1', ts: shared.ts, threadTs: parent.ts }])
    assert.equal(stored.file.shares.public?.C0SUPPORT1[0].thread_ts, parent.ts)

    // url_private serves the bytes to a bot token and Slack's sign-in page to anyone else.
    const download = await fetch(stored.file.url_private, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    assert.equal(download.headers.get('content-type'), 'text/plain')
    assert.equal(await download.text(), bytes.toString())
    const anonymous = await fetch(stored.file.url_private)
    assert.equal(anonymous.status, 200)
    assert.include(anonymous.headers.get('content-type') ?? '', 'text/html')
  })

  test('bad tokens get invalid_auth, no token not_authed, unknown methods unknown_method', async ({
    assert,
  }) => {
    const stranger = new WebClient('xoxb-not-a-real-token', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    })
    const invalid = await callError(stranger.auth.test())
    assert.equal(invalid.code, ErrorCode.PlatformError)
    assert.equal(invalid.data.error, 'invalid_auth')

    const anonymous = new WebClient(undefined, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    })
    assert.equal(await platformError(anonymous.auth.test()), 'not_authed')
    // Only the bot token authenticates: the token field works in a form body.
    const viaBody = await anonymous.auth.test({ token: TOKEN })
    assert.equal(viaBody.user_id, 'U0BOT00001')

    assert.equal(await platformError(client.apiCall('chat.telepathy')), 'unknown_method')

    fake.revokeToken(TOKEN)
    assert.equal(await platformError(client.auth.test()), 'token_revoked')
  })

  test('JSON bodies need the Authorization header', async ({ assert }) => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<Record<string, unknown>>)

    const blocks = [{ type: 'divider' }]
    const ok = await post({ authorization: `Bearer ${TOKEN}` }, { channel: 'C0SUPPORT1', blocks })
    assert.isTrue(ok.ok)
    assert.deepEqual(fake.messages('C0SUPPORT1')[0].blocks, blocks)

    const tokenInBody = await post({}, { token: TOKEN, channel: 'C0SUPPORT1', text: 'hi' })
    assert.deepEqual(tokenInBody, { ok: false, error: 'not_authed' })
  })

  test('rateLimit answers 429 with Retry-After, then calls go through', async ({ assert }) => {
    fake.rateLimit('chat.postMessage', { retryAfterSeconds: 30 })
    const strict = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    })
    const limited = await callError(strict.chat.postMessage({ channel: 'C0SUPPORT1', text: 'a' }))
    assert.equal(limited.code, ErrorCode.RateLimitedError)
    assert.equal(limited.retryAfter, 30)
    assert.equal(fake.callsOf('chat.postMessage')[0].status, 429)

    const raw = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    assert.equal(raw.status, 200)
    fake.rateLimit('*', { retryAfterSeconds: 7, times: 2 })
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${fake.apiUrl}auth.test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      })
      assert.equal(response.status, 429)
      assert.equal(response.headers.get('retry-after'), '7')
      assert.deepEqual(await response.json(), { ok: false, error: 'ratelimited' })
    }

    await strict.chat.postMessage({ channel: 'C0SUPPORT1', text: 'b' })
    assert.deepEqual(
      fake.messages('C0SUPPORT1').map((m) => m.text),
      ['b']
    )
  })

  test('failNext answers the given error code, then calls go through', async ({ assert }) => {
    fake.failNext('chat.postMessage', 'fatal_error', 2)
    const post = () => client.chat.postMessage({ channel: 'C0SUPPORT1', text: 'hi' })
    assert.equal(await platformError(post()), 'fatal_error')
    assert.equal(await platformError(post()), 'fatal_error')
    await post()
    assert.lengthOf(fake.messages('C0SUPPORT1'), 1)
    assert.lengthOf(fake.callsOf('chat.postMessage'), 3)
    fake.clearCalls()
    assert.deepEqual(fake.calls, [])
  })
})

test.group('Slack requests into our app', () => {
  test('signSlackRequest passes Bolt’s verification; a wrong secret or old stamp fails', ({
    assert,
  }) => {
    const { body } = urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P')
    const headers = signSlackRequest(SECRET, body)
    const asBoltReads = {
      'x-slack-signature': headers['x-slack-signature'],
      'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
    }
    assert.doesNotThrow(() =>
      verifySlackRequest({ signingSecret: SECRET, body, headers: asBoltReads })
    )
    assert.throws(
      () => verifySlackRequest({ signingSecret: 'another secret', body, headers: asBoltReads }),
      /signature mismatch/
    )
    assert.throws(
      () => verifySlackRequest({ signingSecret: SECRET, body: `${body} `, headers: asBoltReads }),
      /signature mismatch/
    )

    const stale = signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 600)
    assert.throws(
      () =>
        verifySlackRequest({
          signingSecret: SECRET,
          body,
          headers: {
            'x-slack-signature': stale['x-slack-signature'],
            'x-slack-request-timestamp': Number(stale['x-slack-request-timestamp']),
          },
        }),
      /stale/
    )
    // Slack's documented example signature.
    const documented = signSlackRequest(
      SECRET,
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      1531420618
    )
    assert.equal(
      documented['x-slack-signature'],
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
    )
  })

  test('payload builders produce the bodies Slack sends', ({ assert }) => {
    const event = messageEvent({
      channel: 'C0SUPPORT1',
      user: 'U0ALICE001',
      text: 'hello',
      ts: '1700000000.000100',
      threadTs: '1700000000.000001',
      teamId: 'T0TEAM0001',
    })
    const envelope = eventCallback({
      teamId: 'T0TEAM0001',
      eventId: 'Ev0001',
      event,
      botUserId: 'U0BOT00001',
    })
    assert.equal(envelope.contentType, 'application/json')
    const parsed = JSON.parse(envelope.body)
    assert.include(parsed, { type: 'event_callback', team_id: 'T0TEAM0001', event_id: 'Ev0001' })
    assert.equal(parsed.authorizations[0].user_id, 'U0BOT00001')
    assert.include(parsed.event, {
      type: 'message',
      channel: 'C0SUPPORT1',
      channel_type: 'channel',
      thread_ts: '1700000000.000001',
      event_ts: '1700000000.000100',
    })
    assert.notProperty(parsed.event, 'subtype')

    const withFile = messageEvent({
      channel: 'D0ALICE001',
      user: 'U0ALICE001',
      text: '',
      ts: '1700000000.000200',
      files: [],
    })
    assert.equal(withFile.channel_type, 'im')

    const changed = messageChangedEvent({
      channel: 'C0SUPPORT1',
      ts: '1700000001.000000',
      messageTs: '1700000000.000100',
      user: 'U0ALICE001',
      previousText: 'helo',
      newText: 'hello',
    })
    assert.include(changed, { subtype: 'message_changed', hidden: true })
    assert.include(changed.message, { text: 'hello', ts: '1700000000.000100' })
    assert.include(changed.previous_message, { text: 'helo' })

    const deleted = messageDeletedEvent({
      channel: 'C0SUPPORT1',
      ts: '1700000002.000000',
      deletedTs: '1700000000.000100',
      previousText: 'hello',
    })
    assert.include(deleted, { subtype: 'message_deleted', deleted_ts: '1700000000.000100' })

    const own = botMessageEvent({
      channel: 'C0SUPPORT1',
      botId: 'B0BOT00001',
      botUserId: 'U0BOT00001',
      text: 'hi',
      ts: '1700000003.000000',
    })
    assert.include(own, { bot_id: 'B0BOT00001', user: 'U0BOT00001', subtype: undefined })
    const legacy = botMessageEvent({
      channel: 'C0SUPPORT1',
      botId: 'B0HOOK0001',
      text: 'x',
      ts: '1.1',
    })
    assert.equal(legacy.subtype, 'bot_message')

    const message: SlackMessage = {
      type: 'message',
      ts: '1700000004.000000',
      text: 'Close?',
      blocks: [
        {
          type: 'actions',
          block_id: 'ticket_actions',
          elements: [
            {
              type: 'button',
              action_id: 'close',
              value: 't-7',
              text: { type: 'plain_text', text: 'Close' },
            },
          ],
        },
      ],
    }
    const click = blockActions({
      user: 'U0ALICE001',
      channel: 'C0SUPPORT1',
      messageTs: message.ts,
      actionId: 'close',
      value: 't-7',
      message,
    })
    assert.equal(click.contentType, 'application/x-www-form-urlencoded')
    const payload = JSON.parse(new URLSearchParams(click.body).get('payload')!)
    assert.equal(payload.type, 'block_actions')
    assert.include(payload.actions[0], {
      action_id: 'close',
      block_id: 'ticket_actions',
      value: 't-7',
      type: 'button',
    })
    assert.include(payload.container, { message_ts: message.ts, channel_id: 'C0SUPPORT1' })
    assert.isString(payload.trigger_id)

    const command = slashCommand({
      command: '/sb',
      text: 'assign @bob',
      user: 'U0ALICE001',
      channel: 'C0SUPPORT1',
    })
    const fields = new URLSearchParams(command.body)
    assert.equal(fields.get('command'), '/sb')
    assert.equal(fields.get('text'), 'assign @bob')
    assert.include(command.body, 'command=%2Fsb')
    assert.includeMembers(
      [...fields.keys()],
      [
        'token',
        'team_id',
        'team_domain',
        'channel_id',
        'channel_name',
        'user_id',
        'user_name',
        'api_app_id',
        'response_url',
        'trigger_id',
      ]
    )
  })

  test('slackRequest posts the signed body with retry headers', async ({ assert }) => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = []
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.end('')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`
    try {
      const { body, contentType } = urlVerification('challenge-1')
      const response = await slackRequest(url, body, contentType, SECRET, {
        retryNum: 1,
        retryReason: 'http_timeout',
      })
      assert.equal(response.status, 200)
      const [{ headers, body: seen }] = received
      assert.equal(seen, body)
      assert.equal(headers['content-type'], 'application/json')
      assert.equal(headers['x-slack-retry-num'], '1')
      assert.equal(headers['x-slack-retry-reason'], 'http_timeout')
      assert.isTrue(
        isValidSlackRequest({
          signingSecret: SECRET,
          body: seen,
          headers: {
            'x-slack-signature': String(headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
          },
        })
      )
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  })
})
