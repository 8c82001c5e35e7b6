import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type {
  BotCommand,
  Chat,
  ChatFullInfo,
  ChatMember,
  File as TelegramFile,
  ForumTopic,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  PhotoSize,
  Update,
  User,
  UserFromGetMe,
  WebhookInfo,
} from 'grammy/types'
import {
  detectEntities,
  nextMessageId,
  noteMessageId,
  privateChatOf,
  unixNow,
  userOf,
  without,
  type FakeUser,
  type UpdateWithoutId,
} from '#bots/testing/fake_telegram_updates'

export * from '#bots/testing/fake_telegram_updates'

/** One Bot API request as the fake received it. */
export interface CallRecord {
  token: string
  /** Canonical method name ("sendMessage" even when called as "SENDMESSAGE"). */
  method: string
  /** Decoded parameters: JSON fields as objects, uploads as UploadedFile. */
  params: Record<string, unknown>
  /** Date.now() when the request arrived. */
  at: number
  /** HTTP status of the answer; unset while a long poll is still open. */
  status?: number
  /** The error description, for failed calls. */
  description?: string
  /** Held by stallNext: received, never acted on, dropped when the caller went away. */
  stalled?: boolean
}

/** An uploaded multipart file as recorded in CallRecord.params. */
export interface UploadedFile {
  filename: string
  size: number
  type: string
}

export interface WebhookDelivery {
  token: string
  updateId: number
  status: number | 'error'
  at: number
}

export interface FileDownload {
  token: string
  filePath: string
  status: number
  at: number
}

export type InjectedFailure =
  { status: 429; retryAfter: number } | { status: 500 | 502 | 503; description?: string }

export type ChatMemberStatus = ChatMember['status']

export interface FakeTelegramOptions {
  /** Pause between two delivery attempts of an update the webhook refused. */
  webhookRetryDelayMs?: number
  /** Attempts per update before the fake gives up on it and moves on. */
  webhookMaxAttempts?: number
  /** How long one webhook request may take. */
  webhookTimeoutMs?: number
}

/** A Bot API error: the HTTP status doubles as error_code, as in Telegram. */
class TelegramError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number }
  ) {
    super(description)
  }
}

function badRequest(text: string): TelegramError {
  return new TelegramError(400, `Bad Request: ${text}`)
}

function entityParseError(text: string): TelegramError {
  return badRequest(`can't parse entities: ${text}`)
}

function tooManyRequests(retryAfter: number): TelegramError {
  return new TelegramError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  })
}

/** A result Telegram answers with a human-readable note, like setWebhook's "Webhook was set". */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string
  ) {}
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'
const WEBHOOK_ACTIVE =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
const OTHER_POLL =
  'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'

const MAX_TEXT = 4096
const MAX_CAPTION = 1024
const MAX_UPLOAD = 50 * 1024 * 1024
const MAX_DOWNLOAD = 20 * 1024 * 1024
const TOPIC_COLORS = new Set([7322096, 16766590, 13338331, 9367192, 16749490, 16478047])
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
])
/** Without allowed_updates Telegram sends every update type except these. */
const NOT_SENT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count'])

/* Form and query parameters arrive as strings; Telegram reads them by the declared type. */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'link_preview_options',
  'reply_parameters',
  'allowed_updates',
  'commands',
  'scope',
  'media',
  'permissions',
  'reaction',
  'options',
])
const INT_FIELDS = new Set([
  'chat_id',
  'message_id',
  'message_thread_id',
  'reply_to_message_id',
  'offset',
  'limit',
  'timeout',
  'user_id',
  'from_chat_id',
  'max_connections',
  'cache_time',
  'icon_color',
  'duration',
  'width',
  'height',
  'length',
])
const BOOL_FIELDS = new Set([
  'disable_notification',
  'protect_content',
  'allow_sending_without_reply',
  'drop_pending_updates',
  'show_alert',
  'has_spoiler',
  'disable_web_page_preview',
  'disable_content_type_detection',
  'supports_streaming',
  'allow_paid_broadcast',
  'show_caption_above_media',
])

type MediaKind =
  'photo' | 'document' | 'audio' | 'voice' | 'video' | 'video_note' | 'sticker' | 'animation'

const MEDIA: Record<MediaKind, { folder: string; ext: string; prefix: string }> = {
  photo: { folder: 'photos', ext: 'jpg', prefix: 'AgACAgIAAxkBAAI' },
  document: { folder: 'documents', ext: 'dat', prefix: 'BQACAgIAAxkBAAI' },
  audio: { folder: 'music', ext: 'mp3', prefix: 'CQACAgIAAxkBAAI' },
  voice: { folder: 'voice', ext: 'oga', prefix: 'AwACAgIAAxkBAAI' },
  video: { folder: 'videos', ext: 'mp4', prefix: 'BAACAgIAAxkBAAI' },
  video_note: { folder: 'video_notes', ext: 'mp4', prefix: 'DQACAgIAAxkBAAI' },
  sticker: { folder: 'stickers', ext: 'webp', prefix: 'CAACAgIAAxkBAAI' },
  animation: { folder: 'animations', ext: 'mp4', prefix: 'CgACAgIAAxkBAAI' },
}

const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp4: 'video/mp4',
  webm: 'video/webm',
  tgs: 'application/x-tgsticker',
}

/** The usual extension per MIME type: the first one listed wins (image/jpeg → jpg). */
const EXT_BY_MIME: Record<string, string> = {}
for (const [ext, mime] of Object.entries(MIME_BY_EXT)) EXT_BY_MIME[mime] ??= ext

/** Where Telegram would file bytes of this type (photos/, voice/, ...). */
function kindForMime(mime: string | undefined): MediaKind {
  if (mime === 'image/jpeg' || mime === 'image/png') return 'photo'
  if (mime === 'audio/ogg') return 'voice'
  if (mime?.startsWith('audio/')) return 'audio'
  if (mime?.startsWith('video/')) return 'video'
  return 'document'
}

interface StoredFile {
  file_id: string
  file_unique_id: string
  file_path: string
  bytes: Buffer
  mime: string
}

interface StoredMessage {
  token: string
  message: Message
  fromBot: boolean
  deleted?: boolean
}

interface Webhook {
  url: string
  secretToken?: string
  maxConnections: number
}

interface Poller {
  wake(): void
  terminate(description: string): void
}

interface BotState {
  token: string
  me: UserFromGetMe
  lastUpdateId: number
  /** Updates not yet confirmed (getUpdates) or not yet delivered (webhook), oldest first. */
  pending: Update[]
  /** Undefined means Telegram's default set. */
  allowedUpdates?: string[]
  webhook?: Webhook
  lastWebhookError?: { date: number; message: string }
  delivering: boolean
  pollers: Set<Poller>
  chats: Map<string, Chat>
  users: Map<number, User>
  blocked: Set<string>
  forums: Map<string, Map<number, ForumTopic>>
  members: Map<string, ChatMemberStatus>
  commands: Map<string, BotCommand[]>
  files: Map<string, StoredFile>
  filesByPath: Map<string, StoredFile>
  messages: Map<string, StoredMessage>
  /** Callback query id → answered already. */
  callbackQueries: Map<string, boolean>
}

type Handler = (bot: BotState, params: Params, signal: AbortSignal) => unknown

/** The bytes behind an UploadedFile, kept off the recorded object so records compare cleanly. */
const uploadedBytes = new WeakMap<object, Buffer>()

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Typed access to decoded parameters with Telegram-like complaints. */
class Params {
  constructor(readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const value = this.raw[name]
    return value !== undefined && value !== null && value !== ''
  }

  string(name: string): string | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    throw badRequest(`field "${name}" must be of type String`)
  }

  int(name: string): number | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value === 'number' && Number.isInteger(value)) return value
    if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value)
    throw badRequest(`field "${name}" must be of type Integer`)
  }

  bool(name: string): boolean {
    const value = this.raw[name]
    return value === true || value === 'true' || value === 1 || value === '1'
  }

  object(name: string): Record<string, unknown> | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null) return undefined
    if (isObject(value)) return value
    throw badRequest(`can't parse ${name} JSON object`)
  }

  array(name: string): unknown[] | undefined {
    const value = this.raw[name]
    if (value === undefined || value === null) return undefined
    if (Array.isArray(value)) return value
    throw badRequest(`can't parse ${name} JSON array`)
  }
}

interface Formatted {
  text: string
  entities: MessageEntity[]
}

