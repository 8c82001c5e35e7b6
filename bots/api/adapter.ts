/*
| The API channel: a company's own app is the chat platform. Customer
| messages arrive as authenticated POSTs (the inbound key); replies leave as
| webhooks signed per Standard Webhooks, so receivers can verify them with
| any of its libraries.
*/
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import vine, { SimpleMessagesProvider, errors as vineErrors } from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { Webhook } from 'standardwebhooks'
import {
  ChannelConfigError,
  PermanentError,
  RetryableError,
  type AttachmentRef,
  type Capabilities,
  type ChannelAdapter,
  type ChannelFactory,
  type InboundEnvelope,
  type OutboundMessage,
  type RawRequest,
  type SendReceipt,
  type WebhookResult,
} from '#channels/port'

const MAX_URL_LENGTH = 2048
const SEND_TIMEOUT_MS = 10_000
/** Enough of a receiver's error body to diagnose it, never a whole page. */
const MAX_REASON_LENGTH = 200
const USER_AGENT = 'Switchboard-Webhooks/1'
const USER_FIELDS = new Set(['webhookUrl'])

const capabilities: Capabilities = {
  maxTextLength: 65536,
  edits: false,
  buttons: true,
  formatting: true,
  media: ['photo', 'document'],
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

function newInboundKey(): string {
  return `sbk_${randomBytes(32).toString('base64url')}`
}

/** The Standard Webhooks secret format, so receivers' libraries accept it as is. */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

function parseWebhookUrl(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ChannelConfigError('config.webhookUrl', 'The webhook URL is required')
  }
  const url = value.trim()
  if (url.length > MAX_URL_LENGTH) {
    throw new ChannelConfigError(
      'config.webhookUrl',
      `The webhook URL must be at most ${MAX_URL_LENGTH} characters`
    )
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ChannelConfigError(
      'config.webhookUrl',
      'The webhook URL must be an absolute URL such as https://example.com/hooks'
    )
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ChannelConfigError('config.webhookUrl', 'The webhook URL must use http or https')
  }
  return url
}

/** Milliseconds from a Retry-After header: delay-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - Date.now())
}

/** The start of a response body; stops reading so a huge body costs nothing. */
async function bodyExcerpt(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < MAX_REASON_LENGTH * 4) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // The status alone still explains the failure.
  } finally {
    reader.cancel().catch(() => {})
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim()
  return text.slice(0, MAX_REASON_LENGTH)
}

function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `webhook timed out after ${SEND_TIMEOUT_MS / 1000} s`
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  const detail = cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
  return `webhook request failed: ${detail}`.slice(0, MAX_REASON_LENGTH)
}

function defaultPayload(msg: OutboundMessage): Record<string, unknown> {
  return {
    type: 'message.created',
    data: { to: msg.to, text: msg.text, attachments: msg.attachments, buttons: msg.buttons },
  }
}

class ApiChannelAdapter implements ChannelAdapter {
  readonly platform = 'api' as const
  readonly capabilities = capabilities
  readonly #url: string
  readonly #webhook: Webhook

  constructor(
    url: string,
    webhook: Webhook,
    readonly config: Record<string, unknown>
  ) {
    this.#url = url
    this.#webhook = webhook
  }

  /** A customer message from the company's app: key, idempotency key, body. */
  async handleWebhook(req: RawRequest): Promise<WebhookResult> {
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    const key = header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
    if (!key || !verifyInboundKey(this.config, key)) {
      return {
        ok: false,
        status: 401,
        error: 'Authorization: Bearer <inboundKey> does not match this channel',
      }
    }
    const idempotencyKey = header('idempotency-key')
    if (!idempotencyKey || idempotencyKey.length > 255) {
      return {
        ok: false,
        status: 422,
        field: 'Idempotency-Key',
        rule: 'required',
        error: 'The Idempotency-Key header is required (at most 255 characters)',
      }
    }
    try {
      const body = await inboundPayload.validate(req.body)
      return { ok: true, envelopes: [toEnvelope(body, idempotencyKey)] }
    } catch (error) {
      if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
      const first = error.messages[0] as { field: string; rule: string; message: string }
      return { ok: false, status: 422, field: first.field, rule: first.rule, error: first.message }
    }
  }

  // Nothing to register or poll: the company's app calls us.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const body = JSON.stringify(msg.payload ?? defaultPayload(msg))
    // The id is the message's own key, so a receiver can drop retries it already has.
    const id = msg.idempotencyKey
    const now = new Date()
    let response: Response
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': this.#webhook.sign(id, now, body),
        },
        body,
        // A redirect would turn the POST into a GET elsewhere; the URL should be fixed instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      })
    } catch (error) {
      throw new RetryableError(describeNetworkError(error))
    }

    if (response.status >= 200 && response.status < 300) {
      response.body?.cancel().catch(() => {})
      return { externalIds: [id] }
    }

    const excerpt = await bodyExcerpt(response)
    const reason = `webhook answered ${response.status}${excerpt ? `: ${excerpt}` : ''}`
    // 410 is the receiver's explicit "stop sending this".
    if (response.status === 410) throw new PermanentError(reason)
    // Other 4xx (and 3xx) are retried too: a receiver being deployed or
    // misconfigured for a while should not lose customers' replies.
    throw new RetryableError(reason, retryAfterMs(response.headers.get('retry-after')))
  }
}

