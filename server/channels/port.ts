/*
| The channel port: what the core knows of a chat platform. An adapter under
| bots/<platform>/ implements it with its platform library; the core talks
| only to these types. Ids from platforms are opaque strings that only the
| adapter parses.
*/
import type { OperatorEvent } from '#channels/workspace'

export type Platform = 'telegram' | 'slack' | 'whatsapp' | 'discord' | 'api'

export const MESSAGE_KINDS = [
  'text',
  'photo',
  'document',
  'audio',
  'voice',
  'video',
  'video_note',
  'sticker',
  'location',
  'contact',
  'command',
  'callback',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** What an adapter can do; the core asks and never assumes. */
export interface Capabilities {
  maxTextLength: number
  edits: boolean
  buttons: boolean
  formatting: boolean
  media: Array<'photo' | 'document'>
}

/** A file kept at the platform: fetched on demand, never copied. */
export interface AttachmentRef {
  kind: string
  /** The adapter's handle for fetching it again (a Telegram file_id). */
  ref?: string
  url?: string
  name?: string
  mimeType?: string
  size?: number
  width?: number
  height?: number
  duration?: number
  /** A shared contact card's number (not a file: nothing to fetch). */
  phone?: string
}

export interface InboundContact {
  externalId: string
  name?: string
  username?: string
  locale?: string
  phone?: string
}

/** One event from a platform, normalised. `eventId` is the ledger key. */
export interface InboundEnvelope {
  eventId: string
  contact: InboundContact
  /** A new customer message. */
  message?: {
    externalId: string
    kind: MessageKind
    text?: string
    attachments: AttachmentRef[]
    replyToExternalId?: string
    command?: { name: string; args: string }
    metadata?: Record<string, unknown>
  }
  /** The customer edited a message they sent earlier. */
  edit?: { externalId: string; text: string; editedAt: Date }
  /** The customer pressed an inline button. */
  callback?: { id: string; data: string; messageExternalId?: string }
  /**
   * Not a customer at all: an operator in a workspace this channel's bot
   * serves (a Telegram forum group). `contact` is then the operator.
   */
  workspace?: { chatId: string; event: OperatorEvent }
}

export interface OutboundButton {
  text: string
  /** Sent back as a callback when pressed… */
  data?: string
  /** …or opened as a link. */
  url?: string
}

export interface OutboundMessage {
  /** The chat as the adapter named it (the contact identity's external id). */
  to: string
  text?: string
  /** `plain` unless formatting is asked for; adapters escape accordingly. */
  format?: 'plain' | 'markdown' | 'html'
  attachments?: Array<{ kind: 'photo' | 'document'; url: string; name?: string }>
  buttons?: OutboundButton[][]
  replyToExternalId?: string
  /** A stable id for this message, for platforms that deduplicate (webhooks). */
  idempotencyKey: string
  /** The whole message as the core sees it, for channels that forward it (the API channel). */
  payload?: Record<string, unknown>
}

export interface SendReceipt {
  /** One per platform message (long texts are split). */
  externalIds: string[]
}

/** Try again later; never before `retryAfterMs` when the platform said so. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/** Retrying cannot help. `unreachable`: the contact blocked us or is gone. */
export class PermanentError extends Error {
  constructor(
    message: string,
    readonly unreachable = false
  ) {
    super(message)
  }
}

/** A channel's config is wrong; `field` names it (e.g. `config.token`). */
export class ChannelConfigError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
  }
}

/** A webhook request as the adapter needs it: no framework types. */
export interface RawRequest {
  headers: Record<string, string | string[] | undefined>
  body: unknown
  rawBody?: string
}

export type WebhookResult =
  | { ok: true; envelopes: InboundEnvelope[] }
  | { ok: false; status: 400 | 401 | 422; error: string; field?: string; rule?: string }

/** What the core gives a running adapter. */
export interface AdapterContext {
  channelId: number
  /** Commits the envelope; resolves once it is durable (or a duplicate). */
  ingest(envelope: InboundEnvelope): Promise<void>
  /** Reports a problem worth showing on the channel (bad token, lost webhook). */
  reportStatus(status: 'running' | 'error', detail?: string): Promise<void>
  /** Where platforms reach this server (PUBLIC_URL), when it is reachable. */
  publicUrl?: string
  /** The customer commands to register with the platform's menu. */
  commands: Array<{ command: string; description: string }>
  log: { info(msg: string): void; warn(msg: string): void; error(msg: string): void }
}

export interface ChannelAdapter {
  readonly platform: Platform
  readonly capabilities: Capabilities
  /** Polling clients and platform registration (webhooks, commands). */
  start(ctx: AdapterContext): Promise<void>
  stop(): Promise<void>
  /** Verify and normalise; no side effects. */
  handleWebhook?(req: RawRequest): Promise<WebhookResult>
  /** Throws RetryableError or PermanentError. */
  send(msg: OutboundMessage): Promise<SendReceipt>
  /** Answers a pressed button so the platform stops its spinner. */
  answerCallback?(callbackId: string, text?: string): Promise<void>
  /** Changes the text of a message sent earlier (its receipt's ids); when `capabilities.edits`. */
  edit?(to: string, externalIds: string[], text: string): Promise<void>
  /** Takes back a message sent earlier, where the platform allows it. */
  remove?(to: string, externalIds: string[]): Promise<void>
  /** The bytes of an attachment kept at the platform. */
  fetchAttachment?(
    ref: AttachmentRef
  ): Promise<{ body: ReadableStream<Uint8Array> | Buffer; mimeType?: string; size?: number }>
}

/**
 * A platform's entry in the registry. `prepare` validates a new or changed
 * config against the platform (a bad Telegram token is found by getMe) and
 * adds what the channel generates (secrets); `secretFields` are never shown.
 */
export interface ChannelFactory {
  platform: Platform
  secretFields: string[]
  prepare(
    config: Record<string, unknown>,
    previous?: Record<string, unknown>
  ): Promise<{ config: Record<string, unknown>; reveal?: Record<string, string> }>
  create(channelId: number, config: Record<string, unknown>): ChannelAdapter
  /** Webhook mode: served by any web process; polling needs one runner. */
  needsRunner(config: Record<string, unknown>): boolean
}
