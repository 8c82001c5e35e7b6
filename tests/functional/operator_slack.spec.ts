/*
| Operators in Slack: signed Events API, interactivity and slash-command
| requests into the Bolt receiver on our route, the real WebClient talking
| to a fake Slack Web API, and the customer on the fake Telegram Bot API.
*/
import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { truncateNow } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { FakeTelegram, commandUpdate, textUpdate } from '#bots/testing/fake_telegram'
import {
  FakeSlack,
  blockActions,
  botMessageEvent,
  eventCallback,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  slackRequest,
  slashCommand,
  urlVerification,
} from '#bots/testing/fake_slack'
import { makeUser } from '#tests/support/fixtures'
import { sleep, until } from '#tests/support/wait'
import { teamWithTelegram } from '#tests/support/operator_desk'
import { startWorker, stopWorker } from '#messaging/worker'

const BASE_URL = `http://${process.env.HOST}:${process.env.PORT}`
let nextTs = Math.floor(Date.now() / 1000) * 1_000_000
let nextId = 0

/** A fresh Slack timestamp, as Slack gives each message. */
function ts() {
  nextTs += 1
  return `${Math.floor(nextTs / 1_000_000)}.${String(nextTs % 1_000_000).padStart(6, '0')}`
}

function slackId(prefix: string) {
  nextId += 1
  return `${prefix}0${randomBytes(4).toString('hex').toUpperCase()}${nextId}`
}

/** A team with a Telegram channel for customers and a Slack workspace for operators. */
async function slackDesk(client: any, telegram: FakeTelegram, slack: FakeSlack) {
  const base = await teamWithTelegram(client, telegram)
  const botToken = `xoxb-${randomBytes(12).toString('hex')}`
  const signingSecret = randomBytes(16).toString('hex')
  const bot = slack.addWorkspace({ token: botToken })
  const channelId = slackId('C')
  slack.addChannel({ id: channelId, name: 'support' })
  // Bea has the same email in Slack: she is linked on her first message.
  const beaSlack = slackId('U')
  slack.addUser({ id: beaSlack, name: 'bea', realName: 'Bea Silva', email: base.bea.email })
  const created = await client
    .post('/api/v1/workspaces')
    .bearerToken(base.adminToken)
    .json({
      platform: 'slack',
      name: 'Support Slack',
      teamId: base.team.id,
      config: { botToken, signingSecret, channelId, apiUrl: slack.apiUrl },
    })
  created.assertStatus(201)
  const workspace = created.body().data as { id: number; config: Record<string, unknown> }
  const url = `${BASE_URL}/webhooks/slack/${workspace.id}`
  const event = (e: Record<string, any>, options: { retryNum?: number; eventId?: string } = {}) => {
    const payload = eventCallback({
      teamId: bot.teamId,
      eventId: options.eventId ?? slackId('Ev'),
      event: e as never,
      botUserId: bot.botUserId,
    })
    return slackRequest(url, payload.body, payload.contentType, signingSecret, options)
  }
  return { ...base, bot, botToken, signingSecret, channelId, beaSlack, workspace, url, event }
}

/** The thread Slack shows for the customer's conversation: the card's ts. */
async function threadOf(slack: FakeSlack, channelId: string) {
  // A parent with replies carries its own ts as thread_ts, as in Slack.
  return until(
    () =>
      slack
        .messages(channelId)
        .find((m) => (m.blocks ?? []).length > 0 && (!m.thread_ts || m.thread_ts === m.ts)),
    15_000,
    'the card in Slack'
  )
}

function threadTexts(slack: FakeSlack, channelId: string, threadTs: string) {
  return slack
    .messages(channelId, threadTs)
    .filter((m) => m.ts !== threadTs)
    .map((m) => m.text)
}