export const apiChannel: ChannelFactory = {
  platform: 'api',
  secretFields: ['inboundKeyHash', 'webhookSecret'],

  async prepare(config, previous) {
    for (const key of Object.keys(config)) {
      if (!USER_FIELDS.has(key)) {
        throw new ChannelConfigError(`config.${key}`, `Unknown setting "${key}"`)
      }
    }
    // An update that leaves the URL out keeps the stored one.
    const webhookUrl = parseWebhookUrl(
      config.webhookUrl === undefined && previous ? previous.webhookUrl : config.webhookUrl
    )

    const reveal: Record<string, string> = {}
    const stored = (key: string) => {
      const value = previous?.[key]
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    // Secrets are made once; a stored config missing one (never expected) gets a new one.
    let inboundKeyHash = stored('inboundKeyHash')
    if (!inboundKeyHash) {
      reveal.inboundKey = newInboundKey()
      inboundKeyHash = sha256(reveal.inboundKey).toString('hex')
    }
    let webhookSecret = stored('webhookSecret')
    if (!webhookSecret) {
      webhookSecret = newWebhookSecret()
      reveal.webhookSecret = webhookSecret
    }

    return {
      config: { webhookUrl, inboundKeyHash, webhookSecret },
      ...(Object.keys(reveal).length > 0 ? { reveal } : {}),
    }
  },

  create(_channelId, config) {
    const url = parseWebhookUrl(config.webhookUrl)
    if (typeof config.webhookSecret !== 'string' || config.webhookSecret === '') {
      throw new ChannelConfigError('config.webhookSecret', 'The webhook secret is missing')
    }
    let webhook: Webhook
    try {
      webhook = new Webhook(config.webhookSecret)
    } catch {
      throw new ChannelConfigError('config.webhookSecret', 'The webhook secret is malformed')
    }
    return new ApiChannelAdapter(url, webhook, config)
  },

  needsRunner: () => false,
}

/** Whether `presented` is the channel's inbound key; constant time whatever is presented. */
export function verifyInboundKey(config: Record<string, unknown>, presented: string): boolean {
  const stored = config.inboundKeyHash
  if (typeof stored !== 'string' || !/^[0-9a-f]{64}$/i.test(stored)) return false
  if (typeof presented !== 'string' || presented === '') return false
  return timingSafeEqual(sha256(presented), Buffer.from(stored, 'hex'))
}

const hasItems = (value: unknown) => Array.isArray(value) && value.length > 0

const httpUrl = () =>
  vine
    .string()
    .trim()
    .maxLength(MAX_URL_LENGTH)
    .url({ protocols: ['http', 'https'], require_protocol: true })

/**
 * The body of `POST /api/v1/channels/:id/inbound`. A message carries text,
 * attachments or both, so text is required when there are no attachments
 * (an empty list counts as none: apps often send one).
 */
export const inboundPayload = vine.create({
  contact: vine.object({
    externalId: vine.string().minLength(1).maxLength(255),
    name: vine.string().trim().maxLength(200).optional(),
  }),
  message: vine.object({
    id: vine.string().minLength(1).maxLength(255),
    text: vine
      .string()
      .minLength(1)
      .maxLength(65536)
      .optional()
      .requiredWhen((field) => !hasItems(field.parent.attachments)),
    attachments: vine
      .array(
        vine.object({
          url: httpUrl(),
          name: vine.string().trim().maxLength(255).optional(),
          mimeType: vine.string().trim().maxLength(100).optional(),
        })
      )
      .maxLength(10)
      .optional(),
  }),
})

inboundPayload.messagesProvider = new SimpleMessagesProvider({
  'message.text.required': 'A message needs text, attachments or both',
})

export type InboundPayload = Infer<typeof inboundPayload>

export function toEnvelope(body: InboundPayload, idempotencyKey: string): InboundEnvelope {
  const attachments: AttachmentRef[] = (body.message.attachments ?? []).map((a) => ({
    kind: 'document',
    url: a.url,
    name: a.name,
    mimeType: a.mimeType,
  }))
  const text = body.message.text
  return {
    eventId: idempotencyKey,
    contact: { externalId: body.contact.externalId, name: body.contact.name },
    message: {
      externalId: body.message.id,
      kind: !text && attachments.length > 0 ? 'document' : 'text',
      text,
      attachments,
    },
  }
}
