import { createHash } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { errors as vineErrors } from '@vinejs/vine'
import { Webhook } from 'standardwebhooks'
import {
  ChannelConfigError,
  PermanentError,
  RetryableError,
  type OutboundMessage,
} from '#channels/port'
import { apiChannel, inboundPayload, toEnvelope, verifyInboundKey } from '#bots/api/adapter'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string
}

/** A receiver on 127.0.0.1 that records requests and answers from a script. */
async function receiver(replies: Reply[] = []) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      const reply = replies.shift() ?? { status: 204 }
      res.writeHead(reply.status, reply.headers)
      res.end(reply.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function channelFor(url: string) {
  const prepared = await apiChannel.prepare({ webhookUrl: url })
  return { ...prepared, adapter: apiChannel.create(1, prepared.config) }
}

const message: OutboundMessage = {
  to: 'customer-42',
  text: 'Hello',
  idempotencyKey: 'msg_01HZX',
  payload: { type: 'message.created', data: { conversationId: 7, text: 'Hello' } },
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

test.group('API channel / prepare', () => {
  test('names the field that is wrong', async ({ assert }) => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'config.webhookUrl'],
      [{ webhookUrl: '' }, 'config.webhookUrl'],
      [{ webhookUrl: 42 }, 'config.webhookUrl'],
      [{ webhookUrl: '/relative/path' }, 'config.webhookUrl'],
      [{ webhookUrl: 'ftp://example.com/hooks' }, 'config.webhookUrl'],
      [{ webhookUrl: `https://example.com/${'a'.repeat(2048)}` }, 'config.webhookUrl'],
      [{ webhookUrl: 'https://example.com/hooks', inboundKeyHash: 'x' }, 'config.inboundKeyHash'],
      [{ webhookUrl: 'https://example.com/hooks', extra: true }, 'config.extra'],
    ]
    for (const [config, field] of cases) {
      const error = await rejection(apiChannel.prepare(config))
      assert.instanceOf(error, ChannelConfigError)
      assert.equal((error as ChannelConfigError).field, field, JSON.stringify(config))
    }
  })

  test('generates secrets once, stores only the key hash, and reveals them', async ({ assert }) => {
    const { config, reveal } = await apiChannel.prepare({ webhookUrl: 'https://example.com/h' })
    assert.exists(reveal)
    assert.match(reveal!.inboundKey, /^sbk_[A-Za-z0-9_-]{43}$/)
    assert.match(reveal!.webhookSecret, /^whsec_[A-Za-z0-9+/]{32}$/)
    assert.equal(Buffer.from(reveal!.webhookSecret.slice(6), 'base64').length, 24)
    assert.deepEqual(Object.keys(config).sort(), ['inboundKeyHash', 'webhookSecret', 'webhookUrl'])
    assert.equal(
      config.inboundKeyHash,
      createHash('sha256').update(reveal!.inboundKey).digest('hex')
    )
    assert.equal(config.webhookSecret, reveal!.webhookSecret)
    assert.notInclude(JSON.stringify(config), reveal!.inboundKey)
    assert.sameMembers(apiChannel.secretFields, ['inboundKeyHash', 'webhookSecret'])
    assert.isFalse(apiChannel.needsRunner(config))

    const other = await apiChannel.prepare({ webhookUrl: 'https://example.com/h' })
    assert.notEqual(other.reveal!.inboundKey, reveal!.inboundKey)
    assert.notEqual(other.reveal!.webhookSecret, reveal!.webhookSecret)
  })

  test('an update keeps the secrets and reveals nothing', async ({ assert }) => {
    const created = await apiChannel.prepare({ webhookUrl: 'https://example.com/old' })
    const updated = await apiChannel.prepare(
      { webhookUrl: 'https://example.com/new' },
      created.config
    )
    assert.isUndefined(updated.reveal)
    assert.deepEqual(updated.config, { ...created.config, webhookUrl: 'https://example.com/new' })

    const error = await rejection(
      apiChannel.prepare({ webhookUrl: 'mailto:ops@example.com' }, created.config)
    )
    assert.equal((error as ChannelConfigError).field, 'config.webhookUrl')
  })
})