/** JSON with sorted keys, to compare objects built in different orders. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner
  )
}

function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index))
}

function codePoints(text: string): number {
  return [...text].length
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length)
}

/** Telegram accepts "example.com" as a link and hands back the normalized URL. */
function normalizeUrl(url: string): string | undefined {
  const trimmed = url.trim()
  if (/^(?:https?|tg|ftp|mailto):/i.test(trimmed)) {
    return URL.canParse(trimmed) ? trimmed : undefined
  }
  if (/^[\w-]+(?:\.[\w-]+)+(?:[/:?#]\S*)?$/.test(trimmed) && URL.canParse(`http://${trimmed}`)) {
    return new URL(`http://${trimmed}`).href
  }
  return undefined
}

const MARKDOWN_V2_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
}

function isEscapable(source: string, index: number): boolean {
  const code = source.charCodeAt(index)
  return code > 0 && code <= 126
}

/** Skips the language tag and the first line break after an opening ```. */
function readPreHeader(source: string, start: number): { next: number; language?: string } {
  let index = start
  let language: string | undefined
  let end = index
  while (end < source.length && !/\s/.test(source[end]) && source[end] !== '`') end++
  if (end !== index && end < source.length && source[end] !== '`') {
    language = source.slice(index, end)
    index = end
  }
  if (source[index] === '\n' || source[index] === '\r') {
    const pair =
      (source[index + 1] === '\n' || source[index + 1] === '\r') &&
      source[index] !== source[index + 1]
    index += pair ? 2 : 1
  }
  return { next: index, language }
}

/** MarkdownV2 as Telegram parses it (the algorithm of TDLib's parse_markdown_v2). */
function parseMarkdownV2(source: string): Formatted {
  const reserved = '_*[]()~`>#+-=|{}.!'
  const reservedError = (character: string) =>
    entityParseError(
      `Character '${character}' is reserved and must be escaped with the preceding '\\'`
    )
  let text = ''
  const entities: MessageEntity[] = []
  const open: Array<{ type: string; offset: number; at: number; language?: string }> = []
  let quoteStart: number | undefined
  const closeQuote = () => {
    if (quoteStart === undefined) return
    const end = text.endsWith('\n') ? text.length - 1 : text.length
    if (end > quoteStart) {
      entities.push({ type: 'blockquote', offset: quoteStart, length: end - quoteStart })
    }
    quoteStart = undefined
  }

  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    const top = open.at(-1)
    const inCode = top?.type === 'code' || top?.type === 'pre'
    if (!inCode && (i === 0 || source[i - 1] === '\n')) {
      if (c === '>') {
        quoteStart ??= text.length
        continue
      }
      closeQuote()
    }
    if (c === '\\' && isEscapable(source, i + 1)) {
      text += source[i + 1]
      i++
      continue
    }
    if (!(inCode ? '`' : reserved).includes(c)) {
      text += c
      continue
    }

    let closes = false
    switch (top?.type) {
      case 'bold':
        closes = c === '*'
        break
      case 'italic':
        closes = c === '_' && source[i + 1] !== '_'
        break
      case 'underline':
        closes = c === '_' && source[i + 1] === '_'
        break
      case 'strikethrough':
        closes = c === '~'
        break
      case 'spoiler':
        closes = c === '|' && source[i + 1] === '|'
        break
      case 'code':
        closes = c === '`'
        break
      case 'pre':
        closes = c === '`' && source[i + 1] === '`' && source[i + 2] === '`'
        break
      case 'text_link':
      case 'custom_emoji':
        closes = c === ']'
        break
    }

    if (!closes) {
      const at = i
      let type: string
      let language: string | undefined
      switch (c) {
        case '_':
          type = source[i + 1] === '_' ? 'underline' : 'italic'
          if (type === 'underline') i++
          break
        case '*':
          type = 'bold'
          break
        case '~':
          type = 'strikethrough'
          break
        case '|':
          if (source[i + 1] !== '|') throw reservedError(c)
          type = 'spoiler'
          i++
          break
        case '[':
          type = 'text_link'
          break
        case '`':
          if (source[i + 1] === '`' && source[i + 2] === '`') {
            const header = readPreHeader(source, i + 3)
            type = 'pre'
            language = header.language
            i = header.next - 1
          } else {
            type = 'code'
          }
          break
        case '!':
          if (source[i + 1] !== '[') throw reservedError(c)
          type = 'custom_emoji'
          i++
          break
        default:
          throw reservedError(c)
      }
      open.push({ type, offset: text.length, at, language })
      continue
    }

    const entity = open.pop()!
    let skip = text.length === entity.offset
    const extra: Record<string, unknown> = {}
    if (entity.type === 'underline' || entity.type === 'spoiler') i++
    if (entity.type === 'pre') i += 2
    if (entity.type === 'text_link' || entity.type === 'custom_emoji') {
      let url = ''
      if (source[i + 1] === '(') {
        i += 2
        const begin = i
        while (i < source.length && source[i] !== ')') {
          if (source[i] === '\\' && isEscapable(source, i + 1)) {
            url += source[i + 1]
            i += 2
            continue
          }
          url += source[i++]
        }
        if (source[i] !== ')') {
          throw entityParseError(
            `Can't find end of a URL at byte offset ${byteOffset(source, begin)}`
          )
        }
      } else {
        url = text.slice(entity.offset)
      }
      if (entity.type === 'custom_emoji') {
        const emoji = /^tg:\/\/emoji\?id=(\d+)$/.exec(url)
        if (!emoji) throw entityParseError('Custom emoji entity must contain a tg://emoji URL')
        extra.custom_emoji_id = emoji[1]
      } else {
        const normalized = normalizeUrl(url)
        if (normalized === undefined) skip = true
        else extra.url = normalized
      }
    }
    if (!skip) {
      entities.push({
        type: entity.type,
        offset: entity.offset,
        length: text.length - entity.offset,
        ...(entity.language === undefined ? {} : { language: entity.language }),
        ...extra,
      } as MessageEntity)
    }
  }

  const unclosed = open.at(-1)
  if (unclosed) {
    throw entityParseError(
      `Can't find end of ${MARKDOWN_V2_NAMES[unclosed.type]} entity at byte offset ${byteOffset(source, unclosed.at)}`
    )
  }
  closeQuote()
  return { text, entities: sortEntities(entities) }
}

/** Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting. */
function parseMarkdown(source: string): Formatted {
  let text = ''
  const entities: MessageEntity[] = []
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\' && '_*`['.includes(source[i + 1] ?? '\n')) {
      text += source[i + 1]
      i++
      continue
    }
    if (!'_*`['.includes(c)) {
      text += c
      continue
    }
    const begin = i
    const endCharacter = c === '[' ? ']' : c
    let isPre = false
    let language: string | undefined
    i++
    if (c === '`' && source[i] === '`' && source[i + 1] === '`') {
      const header = readPreHeader(source, i + 2)
      isPre = true
      language = header.language
      i = header.next
    }
    const offset = text.length
    while (
      i < source.length &&
      (source[i] !== endCharacter || (isPre && !(source[i + 1] === '`' && source[i + 2] === '`')))
    ) {
      text += source[i++]
    }
    if (i >= source.length) {
      throw entityParseError(
        `Can't find end of the entity starting at byte offset ${byteOffset(source, begin)}`
      )
    }
    const length = text.length - offset
    if (c === '[') {
      let url = text.slice(offset)
      if (source[i + 1] === '(') {
        url = ''
        i += 2
        while (i < source.length && source[i] !== ')') url += source[i++]
      }
      const normalized = normalizeUrl(url)
      if (length > 0 && normalized !== undefined) {
        entities.push({ type: 'text_link', offset, length, url: normalized })
      }
      continue
    }
    if (length > 0) {
      if (c === '_') entities.push({ type: 'italic', offset, length })
      if (c === '*') entities.push({ type: 'bold', offset, length })
      if (c === '`') {
        entities.push(
          isPre
            ? { type: 'pre', offset, length, ...(language === undefined ? {} : { language }) }
            : { type: 'code', offset, length }
        )
      }
    }
    if (isPre) i += 2
  }
  return { text, entities: sortEntities(entities) }
}

const HTML_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'tg-time',
  'code',
  'pre',
  'blockquote',
])

const HTML_SIMPLE: Record<string, MessageEntity.CommonMessageEntity['type']> = {
  'b': 'bold',
  'strong': 'bold',
  'i': 'italic',
  'em': 'italic',
  'u': 'underline',
  'ins': 'underline',
  's': 'strikethrough',
  'strike': 'strikethrough',
  'del': 'strikethrough',
  'span': 'spoiler',
  'tg-spoiler': 'spoiler',
  'code': 'code',
}

function decodeHtmlEntity(
  source: string,
  index: number
): { text: string; length: number } | undefined {
  const match = /^&(?:(lt|gt|amp|quot)|#(\d{1,7})|#x([\da-f]{1,6}));/i.exec(
    source.slice(index, index + 12)
  )
  if (!match) return undefined
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' }
  const code = match[2] ? Number(match[2]) : match[3] ? Number.parseInt(match[3], 16) : undefined
  if (code !== undefined && (code > 0x10ffff || code === 0)) return undefined
  const text = code === undefined ? named[match[1].toLowerCase()] : String.fromCodePoint(code)
  return { text, length: match[0].length }
}

