import { randomUUID } from 'node:crypto'
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import transmit from '@adonisjs/transmit/services/main'
import { Redis } from 'ioredis'
import { transportFor } from '#config/transmit'
import { Browser } from '#tests/support/browser'
import { PASSWORD, makeConversation, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { until } from '#tests/support/wait'

const BASE = `http://${process.env.HOST}:${process.env.PORT}`
const REDIS_URL = 'redis://127.0.0.1:6379'

interface LiveMessage {
  channel: string
  payload: { event: string; data: Record<string, unknown> }
}

/**
 * A Server-Sent Events client over a real socket, as a browser's EventSource
 * sees the stream: `data:` lines, frames split by a blank line.
 */
class EventStream {
  readonly uid = randomUUID()
  readonly messages: LiveMessage[] = []
  status = 0
  headers: IncomingHttpHeaders = {}
  body = ''
  #buffer = ''
  #waiters: Array<() => void> = []
  #close = () => {}

  static open(url: string, headers: Record<string, string>, uid?: string) {
    const stream = new EventStream()
    return new Promise<EventStream>((resolve, reject) => {
      const req = request(`${url}?uid=${uid ?? stream.uid}`, { headers }, (res) => {
        stream.status = res.statusCode ?? 0
        stream.headers = res.headers
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => stream.#receive(chunk))
        // An error answer is a plain body: resolve once it is complete.
        if (stream.status === 200) resolve(stream)
        else res.on('end', () => resolve(stream))
      })
      // After the answer, an error is only the socket closing.
      req.on('error', reject)
      stream.#close = () => req.destroy()
      req.end()
    })
  }

  #receive(chunk: string) {
    if (this.status !== 200) {
      this.body += chunk
      return
    }
    this.#buffer += chunk
    let end: number
    while ((end = this.#buffer.indexOf('\n\n')) !== -1) {
      const frame = this.#buffer.slice(0, end)
      this.#buffer = this.#buffer.slice(end + 2)
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n')
      if (!data) continue // the opening ":ok" comment
      const message = JSON.parse(data) as LiveMessage
      if (message.channel !== '$$transmit/ping') this.messages.push(message)
    }
    this.#waiters.splice(0).forEach((wake) => wake())
  }

  /** The first message matching `match`, waiting for it up to `ms`. */
  async next(match: (m: LiveMessage) => boolean, ms = 5000): Promise<LiveMessage> {
    const end = Date.now() + ms
    for (;;) {
      const found = this.messages.find(match)
      if (found) return found
      const left = end - Date.now()
      if (left <= 0) throw new Error(`no matching event; got ${JSON.stringify(this.messages)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  close() {
    this.#close()
  }
}

/** POST to a transmit route as an API client: JSON in, status and body out. */
async function post(path: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(BASE + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

test.group('Live updates over Server-Sent Events', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a member follows the team: an operator reply arrives on the open stream', async ({
    client,
    assert,
    cleanup,
  }) => {
    const [team, other] = [await makeTeam(), await makeTeam()]
    const member = await makeUser('operator', [team, other])
    const token = await tokenFor(member)
    const conversation = await makeConversation(team)

    const stream = await EventStream.open(`${BASE}/__transmit/events`, bearer(token))
    cleanup(() => stream.close())
    assert.equal(stream.status, 200)
    assert.match(stream.headers['content-type'] ?? '', /^text\/event-stream/)

    const subscribed = await post('/__transmit/subscribe', bearer(token), {
      uid: stream.uid,
      channel: `teams/${team.id}`,
    })
    assert.equal(subscribed.status, 204)

    const reply = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'On it' })
    reply.assertStatus(201)
    const created = await stream.next((m) => m.payload.event === 'message.created')
    assert.deepEqual(created, {
      channel: `teams/${team.id}`,
      payload: {
        event: 'message.created',
        data: { conversationId: conversation.id, messageId: reply.body().data.id },
      },
    })

    // A status change is a conversation.updated on the same channel.
    const resolved = await client
      .patch(`/api/v1/conversations/${conversation.id}`)
      .bearerToken(token)
      .json({ status: 'resolved' })
    resolved.assertStatus(200)
    const updated = await stream.next((m) => m.payload.event === 'conversation.updated')
    assert.deepEqual(updated.payload.data, { conversationId: conversation.id })

    // An internal note edited, then deleted: message.updated each time.
    const draft = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'Check the invoice', internal: true })
    draft.assertStatus(201)
    const noteId = draft.body().data.id
    const edited = await client
      .patch(`/api/v1/conversations/${conversation.id}/messages/${noteId}`)
      .bearerToken(token)
      .json({ text: 'Check the invoice and the refund' })
    edited.assertStatus(200)
    const removed = await client
      .delete(`/api/v1/conversations/${conversation.id}/messages/${noteId}`)
      .bearerToken(token)
    removed.assertStatus(204)
    const noteEvents = await until(
      () => {
        const events = stream.messages.filter((m) => m.payload.data.messageId === noteId)
        return events.length === 3 && events
      },
      5000,
      'three events for the note'
    )
    assert.deepEqual(
      noteEvents.map((m) => m.payload.event),
      ['message.created', 'message.updated', 'message.updated']
    )

    // Unsubscribed, the team's events stop; the other team it follows still
    // arrives, and events keep their order on the wire.
    const follow = { uid: stream.uid, channel: `teams/${other.id}` }
    assert.equal((await post('/__transmit/subscribe', bearer(token), follow)).status, 204)
    const unfollow = { uid: stream.uid, channel: `teams/${team.id}` }
    assert.equal((await post('/__transmit/unsubscribe', bearer(token), unfollow)).status, 204)
    const seen = stream.messages.length
    const note = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(token)
      .json({ text: 'Unheard', internal: true })
    note.assertStatus(201)
    const elsewhere = await client
      .post(`/api/v1/conversations/${(await makeConversation(other)).id}/messages`)
      .bearerToken(token)
      .json({ text: 'Heard' })
    elsewhere.assertStatus(201)
    await stream.next((m) => m.payload.data.messageId === elsewhere.body().data.id)
    assert.deepEqual(
      stream.messages.slice(seen).map((m) => m.channel),
      [`teams/${other.id}`]
    )
  })

  test('another team is refused: 403 on subscribe, and its events never reach the stream', async ({
    client,
    assert,
    cleanup,
  }) => {
    const [teamA, teamB] = [await makeTeam(), await makeTeam()]
    const member = await makeUser('operator', [teamA])
    const outsider = await makeUser('supervisor', [teamB])
    const [memberToken, outsiderToken] = [await tokenFor(member), await tokenFor(outsider)]
    const [inA, inB] = [await makeConversation(teamA), await makeConversation(teamB)]

    const memberStream = await EventStream.open(`${BASE}/__transmit/events`, bearer(memberToken))
    const outsiderStream = await EventStream.open(
      `${BASE}/__transmit/events`,
      bearer(outsiderToken)
    )
    cleanup(() => {
      memberStream.close()
      outsiderStream.close()
    })
    const follow = (token: string, stream: EventStream, teamId: number) =>
      post('/__transmit/subscribe', bearer(token), { uid: stream.uid, channel: `teams/${teamId}` })

    assert.equal((await follow(memberToken, memberStream, teamA.id)).status, 204)
    const refused = await follow(outsiderToken, outsiderStream, teamA.id)
    assert.equal(refused.status, 403)
    assert.deepEqual(refused.body.errors, [{ message: 'Not a member of this team' }])
    assert.equal((await follow(outsiderToken, outsiderStream, teamB.id)).status, 204)

    // A stream id is no key: the outsider cannot steer the member's stream.
    assert.equal((await follow(outsiderToken, memberStream, teamB.id)).status, 404)
    const hijack = await EventStream.open(
      `${BASE}/__transmit/events`,
      bearer(outsiderToken),
      memberStream.uid
    )
    assert.equal(hijack.status, 409)

    const replyA = await client
      .post(`/api/v1/conversations/${inA.id}/messages`)
      .bearerToken(memberToken)
      .json({ text: 'For team A only' })
    replyA.assertStatus(201)
    await memberStream.next((m) => m.payload.data.messageId === replyA.body().data.id)

    // Team B's event comes after team A's on the wire, so once it is here,
    // team A's would have been too.
    const replyB = await client
      .post(`/api/v1/conversations/${inB.id}/messages`)
      .bearerToken(outsiderToken)
      .json({ text: 'For team B' })
    replyB.assertStatus(201)
    await outsiderStream.next((m) => m.payload.data.messageId === replyB.body().data.id)
    assert.deepEqual(
      outsiderStream.messages.map((m) => m.channel),
      [`teams/${teamB.id}`]
    )
    assert.notInclude(
      memberStream.messages.map((m) => m.channel),
      `teams/${teamB.id}`
    )
  })

  test('admins may follow any team', async ({ assert, cleanup }) => {
    const team = await makeTeam()
    const token = await tokenFor(await makeUser('admin'))
    const stream = await EventStream.open(`${BASE}/__transmit/events`, bearer(token))
    cleanup(() => stream.close())
    const subscribed = await post('/__transmit/subscribe', bearer(token), {
      uid: stream.uid,
      channel: `teams/${team.id}`,
    })
    assert.equal(subscribed.status, 204)
  })

  test('without credentials: 401 for the stream and for subscribing; bad input is a 422', async ({
    assert,
  }) => {
    const anonymous = await EventStream.open(`${BASE}/__transmit/events`, {})
    assert.equal(anonymous.status, 401)
    assert.deepEqual(JSON.parse(anonymous.body).errors, [
      { rule: 'auth', message: 'Authentication required' },
    ])
    const badToken = await post('/__transmit/subscribe', bearer('sb_nope'), {
      uid: randomUUID(),
      channel: 'teams/1',
    })
    assert.equal(badToken.status, 401)

    const token = await tokenFor(await makeUser('admin'))
    const noUid = await fetch(`${BASE}/__transmit/events`, { headers: bearer(token) })
    assert.equal(noUid.status, 422)
    assert.equal(((await noUid.json()) as any).errors[0].field, 'uid')
    const badChannel = await post('/__transmit/subscribe', bearer(token), {
      uid: randomUUID(),
      channel: 'users/1',
    })
    assert.equal(badChannel.status, 422)
    assert.equal(badChannel.body.errors[0].field, 'channel')
    // A well-formed request for a stream that is not open here.
    const closed = await post('/__transmit/subscribe', bearer(token), {
      uid: randomUUID(),
      channel: 'teams/1',
    })
    assert.equal(closed.status, 404)
  })

  test('the panel follows with its session cookie; subscribing needs the CSRF token', async ({
    client,
    assert,
    cleanup,
  }) => {
    const team = await makeTeam()
    const member = await makeUser('operator', [team])
    const conversation = await makeConversation(team)
    const browser = new Browser()
    const login = await browser.post('/api/v1/auth/login', {
      email: member.email,
      password: PASSWORD,
    })
    assert.equal(login.status, 200)
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')

    const stream = await EventStream.open(`${BASE}/__transmit/events`, { cookie })
    cleanup(() => stream.close())
    assert.equal(stream.status, 200)

    const body = { uid: stream.uid, channel: `teams/${team.id}` }
    const withoutToken = await browser.post('/__transmit/subscribe', body)
    assert.equal(withoutToken.status, 403)
    assert.equal(withoutToken.body.errors[0].rule, 'csrf')
    const withToken = await browser.post('/__transmit/subscribe', body, { csrf: true })
    assert.equal(withToken.status, 204)

    const reply = await client
      .post(`/api/v1/conversations/${conversation.id}/messages`)
      .bearerToken(await tokenFor(member))
      .json({ text: 'Seen in the panel' })
    reply.assertStatus(201)
    const created = await stream.next((m) => m.payload.event === 'message.created')
    assert.equal(created.payload.data.conversationId, conversation.id)
  })
})

test.group('Live updates across processes', () => {
  test('without REDIS_URL there is no transport; with it, Redis pub/sub', ({ assert }) => {
    assert.isNull(transportFor(undefined))
    assert.isNull(transportFor(''))
    assert.isFunction(transportFor(REDIS_URL)?.driver)
  })

  test('with REDIS_URL, a broadcast in one process reaches a stream held by another', async ({
    assert,
    cleanup,
  }) => {
    // Two transmit instances as two processes build them from the config.
    type Adapter = typeof transmit
    const TransmitAdapter = transmit.constructor as new (
      config: object,
      router: unknown,
      transport: unknown
    ) => Adapter
    const channel = `switchboard-test::${randomUUID()}`
    const build = () => {
      const transport = transportFor(REDIS_URL)!
      return new TransmitAdapter(
        { pingInterval: false, transport: { ...transport, channel } },
        router,
        transport.driver()
      )
    }
    const [first, second] = [build(), build()]

    // The second process holds a real SSE stream, subscribed to a team.
    const server: Server = createServer((req, res) => {
      second.createStream({ uid: 'panel', request: req, response: res, context: {} as never })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    const stream = await EventStream.open(`http://127.0.0.1:${port}/`, {}, 'panel')
    await second.subscribe({ uid: 'panel', channel: 'teams/7', context: {} as never })

    const redis = new Redis(REDIS_URL)
    cleanup(async () => {
      stream.close()
      await new Promise((resolve) => server.close(resolve))
      await Promise.all([first.shutdown(), second.shutdown(), redis.quit()])
    })
    // Both instances listen on Redis before the first one speaks.
    for (let i = 0; ; i++) {
      const [, listeners] = (await redis.pubsub('NUMSUB', channel)) as [string, number]
      if (Number(listeners) >= 2) break
      if (i > 100) throw new Error('transmit never subscribed to Redis')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }

    first.broadcast('teams/7', { event: 'message.created', data: { conversationId: 1 } })
    const received = await stream.next((m) => m.channel === 'teams/7')
    assert.deepEqual(received.payload, { event: 'message.created', data: { conversationId: 1 } })
  })
})