test.group('API channel / send', () => {
  test('signs per Standard Webhooks and keeps the id across attempts', async ({ assert }) => {
    const hook = await receiver([{ status: 503, body: 'deploying' }, { status: 200 }])
    try {
      const { adapter, reveal } = await channelFor(hook.url)
      assert.equal(adapter.platform, 'api')
      assert.equal(adapter.capabilities.maxTextLength, 65536)

      const first = await rejection(adapter.send(message))
      assert.instanceOf(first, RetryableError)
      assert.include((first as Error).message, '503')
      assert.deepEqual(await adapter.send(message), { externalIds: ['msg_01HZX'] })

      assert.lengthOf(hook.received, 2)
      const verifier = new Webhook(reveal!.webhookSecret)
      for (const { headers, body } of hook.received) {
        assert.equal(headers['webhook-id'], 'msg_01HZX')
        assert.equal(headers['content-type'], 'application/json')
        assert.equal(headers['user-agent'], 'Switchboard-Webhooks/1')
        assert.closeTo(Number(headers['webhook-timestamp']), Date.now() / 1000, 5)
        assert.match(String(headers['webhook-signature']), /^v1,/)
        const verified = verifier.verify(body, headers as Record<string, string>)
        assert.deepEqual(verified, message.payload)
      }

      // Another secret must not verify: the signature really depends on it.
      const stranger = new Webhook(
        (await apiChannel.prepare({ webhookUrl: hook.url })).reveal!.webhookSecret
      )
      const { headers, body } = hook.received[1]
      assert.throws(() => stranger.verify(body, headers as Record<string, string>))
    } finally {
      await hook.close()
    }
  })

  test('builds a message.created payload when the core gives none', async ({ assert }) => {
    const hook = await receiver()
    try {
      const { adapter } = await channelFor(hook.url)
      const buttons = [[{ text: 'Yes', data: 'yes' }]]
      await adapter.send({ to: 'c-1', text: 'Hi', buttons, idempotencyKey: 'k-1' })
      assert.deepEqual(JSON.parse(hook.received[0].body), {
        type: 'message.created',
        data: { to: 'c-1', text: 'Hi', buttons },
      })
    } finally {
      await hook.close()
    }
  })

  test('maps receiver answers to retryable and permanent errors', async ({ assert }) => {
    const hook = await receiver([
      { status: 500, body: 'x'.repeat(5000) },
      { status: 429, headers: { 'Retry-After': '7' } },
      { status: 410, body: 'gone' },
      { status: 400, body: 'bad' },
      { status: 503, headers: { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() } },
    ])
    try {
      const { adapter } = await channelFor(hook.url)

      const serverError = await rejection(adapter.send(message))
      assert.instanceOf(serverError, RetryableError)
      assert.include((serverError as Error).message, '500')
      assert.isAtMost((serverError as Error).message.length, 230)
      assert.isUndefined((serverError as RetryableError).retryAfterMs)

      const throttled = await rejection(adapter.send(message))
      assert.instanceOf(throttled, RetryableError)
      assert.equal((throttled as RetryableError).retryAfterMs, 7000)

      const gone = await rejection(adapter.send(message))
      assert.instanceOf(gone, PermanentError)
      assert.include((gone as Error).message, '410')

      const badRequest = await rejection(adapter.send(message))
      assert.instanceOf(badRequest, RetryableError)
      assert.include((badRequest as Error).message, '400')

      const dated = await rejection(adapter.send(message))
      assert.instanceOf(dated, RetryableError)
      assert.closeTo((dated as RetryableError).retryAfterMs!, 60_000, 2000)
    } finally {
      await hook.close()
    }
  })

  test('a refused connection is retryable', async ({ assert }) => {
    const hook = await receiver()
    await hook.close()
    const { adapter } = await channelFor(hook.url)
    const error = await rejection(adapter.send(message))
    assert.instanceOf(error, RetryableError)
    assert.include((error as Error).message, 'ECONNREFUSED')
  })
})