/** Telegram's HTML subset (the algorithm of TDLib's parse_html). */
function parseHtml(source: string): Formatted {
  let text = ''
  const entities: MessageEntity[] = []
  const open: Array<{
    tag: string
    offset: number
    attributes: Record<string, string>
    language?: string
  }> = []
  const nameCharacter = /[\da-z-]/i

  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '&') {
      const decoded = decodeHtmlEntity(source, i)
      if (decoded) {
        text += decoded.text
        i += decoded.length - 1
      } else {
        text += c
      }
      continue
    }
    if (c !== '<') {
      text += c
      continue
    }

    const at = i
    i++
    if (source[i] !== '/') {
      let tag = ''
      while (i < source.length && nameCharacter.test(source[i])) tag += source[i++]
      tag = tag.toLowerCase()
      if (!HTML_TAGS.has(tag)) {
        throw entityParseError(
          `Unsupported start tag "${tag}" at byte offset ${byteOffset(source, at)}`
        )
      }
      const attributes: Record<string, string> = {}
      for (;;) {
        while (i < source.length && /\s/.test(source[i])) i++
        if (i >= source.length) {
          throw entityParseError(`Unclosed start tag at byte offset ${byteOffset(source, at)}`)
        }
        if (source[i] === '>') break
        let name = ''
        while (i < source.length && /[\w-]/.test(source[i])) name += source[i++]
        if (name === '') {
          throw entityParseError(
            `Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(source, at)}`
          )
        }
        while (i < source.length && /\s/.test(source[i])) i++
        let value = ''
        if (source[i] === '=') {
          i++
          while (i < source.length && /\s/.test(source[i])) i++
          const quote = source[i]
          if (quote === '"' || quote === "'") {
            const end = source.indexOf(quote, i + 1)
            if (end < 0) {
              throw entityParseError(`Unclosed start tag at byte offset ${byteOffset(source, at)}`)
            }
            value = source.slice(i + 1, end)
            i = end + 1
          } else {
            while (i < source.length && !/[\s>]/.test(source[i])) value += source[i++]
          }
        }
        attributes[name.toLowerCase()] = value.replaceAll(
          /&(?:lt|gt|amp|quot|#\d{1,7}|#x[\da-f]{1,6});/gi,
          (entity) => decodeHtmlEntity(entity, 0)?.text ?? entity
        )
      }
      if (tag === 'span' && attributes.class !== 'tg-spoiler') {
        throw entityParseError(
          `Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, at)}`
        )
      }
      open.push({ tag, offset: text.length, attributes })
      continue
    }

    i++
    if (open.length === 0) {
      throw entityParseError(`Unexpected end tag at byte offset ${byteOffset(source, at)}`)
    }
    let tag = ''
    while (i < source.length && nameCharacter.test(source[i])) tag += source[i++]
    tag = tag.toLowerCase()
    while (i < source.length && /\s/.test(source[i])) i++
    if (source[i] !== '>') {
      throw entityParseError(`Unclosed end tag at byte offset ${byteOffset(source, at)}`)
    }
    const entity = open.pop()!
    if (tag !== entity.tag) {
      throw entityParseError(
        `Unmatched end tag at byte offset ${byteOffset(source, at)}, expected "</${entity.tag}>", found "</${tag}>"`
      )
    }
    const offset = entity.offset
    const length = text.length - offset
    if (length === 0) continue
    const parent = open.at(-1)
    const language = /^language-(.+)$/.exec(entity.attributes.class ?? '')?.[1]
    if (tag === 'code' && parent?.tag === 'pre' && parent.offset === offset && language) {
      // <pre><code class="language-x"> is one pre entity with a language.
      parent.language = language
      continue
    }
    if (tag in HTML_SIMPLE) {
      entities.push({ type: HTML_SIMPLE[tag], offset, length })
    } else if (tag === 'a') {
      const url = normalizeUrl(entity.attributes.href ?? '')
      if (url !== undefined) entities.push({ type: 'text_link', offset, length, url })
    } else if (tag === 'pre') {
      entities.push({
        type: 'pre',
        offset,
        length,
        ...(entity.language === undefined ? {} : { language: entity.language }),
      })
    } else if (tag === 'blockquote') {
      const type = 'expandable' in entity.attributes ? 'expandable_blockquote' : 'blockquote'
      entities.push({ type, offset, length })
    } else if (tag === 'tg-emoji') {
      const id = entity.attributes['emoji-id']
      if (!id) throw entityParseError('Custom emoji entity must contain a tg://emoji URL')
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id })
    } else if (tag === 'tg-time') {
      const unixTime = Number(entity.attributes.unix)
      if (Number.isInteger(unixTime)) {
        const format = (entity.attributes.format ||
          'r') as MessageEntity.DateTimeMessageEntity['date_time_format']
        entities.push({
          type: 'date_time',
          offset,
          length,
          unix_time: unixTime,
          date_time_format: format,
        })
      }
    }
  }
  const unclosed = open.at(-1)
  if (unclosed) {
    throw entityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`)
  }
  return { text, entities: sortEntities(entities) }
}

/** Telegram trims message text; entities move with it. */
function trimFormatted({ text, entities }: Formatted): Formatted {
  const lead = text.length - text.trimStart().length
  const trimmed = text.trim()
  const kept = entities.flatMap((entity) => {
    const start = Math.max(0, entity.offset - lead)
    const end = Math.min(trimmed.length, entity.offset + entity.length - lead)
    return end > start ? [{ ...entity, offset: start, length: end - start }] : []
  })
  return { text: trimmed, entities: kept }
}

/** Width and height from PNG, GIF or JPEG headers; Telegram reports real dimensions. */
function imageSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
  }
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let index = 2
    while (index + 9 < bytes.length && bytes[index] === 0xff) {
      const marker = bytes[index + 1]
      const size = bytes.readUInt16BE(index + 2)
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: bytes.readUInt16BE(index + 5), width: bytes.readUInt16BE(index + 7) }
      }
      index += 2 + size
    }
  }
  return undefined
}

function extensionOf(name: string): string | undefined {
  const match = /\.([\da-z]{1,8})$/i.exec(name)
  return match ? match[1].toLowerCase() : undefined
}

function mimeFor(name: string, fallback?: string): string {
  const ext = extensionOf(name)
  if (ext && MIME_BY_EXT[ext]) return MIME_BY_EXT[ext]
  return fallback && fallback !== '' ? fallback : 'application/octet-stream'
}

function updateTypeOf(update: object): string | undefined {
  return Object.keys(update).find((key) => key !== 'update_id')
}

/** Validates reply_markup; only an inline keyboard is echoed on the Message. */
function checkReplyMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (markup === undefined || markup === null) return undefined
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object")
  if ('inline_keyboard' in markup) {
    const rows = markup.inline_keyboard
    if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
      throw badRequest(
        'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
      )
    }
    for (const button of rows.flat() as unknown[]) {
      if (!isObject(button) || typeof button.text !== 'string') {
        throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String')
      }
      const actions = [
        'url',
        'callback_data',
        'web_app',
        'login_url',
        'switch_inline_query',
        'switch_inline_query_current_chat',
        'switch_inline_query_chosen_chat',
        'copy_text',
        'callback_game',
        'pay',
      ].filter((key) => key in button)
      if (actions.length === 0) {
        throw badRequest(
          "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
      }
      if ('callback_data' in button) {
        const size = Buffer.byteLength(String(button.callback_data))
        if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID')
      }
      if ('url' in button && normalizeUrl(String(button.url)) === undefined) {
        throw badRequest(
          `inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`
        )
      }
    }
    return rows.length > 0 ? (markup as unknown as InlineKeyboardMarkup) : undefined
  }
  if ('keyboard' in markup || 'remove_keyboard' in markup || 'force_reply' in markup)
    return undefined
  throw badRequest("can't parse reply keyboard markup JSON object")
}

function memberOf(status: ChatMemberStatus, user: User): ChatMember {
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false }
    case 'administrator':
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: true,
        can_send_welcome_messages: false,
      }
    case 'member':
      return { status, user }
    case 'restricted':
      return {
        status,
        user,
        is_member: true,
        can_send_messages: false,
        can_send_audios: false,
        can_send_documents: false,
        can_send_photos: false,
        can_send_videos: false,
        can_send_video_notes: false,
        can_send_voice_notes: false,
        can_send_polls: false,
        can_send_other_messages: false,
        can_add_web_page_previews: false,
        can_react_to_messages: false,
        can_change_info: false,
        can_invite_users: false,
        can_edit_tag: false,
        can_pin_messages: false,
        can_manage_topics: false,
        until_date: 0,
      }
    case 'left':
      return { status, user }
    case 'kicked':
      return { status, user, until_date: 0 }
  }
}

/**
 * An in-process Telegram Bot API server for tests. Point grammY at it with
 * `new Bot(token, { client: { apiRoot: fake.apiRoot } })`.
 */
export class FakeTelegram {
  readonly calls: CallRecord[] = []
  readonly webhookDeliveries: WebhookDelivery[] = []
  readonly downloads: FileDownload[] = []
  webhookRetryDelayMs: number
  webhookMaxAttempts: number
  webhookTimeoutMs: number

  readonly #server: Server
  #apiRoot = ''
  #stopped = false
  readonly #shutdown = new AbortController()
  readonly #bots = new Map<string, BotState>()
  readonly #sent: StoredMessage[] = []
  readonly #failures: Array<{ method: string; failure: InjectedFailure; remaining: number }> = []
  readonly #stalls: Array<{ method: string; remaining: number }> = []
  #storms: Array<{ method: string; untilMs: number; chatId?: string }> = []
  readonly #inflight = new Set<Promise<unknown>>()
  readonly #handlers: Record<string, Handler>
  readonly #methodNames: Map<string, string>
  #nextBotId = 7_000_000_001
  #nextFileNumber = 1

  private constructor(server: Server, options: FakeTelegramOptions) {
    this.#server = server
    this.webhookRetryDelayMs = options.webhookRetryDelayMs ?? 50
    this.webhookMaxAttempts = options.webhookMaxAttempts ?? 20
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000
    this.#handlers = {
      getMe: (bot) => bot.me,
      getUpdates: (bot, params, signal) => this.#getUpdates(bot, params, signal),
      setWebhook: (bot, params) => this.#setWebhook(bot, params),
      deleteWebhook: (bot, params) => this.#deleteWebhook(bot, params),
      getWebhookInfo: (bot) => this.#webhookInfo(bot),
      sendMessage: (bot, params) => this.#sendMessage(bot, params),
      sendPhoto: (bot, params) => this.#sendMedia(bot, params, 'photo'),
      sendDocument: (bot, params) => this.#sendMedia(bot, params, 'document'),
      sendAudio: (bot, params) => this.#sendMedia(bot, params, 'audio'),
      sendVoice: (bot, params) => this.#sendMedia(bot, params, 'voice'),
      sendVideo: (bot, params) => this.#sendMedia(bot, params, 'video'),
      sendVideoNote: (bot, params) => this.#sendMedia(bot, params, 'video_note'),
      sendSticker: (bot, params) => this.#sendMedia(bot, params, 'sticker'),
      sendAnimation: (bot, params) => this.#sendMedia(bot, params, 'animation'),
      sendChatAction: (bot, params) => this.#sendChatAction(bot, params),
      editMessageText: (bot, params) => this.#editMessageText(bot, params),
      editMessageReplyMarkup: (bot, params) => this.#editMessageReplyMarkup(bot, params),
      deleteMessage: (bot, params) => this.#deleteMessage(bot, params),
      answerCallbackQuery: (bot, params) => this.#answerCallbackQuery(bot, params),
      setMyCommands: (bot, params) => this.#setMyCommands(bot, params),
      getMyCommands: (bot, params) => bot.commands.get(this.#commandsKey(bot, params)) ?? [],
      deleteMyCommands: (bot, params) => {
        bot.commands.delete(this.#commandsKey(bot, params))
        return true
      },
      getFile: (bot, params) => this.#getFile(bot, params),
      createForumTopic: (bot, params) => this.#createForumTopic(bot, params),
      getChat: (bot, params) => this.#getChat(bot, params),
      getChatMember: (bot, params) => this.#getChatMember(bot, params),
    }
    this.#methodNames = new Map(
      Object.keys(this.#handlers).map((name) => [name.toLowerCase(), name])
    )
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    let fake: FakeTelegram | undefined
    const server = createServer((request, response) => {
      const handling = fake!.#handle(request, response)
      fake!.#inflight.add(handling)
      void handling.finally(() => fake!.#inflight.delete(handling))
    })
    fake = new FakeTelegram(server, options)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    fake.#apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return fake
  }

  /** Base URL for grammY's `client.apiRoot` (no trailing slash). */
  get apiRoot(): string {
    return this.#apiRoot
  }

  /** Answers open long polls, stops webhook deliveries and closes the server. */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    for (const bot of this.#bots.values()) {
      for (const poller of bot.pollers) poller.wake()
    }
    this.#shutdown.abort()
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      // Generous: on a loaded machine a woken long poll may take a while to answer.
      sleep(3000, undefined, { ref: false }),
    ])
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeAllConnections()
    })
  }

  // ---- set-up -------------------------------------------------------------

  addBot(
    token: string,
    info: Partial<{ id: number; username: string; first_name: string }> = {}
  ): UserFromGetMe {
    // Telegram tokens start with the bot's user id.
    const fromToken = /^(\d+):/.exec(token)?.[1]
    const id = info.id ?? (fromToken ? Number(fromToken) : this.#nextBotId++)
    const me: UserFromGetMe = {
      id,
      is_bot: true,
      first_name: info.first_name ?? 'Support Bot',
      username: info.username ?? `support_${id}_bot`,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    }
    this.#bots.set(token, {
      token,
      me,
      lastUpdateId: 0,
      pending: [],
      delivering: false,
      pollers: new Set(),
      chats: new Map(),
      users: new Map(),
      blocked: new Set(),
      forums: new Map(),
      members: new Map(),
      commands: new Map(),
      files: new Map(),
      filesByPath: new Map(),
      messages: new Map(),
      callbackQueries: new Map(),
    })
    return me
  }

  /** Makes a chat known to the bot; a FakeUser becomes their private chat. */
  addChat(token: string, chat: Chat | FakeUser): Chat {
    const bot = this.#bot(token)
    if ('type' in chat) {
      bot.chats.set(String(chat.id), chat)
      return chat
    }
    bot.users.set(chat.id, userOf(chat))
    const privateChat = privateChatOf(chat)
    bot.chats.set(String(chat.id), privateChat)
    return privateChat
  }

  /** A supergroup with topics enabled, where createForumTopic works. */
  addForumChat(token: string, chatId: number, title = 'Support forum'): Chat.SupergroupChat {
    const bot = this.#bot(token)
    const chat: Chat.SupergroupChat = { id: chatId, type: 'supergroup', title, is_forum: true }
    bot.chats.set(String(chatId), chat)
    if (!bot.forums.has(String(chatId))) bot.forums.set(String(chatId), new Map())
    return chat
  }

  blockUser(token: string, chatId: number | string): void {
    this.#bot(token).blocked.add(String(chatId))
  }

  unblockUser(token: string, chatId: number | string): void {
    this.#bot(token).blocked.delete(String(chatId))
  }

  /** What getChatMember reports; for the bot's own id it also gates sending to groups. */
  setChatMember(
    token: string,
    chatId: number | string,
    userId: number,
    status: ChatMemberStatus
  ): void {
    this.#bot(token).members.set(`${chatId}:${userId}`, status)
  }

  /** Stores bytes the bot can fetch with getFile and the download route. */
  addFile(
    token: string,
    file: { bytes: Buffer; file_path?: string; mime?: string }
  ): { file_id: string; file_unique_id: string; file_size: number; file_path: string } {
    const bot = this.#bot(token)
    const ext = file.file_path
      ? extensionOf(file.file_path)
      : file.mime
        ? EXT_BY_MIME[file.mime]
        : undefined
    const stored = this.#storeFile(bot, kindForMime(file.mime), file.bytes, {
      path: file.file_path,
      ext: ext ?? 'dat',
      mime: file.mime ?? mimeFor(file.file_path ?? ''),
    })
    return {
      file_id: stored.file_id,
      file_unique_id: stored.file_unique_id,
      file_size: stored.bytes.length,
      file_path: stored.file_path,
    }
  }

  // ---- failure injection ----------------------------------------------------

  /** The next `times` calls of `method` (or of any method, with '*') fail this way. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    this.#failures.push({ method: method.toLowerCase(), failure, remaining: times })
  }

  /**
   * The next `times` calls of `method` arrive but are never acted on: they
   * hang until the caller goes away, as when a process dies before Telegram
   * handled its request. Nothing they ask for happens.
   */
  stallNext(method: string, times = 1): void {
    this.#stalls.push({ method: method.toLowerCase(), remaining: times })
  }

  /** Flood control until `untilMs`: each matching call gets 429 with the seconds left. */
  rateLimit(method: string, options: { untilMs: number; chatId?: string | number }): void {
    this.#storms.push({
      method: method.toLowerCase(),
      untilMs: options.untilMs,
      chatId: options.chatId === undefined ? undefined : String(options.chatId),
    })
  }

  // ---- inspection -----------------------------------------------------------

  callsOf(method: string): CallRecord[] {
    const wanted = method.toLowerCase()
    return this.calls.filter((call) => call.method.toLowerCase() === wanted)
  }

  clearCalls(): void {
    this.calls.length = 0
  }

  /** Messages bots sent (in their edited state, deleted ones left out), oldest first. */
  sentMessages(chatId?: number | string): Message[] {
    return this.#sent
      .filter((stored) => !stored.deleted)
      .filter((stored) => chatId === undefined || String(stored.message.chat.id) === String(chatId))
      .map((stored) => stored.message)
  }

  /** Updates queued for the bot: not confirmed by getUpdates or not yet delivered to the webhook. */
  pendingUpdates(token: string): Update[] {
    return [...this.#bot(token).pending]
  }

  /** Resolves once `count` answered calls of `method` were recorded. */
  async waitForCalls(method: string, count = 1, timeoutMs = 2000): Promise<CallRecord[]> {
    const answered = () => this.callsOf(method).filter((call) => call.status !== undefined)
    await this.#until(
      () => answered().length >= count,
      timeoutMs,
      () => {
        return `${count} ${method} call(s), saw ${answered().length}`
      }
    )
    return answered()
  }

  /** Resolves once `count` webhook delivery attempts were recorded. */
  async waitForDeliveries(count = 1, timeoutMs = 2000): Promise<WebhookDelivery[]> {
    await this.#until(
      () => this.webhookDeliveries.length >= count,
      timeoutMs,
      () => {
        return `${count} webhook deliveries, saw ${this.webhookDeliveries.length}`
      }
    )
    return [...this.webhookDeliveries]
  }

  // ---- updates ---------------------------------------------------------------

  /**
   * Queues an update with the next update_id. With a webhook it is POSTed
   * there; otherwise it waits for getUpdates. Types the bot did not subscribe
   * to (allowed_updates) are dropped, as Telegram never creates them.
   */
  pushUpdate(token: string, update: UpdateWithoutId): number {
    const bot = this.#bot(token)
    const full = { update_id: ++bot.lastUpdateId, ...update } as Update
    this.#learn(bot, full)
    if (!this.#wanted(bot, full)) return full.update_id
    bot.pending.push(full)
    if (bot.webhook) this.#deliver(bot)
    else for (const poller of bot.pollers) poller.wake()
    return full.update_id
  }

  /** POSTs one update (one update_id) `copies` times at once to the webhook. */
  async deliverUpdateConcurrently(
    token: string,
    update: UpdateWithoutId,
    copies: number
  ): Promise<Array<number | 'error'>> {
    const bot = this.#bot(token)
    const hook = bot.webhook
    if (!hook) throw new Error(`No webhook is set for bot ${bot.me.username}`)
    const full = { update_id: ++bot.lastUpdateId, ...update } as Update
    this.#learn(bot, full)
    return Promise.all(Array.from({ length: copies }, () => this.#post(bot, hook, full)))
  }

  // ---- HTTP ------------------------------------------------------------------

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#apiRoot)
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname)
    if (file && (request.method === 'GET' || request.method === 'HEAD')) {
      this.#download(request, response, decodeURIComponent(file[1]), decodeURIComponent(file[2]))
      return
    }
    const route = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname)
    if (!route) {
      request.resume()
      this.#reply(response, new TelegramError(404, 'Not Found'))
      return
    }

    const record: CallRecord = {
      token: decodeURIComponent(route[1]),
      method: route[2],
      params: {},
      at: Date.now(),
    }
    this.calls.push(record)
    const abort = new AbortController()
    response.on('close', () => abort.abort())
    try {
      record.params = await this.#readParams(request, url)
      const bot = this.#bots.get(record.token)
      if (!bot) throw new TelegramError(401, 'Unauthorized')
      record.params = this.#decodeParams(record.params)
      const method = this.#methodNames.get(record.method.toLowerCase())
      if (!method) throw new TelegramError(404, 'Not Found')
      record.method = method
      const result = await this.#invoke(bot, record, abort.signal)
      this.#reply(response, result, record)
    } catch (error) {
      this.#reply(response, error, record)
    }
  }

  async #invoke(bot: BotState, record: CallRecord, signal: AbortSignal): Promise<unknown> {
    const stall = this.#stalls.findIndex((s) => s.method === record.method.toLowerCase())
    if (stall >= 0) {
      if (--this.#stalls[stall].remaining <= 0) this.#stalls.splice(stall, 1)
      record.stalled = true
      await new Promise<void>((resolve) => {
        if (signal.aborted || this.#stopped) return resolve()
        signal.addEventListener('abort', () => resolve(), { once: true })
        this.#shutdown.signal.addEventListener('abort', () => resolve(), { once: true })
      })
      throw new TelegramError(499, 'The caller went away before the request was handled')
    }
    const injected = this.#injectedFailure(record)
    if (injected) throw injected
    return this.#handlers[record.method](bot, new Params(record.params), signal)
  }

  #reply(response: ServerResponse, outcome: unknown, record?: CallRecord): void {
    let status = 200
    let body: Record<string, unknown>
    if (outcome instanceof TelegramError) {
      status = outcome.status
      body = { ok: false, error_code: outcome.status, description: outcome.description }
      if (outcome.parameters) body.parameters = outcome.parameters
    } else if (outcome instanceof Error) {
      status = 500
      body = {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: ${outcome.message}`,
      }
    } else if (outcome instanceof Described) {
      body = { ok: true, result: outcome.result, description: outcome.description }
    } else {
      body = { ok: true, result: outcome }
    }
    if (record) {
      record.status = status
      if (status !== 200) record.description = String(body.description)
    }
    if (response.destroyed) return
    const text = JSON.stringify(body)
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    })
    response.end(text)
  }

  #download(request: IncomingMessage, response: ServerResponse, token: string, filePath: string) {
    request.resume()
    const bot = this.#bots.get(token)
    const file = bot?.filesByPath.get(filePath)
    const status = bot ? (file ? 200 : 404) : 401
    this.downloads.push({ token, filePath, status, at: Date.now() })
    if (!file) {
      this.#reply(
        response,
        new TelegramError(status, status === 401 ? 'Unauthorized' : 'Not Found')
      )
      return
    }
    response.writeHead(200, { 'content-type': file.mime, 'content-length': file.bytes.length })
    response.end(request.method === 'HEAD' ? undefined : file.bytes)
  }

  /** Query string plus body (JSON, urlencoded or multipart), body winning on clashes. */
  async #readParams(request: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams)
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    if (body.length === 0) return params
    const contentType = request.headers['content-type'] ?? ''
    const web = new Request(url, { method: 'POST', headers: { 'content-type': contentType }, body })
    const type = contentType.split(';')[0].trim().toLowerCase()

    if (type === 'application/json') {
      let parsed: unknown
      try {
        parsed = await web.json()
      } catch {
        throw badRequest("can't parse JSON object")
      }
      if (!isObject(parsed)) throw badRequest("can't parse JSON object")
      return { ...params, ...parsed }
    }
    if (type === 'application/x-www-form-urlencoded') {
      return { ...params, ...Object.fromEntries(new URLSearchParams(await web.text())) }
    }
    if (type === 'multipart/form-data') {
      let form: FormData
      try {
        form = await web.formData()
      } catch {
        throw badRequest("can't parse multipart/form-data request")
      }
      const names = rawFilenames(body)
      for (const [name, value] of form) {
        if (typeof value === 'string') {
          params[name] = value
          continue
        }
        const descriptor: UploadedFile = {
          filename: names.get(name) ?? value.name,
          size: value.size,
          type: value.type,
        }
        uploadedBytes.set(descriptor, Buffer.from(await value.arrayBuffer()))
        params[name] = descriptor
      }
    }
    return params
  }

  /** Types form values, parses JSON-serialized fields and resolves attach:// references. */
  #decodeParams(raw: Record<string, unknown>): Record<string, unknown> {
    const files = new Map<string, unknown>()
    const decoded: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(raw)) {
      if (isObject(value) && uploadedBytes.has(value)) files.set(key, value)
      else decoded[key] = value
    }
    const attached = new Set<string>()
    const resolve = (value: unknown): unknown => {
      if (typeof value === 'string' && value.startsWith('attach://')) {
        const name = value.slice('attach://'.length)
        if (!files.has(name)) return value
        attached.add(name)
        return files.get(name)
      }
      if (Array.isArray(value)) return value.map(resolve)
      if (isObject(value)) {
        return Object.fromEntries(
          Object.entries(value).map(([key, inner]) => [key, resolve(inner)])
        )
      }
      return value
    }
    for (const [key, value] of Object.entries(decoded)) {
      let typed = value
      if (typeof value === 'string' && JSON_FIELDS.has(key)) {
        try {
          typed = JSON.parse(value)
        } catch {
          throw badRequest(
            `can't parse ${key === 'reply_markup' ? 'reply keyboard markup' : key} JSON object`
          )
        }
      } else if (typeof value === 'string' && INT_FIELDS.has(key) && /^-?\d+$/.test(value.trim())) {
        typed = Number(value)
      } else if (typeof value === 'string' && BOOL_FIELDS.has(key)) {
        typed = ['true', '1'].includes(value.trim().toLowerCase())
      }
      decoded[key] = resolve(typed)
    }
    // A file part sent under the parameter's own name (not via attach://).
    for (const [name, file] of files) {
      if (!attached.has(name) && !(name in decoded)) decoded[name] = file
    }
    return decoded
  }

  #injectedFailure(record: CallRecord): TelegramError | undefined {
    const method = record.method.toLowerCase()
    const index = this.#failures.findIndex((f) => f.method === '*' || f.method === method)
    if (index >= 0) {
      const entry = this.#failures[index]
      if (--entry.remaining <= 0) this.#failures.splice(index, 1)
      const failure = entry.failure
      if (failure.status === 429) return tooManyRequests(failure.retryAfter)
      const defaults = {
        500: 'Internal Server Error',
        502: 'Bad Gateway',
        503: 'Service Unavailable',
      }
      return new TelegramError(failure.status, failure.description ?? defaults[failure.status])
    }
    // The arrival time decides, so a record accepted after a storm always has at >= untilMs.
    const now = record.at
    this.#storms = this.#storms.filter((storm) => storm.untilMs > now)
    const chatId = record.params.chat_id === undefined ? undefined : String(record.params.chat_id)
    const storm = this.#storms.find(
      (s) =>
        (s.method === '*' || s.method === method) && (s.chatId === undefined || s.chatId === chatId)
    )
    return storm ? tooManyRequests(Math.ceil((storm.untilMs - now) / 1000)) : undefined
  }

  // ---- getUpdates and webhooks ---------------------------------------------------

  async #getUpdates(bot: BotState, params: Params, signal: AbortSignal): Promise<Update[]> {
    if (bot.webhook) throw new TelegramError(409, WEBHOOK_ACTIVE)
    // Telegram answers the older of two overlapping long polls with 409.
    for (const poller of bot.pollers) poller.terminate(OTHER_POLL)
    const offset = params.int('offset')
    const limit = Math.min(100, Math.max(1, params.int('limit') ?? 100))
    const timeout = Math.max(0, params.int('timeout') ?? 0)
    const allowed = params.array('allowed_updates')
    if (allowed !== undefined)
      bot.allowedUpdates = allowed.length > 0 ? allowed.map(String) : undefined
    if (offset !== undefined) {
      // offset confirms every update below it; a negative one keeps only the last -offset.
      bot.pending =
        offset < 0 ? bot.pending.slice(offset) : bot.pending.filter((u) => u.update_id >= offset)
    }
    const batch = () => bot.pending.slice(0, limit)
    if (batch().length > 0 || timeout === 0 || this.#stopped) return batch()

    await new Promise<void>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer)
        bot.pollers.delete(poller)
        signal.removeEventListener('abort', done)
      }
      const done = () => {
        finish()
        resolve()
      }
      const poller: Poller = {
        wake: done,
        terminate: (description) => {
          finish()
          reject(new TelegramError(409, description))
        },
      }
      const timer = setTimeout(done, timeout * 1000)
      bot.pollers.add(poller)
      signal.addEventListener('abort', done)
    })
    return this.#stopped ? [] : batch()
  }

  #setWebhook(bot: BotState, params: Params): Described {
    const url = params.string('url') ?? ''
    if (url === '') return this.#deleteWebhook(bot, params)
    if (!URL.canParse(url)) throw badRequest('invalid webhook URL specified')
    const parsed = new URL(url)
    // Plain HTTP is let through for loopback hosts only, so tests can receive updates.
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
    if (parsed.protocol !== 'https:' && !(loopback && parsed.protocol === 'http:')) {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook')
    }
    if (!loopback && !['', '80', '88', '443', '8443'].includes(parsed.port)) {
      throw badRequest('bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443')
    }
    const secretToken = params.string('secret_token') || undefined
    if (secretToken !== undefined && !/^[\w-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters')
    }
    const maxConnections = params.int('max_connections') ?? 40
    if (maxConnections < 1 || maxConnections > 100)
      throw badRequest('invalid max_connections specified')
    const allowed = params.array('allowed_updates')
    if (allowed !== undefined)
      bot.allowedUpdates = allowed.length > 0 ? allowed.map(String) : undefined
    if (params.bool('drop_pending_updates')) bot.pending = []

    const previous = bot.webhook
    const unchanged =
      previous?.url === url &&
      previous.secretToken === secretToken &&
      previous.maxConnections === maxConnections
    bot.webhook = { url, secretToken, maxConnections }
    for (const poller of bot.pollers) poller.terminate('Conflict: terminated by setWebhook request')
    this.#deliver(bot)
    return new Described(true, unchanged ? 'Webhook is already set' : 'Webhook was set')
  }

  #deleteWebhook(bot: BotState, params: Params): Described {
    if (params.bool('drop_pending_updates')) bot.pending = []
    const had = bot.webhook !== undefined
    bot.webhook = undefined
    return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted')
  }

  #webhookInfo(bot: BotState): WebhookInfo {
    const hook = bot.webhook
    const info: WebhookInfo = {
      url: hook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: bot.pending.length,
    }
    if (!hook) return info
    const host = new URL(hook.url).hostname
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) info.ip_address = host
    if (bot.lastWebhookError) {
      info.last_error_date = bot.lastWebhookError.date
      info.last_error_message = bot.lastWebhookError.message
    }
    info.max_connections = hook.maxConnections
    if (bot.allowedUpdates)
      info.allowed_updates = bot.allowedUpdates as WebhookInfo['allowed_updates']
    return info
  }

  /** Starts the bot's delivery loop unless it is running: one update at a time, in order. */
  #deliver(bot: BotState): void {
    if (bot.delivering || this.#stopped) return
    bot.delivering = true
    const loop = (async () => {
      try {
        while (!this.#stopped && bot.webhook && bot.pending.length > 0) {
          const hook = bot.webhook
          const update = bot.pending[0]
          let attempts = 0
          for (;;) {
            const status = await this.#post(bot, hook, update)
            attempts++
            if (this.#stopped || bot.webhook !== hook) break
            if (typeof status === 'number' && status >= 200 && status < 300) break
            if (attempts >= this.webhookMaxAttempts) break
            await sleep(this.webhookRetryDelayMs, undefined, {
              signal: this.#shutdown.signal,
            }).catch(() => {})
          }
          // Only a finished delivery (or giving up) moves the queue; a replaced webhook retries.
          if (bot.webhook === hook && bot.pending[0] === update) bot.pending.shift()
        }
      } finally {
        bot.delivering = false
      }
      if (!this.#stopped && bot.webhook && bot.pending.length > 0) this.#deliver(bot)
    })()
    this.#inflight.add(loop)
    void loop.finally(() => this.#inflight.delete(loop))
  }

  async #post(bot: BotState, hook: Webhook, update: Update): Promise<number | 'error'> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (hook.secretToken) headers['X-Telegram-Bot-Api-Secret-Token'] = hook.secretToken
    let status: number | 'error'
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
        signal: AbortSignal.any([
          this.#shutdown.signal,
          AbortSignal.timeout(this.webhookTimeoutMs),
        ]),
      })
      status = response.status
      const body = await response.text()
      if (response.ok) {
        await this.#webhookReply(bot, response.headers.get('content-type'), body)
      } else {
        bot.lastWebhookError = {
          date: unixNow(),
          message: `Wrong response from the webhook: ${status} ${response.statusText}`,
        }
      }
    } catch (error) {
      status = 'error'
      const cause = (error as { cause?: { code?: string } }).cause?.code
      bot.lastWebhookError = {
        date: unixNow(),
        message:
          cause === 'ECONNREFUSED'
            ? 'Connection refused'
            : (error as Error).name === 'TimeoutError'
              ? 'Read timeout expired'
              : (error as Error).message,
      }
    }
    if (!this.#stopped) {
      this.webhookDeliveries.push({
        token: bot.token,
        updateId: update.update_id,
        status,
        at: Date.now(),
      })
    }
    return status
  }

  /** Telegram runs a method call returned as the webhook's response body. */
  async #webhookReply(bot: BotState, contentType: string | null, body: string): Promise<void> {
    if (!contentType?.toLowerCase().includes('application/json')) return
    let payload: unknown
    try {
      payload = JSON.parse(body)
    } catch {
      return
    }
    if (!isObject(payload) || typeof payload.method !== 'string') return
    const { method, ...rest } = payload
    const record: CallRecord = { token: bot.token, method, params: rest, at: Date.now() }
    this.calls.push(record)
    try {
      record.params = this.#decodeParams(rest)
      const canonical = this.#methodNames.get(method.toLowerCase())
      if (!canonical) throw new TelegramError(404, 'Not Found')
      record.method = canonical
      await this.#invoke(bot, record, this.#shutdown.signal)
      record.status = 200
    } catch (error) {
      // Telegram drops a failed webhook reply silently; the record keeps why.
      const failure = error instanceof TelegramError ? error : new TelegramError(500, String(error))
      record.status = failure.status
      record.description = failure.description
    }
  }

  #wanted(bot: BotState, update: Update): boolean {
    const type = updateTypeOf(update)
    if (type === undefined) return true
    return bot.allowedUpdates ? bot.allowedUpdates.includes(type) : !NOT_SENT_BY_DEFAULT.has(type)
  }

  /** Remembers chats, users, messages and callback queries an update reveals. */
  #learn(bot: BotState, update: Update): void {
    const messages = [
      update.message,
      update.edited_message,
      update.channel_post,
      update.edited_channel_post,
      update.business_message,
      update.callback_query?.message,
    ]
    for (const message of messages) {
      if (!message || message.date === 0) continue
      const key = String(message.chat.id)
      bot.chats.set(key, { ...bot.chats.get(key), ...message.chat } as Chat)
      if (message.chat.type === 'supergroup' && message.chat.is_forum && !bot.forums.has(key)) {
        bot.forums.set(key, new Map())
      }
      if (message.from) bot.users.set(message.from.id, message.from)
      noteMessageId(message.chat.id, message.message_id)
      const messageKey = `${key}:${message.message_id}`
      const existing = bot.messages.get(messageKey)
      if (existing && update.callback_query) continue
      if (existing) existing.message = message as Message
      else {
        bot.messages.set(messageKey, {
          token: bot.token,
          message: message as Message,
          fromBot: message.from?.id === bot.me.id,
        })
      }
    }
    const query = update.callback_query
    if (query) {
      bot.users.set(query.from.id, query.from)
      bot.callbackQueries.set(query.id, false)
    }
    for (const member of [update.my_chat_member, update.chat_member]) {
      if (!member) continue
      bot.chats.set(String(member.chat.id), member.chat)
      bot.users.set(member.from.id, member.from)
      bot.members.set(
        `${member.chat.id}:${member.new_chat_member.user.id}`,
        member.new_chat_member.status
      )
    }
  }

  // ---- messages ----------------------------------------------------------------

  #bot(token: string): BotState {
    const bot = this.#bots.get(token)
    if (!bot) throw new Error(`Unknown bot token ${token}; call addBot first`)
    return bot
  }

  #findChat(bot: BotState, chatId: unknown): Chat | undefined {
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      const name = chatId.slice(1).toLowerCase()
      return [...bot.chats.values()].find((chat) => chat.username?.toLowerCase() === name)
    }
    return bot.chats.get(String(chatId))
  }

  /** Resolves chat_id; for sending it also applies blocks and group membership. */
  #chat(bot: BotState, params: Params, sending: boolean): Chat {
    if (!params.has('chat_id')) throw badRequest('chat_id is empty')
    const raw = params.raw.chat_id
    const chat = this.#findChat(bot, raw)
    if (sending && bot.blocked.has(String(chat?.id ?? raw))) {
      throw new TelegramError(403, 'Forbidden: bot was blocked by the user')
    }
    if (!chat) throw badRequest('chat not found')
    if (sending && chat.type !== 'private') {
      const status = bot.members.get(`${chat.id}:${bot.me.id}`)
      const kind =
        chat.type === 'group'
          ? 'group chat'
          : chat.type === 'supergroup'
            ? 'supergroup chat'
            : 'channel chat'
      if (status === 'kicked')
        throw new TelegramError(403, `Forbidden: bot was kicked from the ${kind}`)
      if (status === 'left')
        throw new TelegramError(403, `Forbidden: bot is not a member of the ${kind}`)
    }
    return chat
  }

  #botUser(bot: BotState): User {
    return { id: bot.me.id, is_bot: true, first_name: bot.me.first_name, username: bot.me.username }
  }

  /** Text or caption after parse_mode (or explicit entities), trimming and entity detection. */
  #formatted(params: Params, field: 'text' | 'caption'): Formatted {
    const source = params.string(field) ?? ''
    const explicit = params.array(field === 'text' ? 'entities' : 'caption_entities')
    let parsed: Formatted
    if (explicit === undefined) {
      const mode = (params.string('parse_mode') ?? '').toLowerCase()
      if (mode === 'markdownv2') parsed = parseMarkdownV2(source)
      else if (mode === 'markdown') parsed = parseMarkdown(source)
      else if (mode === 'html') parsed = parseHtml(source)
      else if (mode === '') parsed = { text: source, entities: [] }
      else throw badRequest('unsupported parse_mode')
    } else {
      // Explicit entities replace parse_mode.
      parsed = {
        text: source,
        entities: explicit.filter(
          (entity): entity is MessageEntity =>
            isObject(entity) &&
            typeof entity.type === 'string' &&
            Number.isInteger(entity.offset) &&
            Number.isInteger(entity.length)
        ),
      }
    }
    const trimmed = trimFormatted(parsed)
    const entities = [...trimmed.entities, ...detectEntities(trimmed.text, trimmed.entities)]
    return { text: trimmed.text, entities: sortEntities(entities) }
  }

  /** Common fields of an outgoing message; the message_id comes last, once all checks passed. */
  #envelope(bot: BotState, chat: Chat, params: Params): Omit<Message, 'message_id'> {
    const envelope: Omit<Message, 'message_id'> = {
      ...(chat.type === 'channel' ? { sender_chat: chat } : { from: this.#botUser(bot) }),
      chat,
      date: unixNow(),
    }
    const thread = params.int('message_thread_id')
    const topics = bot.forums.get(String(chat.id))
    if (thread !== undefined && topics) {
      if (thread !== 1 && !topics.has(thread)) throw badRequest('message thread not found')
      envelope.message_thread_id = thread
      envelope.is_topic_message = true
    }
    const reply =
      params.object('reply_parameters') ??
      (params.has('reply_to_message_id')
        ? {
            message_id: params.int('reply_to_message_id'),
            allow_sending_without_reply: params.bool('allow_sending_without_reply'),
          }
        : undefined)
    if (reply) {
      const chatKey =
        reply.chat_id === undefined
          ? String(chat.id)
          : String(this.#findChat(bot, reply.chat_id)?.id)
      const original = bot.messages.get(`${chatKey}:${String(reply.message_id)}`)
      if (!original && reply.allow_sending_without_reply !== true) {
        throw badRequest('message to be replied not found')
      }
      if (original && chatKey === String(chat.id)) {
        // Telegram never nests a reply inside reply_to_message.
        envelope.reply_to_message = without(
          original.message,
          'reply_to_message'
        ) as Message['reply_to_message']
      }
    }
    return envelope
  }

  #store(bot: BotState, message: Message): Message {
    const stored: StoredMessage = { token: bot.token, message, fromBot: true }
    bot.messages.set(`${message.chat.id}:${message.message_id}`, stored)
    this.#sent.push(stored)
    return message
  }

  #sendMessage(bot: BotState, params: Params): Message {
    const chat = this.#chat(bot, params, true)
    const { text, entities } = this.#formatted(params, 'text')
    if (text.length === 0) throw badRequest('message text is empty')
    if (codePoints(text) > MAX_TEXT) throw badRequest('message is too long')
    const markup = checkReplyMarkup(params.raw.reply_markup)
    const envelope = this.#envelope(bot, chat, params)
    let preview = params.object('link_preview_options')
    if (!preview && params.bool('disable_web_page_preview')) preview = { is_disabled: true }
    return this.#store(bot, {
      message_id: nextMessageId(chat.id),
      ...envelope,
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(preview && Object.keys(preview).length > 0 ? { link_preview_options: preview } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    })
  }

  async #sendMedia(bot: BotState, params: Params, kind: MediaKind): Promise<Message> {
    const chat = this.#chat(bot, params, true)
    const input = params.raw[kind]
    if (input === undefined || input === null || input === '') {
      throw badRequest(`there is no ${kind} in the request`)
    }
    const caption = this.#formatted(params, 'caption')
    if (codePoints(caption.text) > MAX_CAPTION) throw badRequest('message caption is too long')
    const markup = checkReplyMarkup(params.raw.reply_markup)
    const envelope = this.#envelope(bot, chat, params)
    const { file, name } = await this.#inputFile(bot, kind, input)

    const ids = { file_id: file.file_id, file_unique_id: file.file_unique_id }
    const size = file.bytes.length
    const duration = params.int('duration') ?? 0
    const media: Partial<Message> = {}
    switch (kind) {
      case 'photo':
        media.photo = this.#photoSizes(bot, file)
        break
      case 'document':
        media.document = { ...ids, file_name: name, mime_type: file.mime, file_size: size }
        break
      case 'audio':
        media.audio = {
          ...ids,
          duration,
          ...(params.has('performer') ? { performer: params.string('performer') } : {}),
          ...(params.has('title') ? { title: params.string('title') } : {}),
          file_name: name,
          mime_type: file.mime,
          file_size: size,
        }
        break
      case 'voice':
        media.voice = { ...ids, duration, mime_type: 'audio/ogg', file_size: size }
        break
      case 'video':
      case 'animation': {
        const video = {
          ...ids,
          width: params.int('width') ?? 0,
          height: params.int('height') ?? 0,
          duration,
          file_name: name,
          mime_type: file.mime,
          file_size: size,
        }
        if (kind === 'video') media.video = video
        else {
          // Telegram also fills document for animations, for older clients.
          media.animation = video
          media.document = { ...ids, file_name: name, mime_type: file.mime, file_size: size }
        }
        break
      }
      case 'video_note':
        media.video_note = { ...ids, length: params.int('length') ?? 0, duration, file_size: size }
        break
      case 'sticker': {
        const ext = extensionOf(name)
        media.sticker = {
          ...ids,
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: ext === 'tgs',
          is_video: ext === 'webm',
          ...(params.has('emoji') ? { emoji: params.string('emoji') } : {}),
          file_size: size,
        }
        break
      }
    }
    const captioned = kind !== 'sticker' && kind !== 'video_note' && caption.text.length > 0
    return this.#store(bot, {
      message_id: nextMessageId(chat.id),
      ...envelope,
      ...media,
      ...(captioned ? { caption: caption.text } : {}),
      ...(captioned && caption.entities.length > 0 ? { caption_entities: caption.entities } : {}),
      ...(params.bool('has_spoiler') ? { has_media_spoiler: true as const } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    })
  }

  /** An upload, a file_id the bot knows, or an HTTP URL Telegram fetches itself. */
  async #inputFile(
    bot: BotState,
    kind: MediaKind,
    input: unknown
  ): Promise<{ file: StoredFile; name: string }> {
    if (isObject(input) && uploadedBytes.has(input)) {
      const upload = input as unknown as UploadedFile
      const bytes = uploadedBytes.get(input)!
      if (bytes.length === 0) throw badRequest('file must be non-empty')
      if (bytes.length > MAX_UPLOAD) throw new TelegramError(413, 'Request Entity Too Large')
      const file = this.#storeFile(bot, kind, bytes, {
        ext: extensionOf(upload.filename),
        mime: mimeFor(
          upload.filename,
          upload.type === 'application/octet-stream' ? undefined : upload.type
        ),
      })
      return { file, name: upload.filename }
    }
    if (typeof input !== 'string') throw badRequest('wrong file identifier/HTTP URL specified')
    if (input.startsWith('attach://')) throw badRequest(`there is no ${kind} in the request`)
    if (/^https?:\/\//i.test(input)) {
      let bytes: Buffer
      let type: string | undefined
      try {
        const response = await fetch(input, { signal: AbortSignal.timeout(5000) })
        if (!response.ok) throw new Error(String(response.status))
        type = response.headers.get('content-type')?.split(';')[0] ?? undefined
        bytes = Buffer.from(await response.arrayBuffer())
      } catch {
        throw badRequest('failed to get HTTP URL content')
      }
      const name = decodeURIComponent(
        new URL(input).pathname.split('/').pop() || `file.${MEDIA[kind].ext}`
      )
      const file = this.#storeFile(bot, kind, bytes, {
        ext: extensionOf(name),
        mime: mimeFor(name, type),
      })
      return { file, name }
    }
    const known = bot.files.get(input)
    if (!known) throw badRequest('wrong file identifier/HTTP URL specified')
    return { file: known, name: known.file_path.split('/').pop()! }
  }

  #storeFile(
    bot: BotState,
    kind: MediaKind,
    bytes: Buffer,
    options: { ext?: string; mime: string; path?: string }
  ): StoredFile {
    const number = this.#nextFileNumber++
    const { folder, ext, prefix } = MEDIA[kind]
    const file: StoredFile = {
      file_id: `${prefix}${randomBytes(27).toString('base64url')}`,
      file_unique_id: `AQAD${randomBytes(9).toString('base64url')}`,
      file_path: options.path ?? `${folder}/file_${number}.${options.ext ?? ext}`,
      bytes,
      mime: options.mime,
    }
    bot.files.set(file.file_id, file)
    bot.filesByPath.set(file.file_path, file)
    return file
  }

  /** A thumbnail plus the full size, as Telegram returns for a sent photo. */
  #photoSizes(bot: BotState, file: StoredFile): PhotoSize[] {
    const { width, height } = imageSize(file.bytes) ?? { width: 800, height: 600 }
    const full: PhotoSize = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      width,
      height,
      file_size: file.bytes.length,
    }
    const scale = 90 / Math.max(width, height)
    if (scale >= 1) return [full]
    const thumb = this.#storeFile(bot, 'photo', file.bytes, { ext: 'jpg', mime: 'image/jpeg' })
    return [
      {
        file_id: thumb.file_id,
        file_unique_id: thumb.file_unique_id,
        width: Math.round(width * scale),
        height: Math.round(height * scale),
        file_size: thumb.bytes.length,
      },
      full,
    ]
  }

  #sendChatAction(bot: BotState, params: Params): true {
    this.#chat(bot, params, true)
    if (!CHAT_ACTIONS.has(params.string('action') ?? '')) {
      throw badRequest('wrong parameter action in request')
    }
    return true
  }

  #ownMessage(bot: BotState, params: Params, missing: string): StoredMessage {
    if (params.has('inline_message_id')) throw badRequest('MESSAGE_ID_INVALID')
    const chat = this.#chat(bot, params, false)
    const messageId = params.int('message_id')
    if (messageId === undefined) throw badRequest('message identifier is not specified')
    const stored = bot.messages.get(`${chat.id}:${messageId}`)
    if (!stored) throw badRequest(missing)
    return stored
  }

  #editMessageText(bot: BotState, params: Params): Message {
    const stored = this.#ownMessage(bot, params, 'message to edit not found')
    if (!stored.fromBot) throw badRequest("message can't be edited")
    const old = stored.message
    if (old.text === undefined) throw badRequest('there is no text in the message to edit')
    const { text, entities } = this.#formatted(params, 'text')
    if (text.length === 0) throw badRequest('message text is empty')
    if (codePoints(text) > MAX_TEXT) throw badRequest('message is too long')
    // Like Telegram, an edit without reply_markup removes the inline keyboard.
    const markup = checkReplyMarkup(params.raw.reply_markup)
    if (
      text === old.text &&
      stableJson(entities) === stableJson(old.entities ?? []) &&
      stableJson(markup) === stableJson(old.reply_markup)
    ) {
      throw badRequest(NOT_MODIFIED)
    }
    stored.message = {
      ...without(old, 'entities', 'reply_markup'),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      edit_date: unixNow(),
    }
    return stored.message
  }

  #editMessageReplyMarkup(bot: BotState, params: Params): Message {
    const stored = this.#ownMessage(bot, params, 'message to edit not found')
    if (!stored.fromBot) throw badRequest("message can't be edited")
    const markup = checkReplyMarkup(params.raw.reply_markup)
    if (stableJson(markup) === stableJson(stored.message.reply_markup))
      throw badRequest(NOT_MODIFIED)
    stored.message = {
      ...without(stored.message, 'reply_markup'),
      ...(markup ? { reply_markup: markup } : {}),
      edit_date: unixNow(),
    }
    return stored.message
  }

  #deleteMessage(bot: BotState, params: Params): true {
    const stored = this.#ownMessage(bot, params, 'message to delete not found')
    stored.deleted = true
    bot.messages.delete(`${stored.message.chat.id}:${stored.message.message_id}`)
    return true
  }

  #answerCallbackQuery(bot: BotState, params: Params): true {
    const id = params.string('callback_query_id') ?? ''
    // An unknown id and a second answer get the same complaint from Telegram.
    if (bot.callbackQueries.get(id) !== false) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid')
    }
    if (codePoints(params.string('text') ?? '') > 200) throw badRequest('MESSAGE_TOO_LONG')
    bot.callbackQueries.set(id, true)
    return true
  }

  // ---- commands, files, chats ----------------------------------------------------

  #commandsKey(bot: BotState, params: Params): string {
    const scope = params.object('scope') ?? { type: 'default' }
    const types = [
      'default',
      'all_private_chats',
      'all_group_chats',
      'all_chat_administrators',
      'chat',
      'chat_administrators',
      'chat_member',
    ]
    if (typeof scope.type !== 'string' || !types.includes(scope.type)) {
      throw badRequest('unsupported scope type specified')
    }
    const language = params.string('language_code') ?? ''
    if (language !== '' && !/^[a-z]{2}$/.test(language))
      throw badRequest('invalid language code specified')
    const normalized = {
      type: scope.type,
      ...(scope.chat_id === undefined
        ? {}
        : { chat_id: String(this.#findChat(bot, scope.chat_id)?.id ?? scope.chat_id) }),
      ...(scope.user_id === undefined ? {} : { user_id: String(scope.user_id) }),
    }
    return `${stableJson(normalized)}|${language}`
  }

  #setMyCommands(bot: BotState, params: Params): true {
    const commands = params.array('commands')
    if (commands === undefined) throw badRequest('parameter "commands" is required')
    if (commands.length > 100) throw badRequest('too many commands specified')
    const clean: BotCommand[] = commands.map((entry) => {
      if (
        !isObject(entry) ||
        typeof entry.command !== 'string' ||
        typeof entry.description !== 'string'
      ) {
        throw badRequest("can't parse BotCommand JSON object")
      }
      if (!/^[\da-z_]{1,32}$/.test(entry.command)) throw badRequest('BOT_COMMAND_INVALID')
      const length = codePoints(entry.description.trim())
      if (length < 1 || length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID')
      return { command: entry.command, description: entry.description.trim() }
    })
    bot.commands.set(this.#commandsKey(bot, params), clean)
    return true
  }

  #getFile(bot: BotState, params: Params): TelegramFile {
    const file = bot.files.get(params.string('file_id') ?? '')
    if (!file) throw badRequest('invalid file_id')
    if (file.bytes.length > MAX_DOWNLOAD) throw badRequest('file is too big')
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.bytes.length,
      file_path: file.file_path,
    }
  }

  #createForumTopic(bot: BotState, params: Params): ForumTopic {
    const chat = this.#chat(bot, params, false)
    const topics = bot.forums.get(String(chat.id))
    if (chat.type !== 'supergroup' || !topics) throw badRequest('the chat is not a forum')
    const status = bot.members.get(`${chat.id}:${bot.me.id}`)
    if (status !== undefined && status !== 'administrator' && status !== 'creator') {
      throw badRequest('not enough rights to create a topic')
    }
    const name = params.string('name') ?? ''
    if (name.trim() === '') throw badRequest('TOPIC_NAME_EMPTY')
    if (codePoints(name) > 128) throw badRequest('TOPIC_NAME_INVALID')
    const iconColor = params.int('icon_color') ?? 7322096
    if (!TOPIC_COLORS.has(iconColor)) throw badRequest('invalid icon_color specified')
    // The topic id is the id of the "topic created" service message.
    const topic: ForumTopic = {
      message_thread_id: nextMessageId(chat.id),
      name,
      icon_color: iconColor,
      ...(params.has('icon_custom_emoji_id')
        ? { icon_custom_emoji_id: params.string('icon_custom_emoji_id') }
        : {}),
    }
    topics.set(topic.message_thread_id, topic)
    return topic
  }

  #getChat(bot: BotState, params: Params): ChatFullInfo {
    const chat = this.#chat(bot, params, false)
    return {
      ...chat,
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: {
        unlimited_gifts: false,
        limited_gifts: false,
        unique_gifts: false,
        premium_subscription: false,
        gifts_from_channels: false,
      },
    } as ChatFullInfo
  }

  #getChatMember(bot: BotState, params: Params): ChatMember {
    const chat = this.#chat(bot, params, false)
    const userId = params.int('user_id')
    if (userId === undefined) throw badRequest('user not found')
    const user =
      userId === bot.me.id
        ? this.#botUser(bot)
        : (bot.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` })
    return memberOf(bot.members.get(`${chat.id}:${userId}`) ?? 'member', user)
  }

  async #until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${describe()}`)
      await sleep(5)
    }
  }
}

/**
 * grammY writes `filename=report final.pdf` unquoted; the WHATWG parser stops
 * at the space, Telegram keeps the whole value. Read the names from the raw body.
 */
function rawFilenames(body: Buffer): Map<string, string> {
  const names = new Map<string, string>()
  const pattern =
    /content-disposition:\s*form-data;\s*name="([^"]*)";\s*filename=(?!")([^\r\n;]*)/gi
  for (const match of body.toString('latin1').matchAll(pattern)) {
    names.set(match[1], Buffer.from(match[2].trim(), 'latin1').toString('utf8'))
  }
  return names
}