test.group('Operators in Slack threads', (group) => {
  let telegram: FakeTelegram
  let slack: FakeSlack
  group.setup(async () => {
    telegram = await FakeTelegram.start()
    slack = await FakeSlack.start()
    env.set('PUBLIC_URL', BASE_URL)
    await startWorker()
    return async () => {
      await stopWorker()
      await telegram.stop()
      await slack.stop()
      await truncateNow()
    }
  })

  test('a workspace is checked against Slack; secrets are never shown', async ({
    client,
    assert,
  }) => {
    const { team, adminToken, workspace } = await slackDesk(client, telegram, slack)
    assert.notProperty(workspace.config, 'botToken')
    assert.notProperty(workspace.config, 'signingSecret')
    const bad = await client
      .post('/api/v1/workspaces')
      .bearerToken(adminToken)
      .json({
        platform: 'slack',
        name: 'x',
        teamId: team.id,
        config: {
          botToken: 'xoxb-not-a-real-token',
          signingSecret: 'ab'.repeat(16),
          channelId: 'C0NOPE',
          apiUrl: slack.apiUrl,
        },
      })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'config.botToken')

    const token = `xoxb-${randomBytes(12).toString('hex')}`
    slack.addWorkspace({ token })
    const outside = slackId('C')
    slack.addChannel({ id: outside, name: 'elsewhere', isMember: false })
    const notMember = await client
      .post('/api/v1/workspaces')
      .bearerToken(adminToken)
      .json({
        platform: 'slack',
        name: 'x',
        teamId: team.id,
        config: {
          botToken: token,
          signingSecret: 'ab'.repeat(16),
          channelId: outside,
          apiUrl: slack.apiUrl,
        },
      })
    notMember.assertStatus(422)
    assert.equal(notMember.body().errors[0].field, 'config.channelId')
    assert.match(notMember.body().errors[0].message, /invite/)
  }).timeout(30_000)

  test('signatures: wrong or six minutes old → 401 and nothing stored; url_verification answered', async ({
    assert,
    client,
  }) => {
    const { url, signingSecret, channelId, beaSlack, bot } = await slackDesk(
      client,
      telegram,
      slack
    )
    const before = await db.from('inbound_events').where('source_type', 'workspace').count('* as n')
    const payload = eventCallback({
      teamId: bot.teamId,
      eventId: slackId('Ev'),
      event: messageEvent({
        channel: channelId,
        user: beaSlack,
        text: 'hi',
        ts: ts(),
        threadTs: ts(),
      }) as never,
    })
    const wrong = await slackRequest(url, payload.body, payload.contentType, 'f'.repeat(32))
    assert.equal(wrong.status, 401)
    const stale = await slackRequest(url, payload.body, payload.contentType, signingSecret, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    })
    assert.equal(stale.status, 401)
    const after = await db.from('inbound_events').where('source_type', 'workspace').count('* as n')
    assert.equal(Number(after[0].n), Number(before[0].n))

    const challenge = urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P')
    const answered = await slackRequest(url, challenge.body, challenge.contentType, signingSecret)
    assert.equal(answered.status, 200)
    assert.deepEqual(await answered.json(), {
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    })
  }).timeout(30_000)

  test('customer → Slack thread → operator reply → customer, once; edits and deletions follow; notes and strangers stay in Slack', async ({
    client,
    assert,
  }) => {
    const d = await slackDesk(client, telegram, slack)
    telegram.pushUpdate(d.token, textUpdate(d.ana, 'My parcel is late'))
    telegram.pushUpdate(d.token, commandUpdate(d.ana, 'human'))
    const card = await threadOf(slack, d.channelId)
    assert.include(JSON.stringify(card.blocks), 'Ana')
    assert.include(JSON.stringify(card.blocks), 'sb_claim')
    await until(
      () => threadTexts(slack, d.channelId, card.ts).some((t) => t.includes('My parcel is late')),
      10_000,
      'the customer message in the thread'
    )

    // Bea replies in the thread; Slack retries the event once: one reply at the customer.
    const replyTs = ts()
    const eventId = slackId('Ev')
    const reply = messageEvent({
      channel: d.channelId,
      user: d.beaSlack,
      text: 'Hi Ana, it ships today',
      ts: replyTs,
      threadTs: card.ts,
    })
    const first = await d.event(reply, { eventId })
    assert.equal(first.status, 200)
    const retried = await d.event(reply, { eventId, retryNum: 1 })
    assert.equal(retried.status, 200)
    await until(
      () => telegram.sentMessages(d.ana.id).some((m) => m.text === 'Hi Ana, it ships today'),
      10_000,
      "Bea's reply at the customer"
    )
    const row = await db.from('messages').where({ body: 'Hi Ana, it ships today' }).first()
    assert.equal(row.author_user_id, d.bea.id)
    const link = await db
      .from('operator_identities')
      .where({ user_id: d.bea.id, platform: 'slack' })
      .first()
    assert.equal(link.external_id, `${d.bot.teamId}:${d.beaSlack}`)

    // Our own post coming back as an event is not an operator.
    const own = await d.event(
      botMessageEvent({
        channel: d.channelId,
        botId: d.bot.botId,
        botUserId: d.bot.botUserId,
        text: 'echo',
        ts: ts(),
        threadTs: card.ts,
      })
    )
    assert.equal(own.status, 200)

    // A note, and someone Slack knows but Switchboard does not.
    await d.event(
      messageEvent({
        channel: d.channelId,
        user: d.beaSlack,
        text: '!note refund approved',
        ts: ts(),
        threadTs: card.ts,
      })
    )
    const zed = slackId('U')
    slack.addUser({ id: zed, name: 'zed' })
    await d.event(
      messageEvent({
        channel: d.channelId,
        user: zed,
        text: 'Free refunds for all!',
        ts: ts(),
        threadTs: card.ts,
      })
    )
    await until(
      () =>
        slack.ephemerals(d.channelId).some((e) => e.user === zed && e.text.includes('not linked')),
      10_000,
      'the explanation, to the stranger only'
    )
    await until(
      () =>
        threadTexts(slack, d.channelId, card.ts).some(
          (t) => t.includes('refund approved') && t.includes('internal')
        ),
      10_000,
      'the note in the thread'
    )

    // Bea edits, then deletes her reply: the customer's copy follows.
    await d.event(
      messageChangedEvent({
        channel: d.channelId,
        ts: ts(),
        messageTs: replyTs,
        user: d.beaSlack,
        previousText: 'Hi Ana, it ships today',
        newText: 'Hi Ana, it ships tomorrow',
        threadTs: card.ts,
      })
    )
    await until(
      () =>
        telegram
          .callsOf('editMessageText')
          .some(
            (c) =>
              c.status === 200 &&
              c.params.text === 'Hi Ana, it ships tomorrow' &&
              String(c.params.chat_id) === String(d.ana.id)
          ),
      10_000,
      'the edit at the customer'
    )
    await d.event(
      messageDeletedEvent({
        channel: d.channelId,
        ts: ts(),
        deletedTs: replyTs,
        previousText: 'Hi Ana, it ships tomorrow',
        user: d.beaSlack,
        threadTs: card.ts,
      })
    )
    await until(
      () =>
        telegram
          .callsOf('deleteMessage')
          .some((c) => c.status === 200 && String(c.params.chat_id) === String(d.ana.id)),
      10_000,
      'the deletion at the customer'
    )

    await sleep(500)
    const atAna = telegram
      .sentMessages(d.ana.id)
      .map((m) => m.text ?? '')
      .join('\n')
    assert.notInclude(atAna, 'refund')
    assert.notInclude(atAna, 'echo')
    const replies = await db.from('messages').where({
      conversation_id: row.conversation_id,
      author_kind: 'operator',
      direction: 'outbound',
    })
    assert.lengthOf(replies, 1)
    // The reply is in the thread once: as Bea typed it, not posted back by the app.
    assert.isFalse(
      slack.messages(d.channelId, card.ts).some((m) => m.bot_id && m.text.includes('it ships'))
    )
  }).timeout(60_000)

  test('two operators press Claim at once: one wins, the other is told who; /sb runs commands', async ({
    client,
    assert,
  }) => {
    const d = await slackDesk(client, telegram, slack)
    const carl = await makeUser('operator', [d.team], { fullName: 'Carl Dias' })
    const carlSlack = slackId('U')
    slack.addUser({ id: carlSlack, name: 'carl', email: carl.email })
    telegram.pushUpdate(d.token, commandUpdate(d.ana, 'human'))
    const card = await threadOf(slack, d.channelId)
    const press = (user: string) => {
      const payload = blockActions({
        user,
        channel: d.channelId,
        messageTs: card.ts,
        actionId: 'sb_claim',
        value: 'claim',
        message: card,
        teamId: d.bot.teamId,
      })
      return slackRequest(d.url, payload.body, payload.contentType, d.signingSecret)
    }
    const answers = await Promise.all([press(d.beaSlack), press(carlSlack)])
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200]
    )
    const conversation = await db
      .from('conversations')
      .where('team_id', d.team.id)
      .whereNotNull('assignee_id')
      .first()
    assert.include([d.bea.id, carl.id], conversation.assignee_id)
    const winner = conversation.assignee_id === d.bea.id ? 'Bea Silva' : 'Carl Dias'
    const loser = conversation.assignee_id === d.bea.id ? carlSlack : d.beaSlack
    await until(
      () =>
        slack
          .ephemerals(d.channelId)
          .some((e) => e.user === loser && e.text.includes(`Already claimed by ${winner}`)),
      10_000,
      'the loser told who won'
    )
    await until(
      () =>
        slack
          .callsOf('chat.update')
          .some((c) => c.params.ts === card.ts && JSON.stringify(c.params.blocks).includes(winner)),
      10_000,
      'the card showing the owner'
    )

    const command = slashCommand({
      command: '/sb',
      text: `${conversation.id} tag vip`,
      user: d.beaSlack,
      channel: d.channelId,
      teamId: d.bot.teamId,
    })
    const answered = await slackRequest(d.url, command.body, command.contentType, d.signingSecret)
    assert.equal(answered.status, 200)
    assert.equal(((await answered.json()) as any).response_type, 'ephemeral')
    const tagged = await db.from('conversations').where('id', conversation.id).first()
    assert.deepEqual(tagged.tags, ['vip'])
    const unknown = slashCommand({
      command: '/sb',
      text: `${conversation.id} frobnicate`,
      user: d.beaSlack,
      channel: d.channelId,
      teamId: d.bot.teamId,
    })
    const explained = await slackRequest(d.url, unknown.body, unknown.contentType, d.signingSecret)
    assert.include(((await explained.json()) as any).text, 'Unknown command')
  }).timeout(60_000)

  test('a rate-limited Slack gets every post later, in order, none dropped', async ({
    client,
    assert,
  }) => {
    const d = await slackDesk(client, telegram, slack)
    telegram.pushUpdate(d.token, commandUpdate(d.ana, 'human'))
    const card = await threadOf(slack, d.channelId)
    await until(() => threadTexts(slack, d.channelId, card.ts).length > 0, 10_000, 'the history')
    slack.rateLimit('chat.postMessage', { retryAfterSeconds: 1, times: 3 })
    for (const text of ['one', 'two', 'three', 'four']) {
      telegram.pushUpdate(d.token, textUpdate(d.ana, `message ${text}`))
    }
    const posted = await until(
      () => {
        const texts = threadTexts(slack, d.channelId, card.ts).filter((t) => t.includes('message '))
        return texts.length === 4 && texts
      },
      20_000,
      'all four messages in the thread'
    )
    assert.deepEqual(
      posted.map((t) => t.replace(/^.*message /, '')),
      ['one', 'two', 'three', 'four']
    )
    assert.isTrue(slack.callsOf('chat.postMessage').some((c) => c.status === 429))
  }).timeout(40_000)
})