test.group('API channel / inbound', () => {
  test('verifyInboundKey accepts only the revealed key', async ({ assert }) => {
    const { config, reveal } = await apiChannel.prepare({ webhookUrl: 'https://example.com/h' })
    assert.isTrue(verifyInboundKey(config, reveal!.inboundKey))
    assert.isFalse(verifyInboundKey(config, reveal!.inboundKey + 'x'))
    assert.isFalse(verifyInboundKey(config, ''))
    assert.isFalse(verifyInboundKey(config, config.inboundKeyHash as string))
    assert.isFalse(verifyInboundKey({}, reveal!.inboundKey))
  })

  test('rejects a missing contact id and a message without content', async ({ assert }) => {
    const noContactId = await rejection(
      inboundPayload.validate({ contact: { name: 'Ann' }, message: { id: 'm1', text: 'hi' } })
    )
    assert.instanceOf(noContactId, vineErrors.E_VALIDATION_ERROR)
    assert.deepInclude(
      (noContactId as InstanceType<typeof vineErrors.E_VALIDATION_ERROR>).messages.map(
        (m: { field: string }) => m.field
      ),
      'contact.externalId'
    )

    for (const msg of [{ id: 'm1' }, { id: 'm1', attachments: [] }, { id: 'm1', text: '' }]) {
      const empty = await rejection(
        inboundPayload.validate({ contact: { externalId: 'c1' }, message: msg })
      )
      assert.instanceOf(empty, vineErrors.E_VALIDATION_ERROR, JSON.stringify(msg))
      const fields = (empty as InstanceType<typeof vineErrors.E_VALIDATION_ERROR>).messages.map(
        (m: { field: string }) => m.field
      )
      assert.isTrue(
        fields.some((f: string) => f.startsWith('message.')),
        JSON.stringify(fields)
      )
    }

    for (const msg of [{ id: 'm1' }, { id: 'm1', attachments: [] }]) {
      const bad = await rejection(
        inboundPayload.validate({ contact: { externalId: 'c1' }, message: msg })
      )
      assert.deepEqual(
        (bad as InstanceType<typeof vineErrors.E_VALIDATION_ERROR>).messages.map(
          (m: { field: string; rule: string }) => [m.field, m.rule]
        ),
        [['message.text', 'required']]
      )
    }

    const badUrl = await rejection(
      inboundPayload.validate({
        contact: { externalId: 'c1' },
        message: { id: 'm1', attachments: [{ url: 'file:///etc/passwd' }] },
      })
    )
    assert.instanceOf(badUrl, vineErrors.E_VALIDATION_ERROR)
  })

  test('builds envelopes from valid bodies', async ({ assert }) => {
    const text = await inboundPayload.validate({
      contact: { externalId: 'c1', name: 'Ann' },
      message: { id: 'm1', text: 'Where is my order?' },
    })
    // An empty attachment list is no attachment, not an error.
    const alsoText = await inboundPayload.validate({
      contact: { externalId: 'c1' },
      message: { id: 'm1', text: 'hi', attachments: [] },
    })
    assert.equal(toEnvelope(alsoText, 'evt-0').message!.kind, 'text')

    assert.deepEqual(toEnvelope(text, 'evt-1'), {
      eventId: 'evt-1',
      contact: { externalId: 'c1', name: 'Ann' },
      message: { externalId: 'm1', kind: 'text', text: 'Where is my order?', attachments: [] },
    })

    const files = await inboundPayload.validate({
      contact: { externalId: 'c1' },
      message: {
        id: 'm2',
        attachments: [
          { url: 'https://files.example.com/r.pdf', name: 'r.pdf', mimeType: 'application/pdf' },
        ],
      },
    })
    const envelope = toEnvelope(files, 'evt-2')
    assert.equal(envelope.message!.kind, 'document')
    assert.deepEqual(envelope.message!.attachments, [
      {
        kind: 'document',
        url: 'https://files.example.com/r.pdf',
        name: 'r.pdf',
        mimeType: 'application/pdf',
      },
    ])
  })
})
