import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { BlockAction, ButtonAction, EnvelopedEvent, SlashCommand, types } from '@slack/bolt'

/** One Web API request as the fake received it. */
export interface SlackCallRecord {
  method: string
  /** Form, query or JSON fields (token left out); JSON-valued fields such as blocks parsed. */
  params: Record<string, unknown>
  /** Date.now() when the request arrived. */
  at: number
  token?: string
  /** HTTP status of the answer: 200, or 429 when rate limited. */
  status?: number
  /** The `error` code of a failed call. */
  error?: string
}

export interface FakeSlackOptions {
  /** Milliseconds since the epoch; message timestamps are derived from it. */
  now?: () => number
}

export interface SlackWorkspaceOptions {
  token: string
  teamId?: string
  teamName?: string
  /** Subdomain, as in https://<domain>.slack.com/ */
  domain?: string
  botUserId?: string
  botId?: string
  appId?: string
  botName?: string
}

/** Who a bot token authenticates as. */
export interface SlackBotIdentity {
  teamId: string
  teamName: string
  domain: string
  botUserId: string
  botId: string
  appId: string
  botName: string
}

export interface SlackChannelOptions {
  id: string
  name: string
  /** Whether the bot is in the channel. */
  isMember?: boolean
  isPrivate?: boolean
  isArchived?: boolean
  teamId?: string
}

export interface SlackUserOptions {
  id: string
  name: string
  realName?: string
  displayName?: string
  email?: string
  isBot?: boolean
  deleted?: boolean
  teamId?: string
  tz?: string
}

export interface SlackBotProfile {
  id: string
  app_id: string
  name: string
  icons: Record<string, string>
  deleted: boolean
  updated: number
  team_id: string
}

/** A file object as the Web API and events carry it. */
export interface SlackFile {
  id: string
  created: number
  timestamp: number
  name: string
  title: string
  mimetype: string
  filetype: string
  pretty_type: string
  user: string
  user_team: string
  editable: boolean
  size: number
  mode: 'hosted'
  is_external: boolean
  external_type: string
  is_public: boolean
  public_url_shared: boolean
  display_as_bot: boolean
  username: string
  url_private: string
  url_private_download: string
  permalink: string
  permalink_public: string
  comments_count: number
  is_starred: boolean
  shares: {
    public?: Record<string, SlackFileShare[]>
    private?: Record<string, SlackFileShare[]>
  }
  channels: string[]
  groups: string[]
  ims: string[]
  has_more_shares: boolean
  has_rich_preview: boolean
  file_access: string
  alt_txt?: string
}

export interface SlackFileShare {
  reply_users: string[]
  reply_users_count: number
  reply_count: number
  ts: string
  channel_name: string
  team_id: string
  share_user_id: string
  source: string
  thread_ts?: string
  is_silent_share: boolean
}

/** A message as conversations.history and chat.postMessage return it. */
export interface SlackMessage {
  type: 'message'
  ts: string
  text: string
  subtype?: string
  user?: string
  bot_id?: string
  app_id?: string
  team?: string
  bot_profile?: SlackBotProfile
  username?: string
  icons?: Record<string, string>
  blocks?: Array<Record<string, unknown>>
  attachments?: Array<Record<string, unknown>>
  metadata?: Record<string, unknown>
  files?: SlackFile[]
  upload?: boolean
  display_as_bot?: boolean
  thread_ts?: string
  parent_user_id?: string
  reply_count?: number
  reply_users_count?: number
  reply_users?: string[]
  latest_reply?: string
  edited?: { user: string; ts: string }
  hidden?: boolean
  root?: SlackMessage
}

export interface SlackEphemeral {
  channel: string
  user: string
  /** The message_ts chat.postEphemeral answered with. */
  ts: string
  text: string
  blocks?: Array<Record<string, unknown>>
  thread_ts?: string
}

/** A file the fake holds: its bytes, whether files.completeUploadExternal finished it, where it went. */
export interface StoredSlackFile {
  id: string
  name: string
  title: string
  /** Size announced to files.getUploadURLExternal. */
  declaredLength: number
  bytes?: Buffer
  completed: boolean
  shares: Array<{ channel: string; ts: string; threadTs?: string }>
  file: SlackFile
}

/** A POST of file bytes to an upload URL. */
export interface SlackUploadRecord {
  fileId: string
  contentType: string
  size: number
  status: number
  at: number
}

/** A platform error: HTTP 200 with {ok: false, error}. */
class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {}
  ) {
    super(code)
  }
}

function missingField(name: string): SlackApiError {
  return new SlackApiError('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  })
}

interface Workspace extends SlackBotIdentity {
  token: string
  revoked: boolean
}

interface ChannelState {
  id: string
  name: string
  isMember: boolean
  isPrivate: boolean
  isArchived: boolean
  isIm: boolean
  /** The other party of a direct message. */
  user?: string
  teamId: string
  created: number
}

interface UserState extends SlackUserOptions {
  teamId: string
  botId?: string
  appId?: string
}

type Params = Record<string, unknown>
type Handler = (workspace: Workspace, params: Params) => Record<string, unknown>

const MAX_TEXT = 40_000
const MAX_BLOCKS = 50
/* Web API fields whose form value is a JSON string. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata'])
/* Extension to [mimetype, filetype, pretty_type], as Slack labels files. */
const FILE_TYPES: Record<string, [string, string, string]> = {
  txt: ['text/plain', 'text', 'Plain Text'],
  log: ['text/plain', 'text', 'Plain Text'],
  csv: ['text/csv', 'csv', 'CSV'],
  json: ['application/json', 'json', 'JSON'],
  pdf: ['application/pdf', 'pdf', 'PDF'],
  png: ['image/png', 'png', 'PNG'],
  jpg: ['image/jpeg', 'jpg', 'JPEG'],
  jpeg: ['image/jpeg', 'jpg', 'JPEG'],
  gif: ['image/gif', 'gif', 'GIF'],
  zip: ['application/zip', 'zip', 'Zip'],
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function slackId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  return prefix + [...randomBytes(10)].map((byte) => alphabet[byte % alphabet.length]).join('')
}

function unixSeconds(ms = Date.now()): number {
  return Math.floor(ms / 1000)
}

function tsFromMicros(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

function channelTypeOf(channel: string): 'channel' | 'group' | 'im' | 'mpim' {
  if (channel.startsWith('D')) return 'im'
  if (channel.startsWith('G')) return 'group'
  return 'channel'
}

/**
 * An in-process Slack Web API for tests. Point the WebClient at it with
 * `new WebClient(token, { slackApiUrl: fake.apiUrl })`.
 */
export class FakeSlack {
  readonly calls: SlackCallRecord[] = []
  readonly uploads: SlackUploadRecord[] = []

  readonly #server: Server
  readonly #now: () => number
  #origin = ''
  #lastMicros = 0
  readonly #workspaces = new Map<string, Workspace>()
  readonly #channels = new Map<string, ChannelState>()
  readonly #users = new Map<string, UserState>()
  readonly #messages = new Map<string, SlackMessage[]>()
  readonly #ephemerals: SlackEphemeral[] = []
  readonly #files = new Map<string, StoredSlackFile>()
  readonly #failures: Array<{ method: string; error: string; remaining: number }> = []
  readonly #limits: Array<{ method: string; retryAfterSeconds: number; remaining: number }> = []
  readonly #handlers: Record<string, Handler>

  private constructor(server: Server, options: FakeSlackOptions) {
    this.#server = server
    this.#now = options.now ?? Date.now
    this.#handlers = {
      'auth.test': (ws) => ({
        url: `https://${ws.domain}.slack.com/`,
        team: ws.teamName,
        user: ws.botName,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        bot_id: ws.botId,
        is_enterprise_install: false,
      }),
      'chat.postMessage': (ws, params) => this.#postMessage(ws, params),
      'chat.update': (ws, params) => this.#update(ws, params),
      'chat.delete': (ws, params) => this.#delete(ws, params),
      'chat.postEphemeral': (_ws, params) => this.#postEphemeral(params),
      'chat.getPermalink': (ws, params) => this.#permalink(ws, params),
      'users.info': (_ws, params) => this.#usersInfo(params),
      'conversations.info': (ws, params) => this.#conversationsInfo(ws, params),
      'conversations.history': (_ws, params) => this.#history(params),
      'conversations.replies': (_ws, params) => this.#replies(params),
      'files.getUploadURLExternal': (ws, params) => this.#getUploadUrl(ws, params),
      'files.completeUploadExternal': (ws, params) => this.#completeUpload(ws, params),
    }
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined
    const server = createServer((request, response) => {
      fake!.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' })
        response.end(String(error))
      })
    })
    fake = new FakeSlack(server, options)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    fake.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return fake
  }

  /** Base URL for the WebClient's `slackApiUrl`, with the trailing slash it appends method names to. */
  get apiUrl(): string {
    return `${this.#origin}/api/`
  }

  /** Closes the server, dropping keep-alive connections. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeAllConnections()
    })
  }

  // ---- set-up -----------------------------------------------------------------

  addWorkspace(options: SlackWorkspaceOptions): SlackBotIdentity {
    const teamId = options.teamId ?? slackId('T')
    const identity: SlackBotIdentity = {
      teamId,
      teamName: options.teamName ?? 'Test Workspace',
      domain: options.domain ?? `ws-${teamId.toLowerCase()}`,
      botUserId: options.botUserId ?? slackId('U'),
      botId: options.botId ?? slackId('B'),
      appId: options.appId ?? slackId('A'),
      botName: options.botName ?? 'switchboard',
    }
    this.#workspaces.set(options.token, { ...identity, token: options.token, revoked: false })
    // The bot is a user of its workspace too: users.info answers for it.
    if (!this.#users.has(identity.botUserId)) {
      this.#users.set(identity.botUserId, {
        id: identity.botUserId,
        name: identity.botName,
        realName: identity.botName,
        isBot: true,
        teamId,
        botId: identity.botId,
        appId: identity.appId,
      })
    }
    return identity
  }

  /** Later calls with the token answer token_revoked. */
  revokeToken(token: string): void {
    const workspace = this.#workspaces.get(token)
    if (workspace) workspace.revoked = true
  }

  addChannel(options: SlackChannelOptions): Record<string, unknown> {
    const channel: ChannelState = {
      id: options.id,
      name: options.name,
      isMember: options.isMember ?? true,
      isPrivate: options.isPrivate ?? false,
      isArchived: options.isArchived ?? false,
      isIm: options.id.startsWith('D'),
      teamId: options.teamId ?? this.#defaultTeam(),
      created: unixSeconds(this.#now()),
    }
    this.#channels.set(channel.id, channel)
    return this.#channelObject(channel)
  }

  addUser(options: SlackUserOptions): Record<string, unknown> {
    const user: UserState = { ...options, teamId: options.teamId ?? this.#defaultTeam() }
    this.#users.set(user.id, user)
    return this.#userObject(user)
  }

  /** Stores a message someone other than the bot wrote, as if posted from a Slack client. */
  addMessage(
    channel: string,
    options: { user: string; text: string; threadTs?: string; ts?: string; files?: SlackFile[] }
  ): SlackMessage {
    const state = this.#channels.get(channel)
    if (!state) throw new Error(`Unknown channel ${channel}; addChannel it first`)
    const message: SlackMessage = {
      type: 'message',
      ts: options.ts ?? this.#nextTs(),
      text: options.text,
      user: options.user,
      team: state.teamId,
      blocks: [{ ...richTextBlock(options.text) }],
    }
    if (options.files) {
      message.files = options.files
      message.upload = false
      message.display_as_bot = false
    }
    if (options.threadTs) message.thread_ts = options.threadTs
    this.#store(channel, message)
    return clone(message)
  }

  /** A file a user uploaded: url_private serves its bytes to a valid bot token. */
  addFile(options: {
    name: string
    bytes: Buffer
    user: string
    title?: string
    mimetype?: string
    teamId?: string
  }): SlackFile {
    const id = slackId('F')
    const file = this.#fileObject({
      id,
      name: options.name,
      title: options.title ?? options.name,
      size: options.bytes.length,
      user: options.user,
      teamId: options.teamId ?? this.#defaultTeam(),
      mimetype: options.mimetype,
    })
    this.#files.set(id, {
      id,
      name: options.name,
      title: file.title,
      declaredLength: options.bytes.length,
      bytes: options.bytes,
      completed: true,
      shares: [],
      file,
    })
    return clone(file)
  }

  // ---- failure injection ----------------------------------------------------------

  /** The next `times` calls of `method` (any method with '*') answer {ok: false, error}. */
  failNext(method: string, error: string, times = 1): void {
    this.#failures.push({ method, error, remaining: times })
  }

  /** The next `times` calls of `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, options: { retryAfterSeconds: number; times?: number }): void {
    this.#limits.push({
      method,
      retryAfterSeconds: options.retryAfterSeconds,
      remaining: options.times ?? 1,
    })
  }

  // ---- inspection -----------------------------------------------------------------

  callsOf(method: string): SlackCallRecord[] {
    return this.calls.filter((call) => call.method === method)
  }

  clearCalls(): void {
    this.calls.length = 0
  }

  /**
   * Without threadTs: the channel's top-level messages (broadcast replies
   * included), as conversations.history lists them but oldest first. With
   * threadTs: the thread's parent and its replies, oldest first.
   */
  messages(channel: string, threadTs?: string): SlackMessage[] {
    const all = this.#messages.get(channel) ?? []
    const picked =
      threadTs === undefined
        ? all.filter((m) => isTopLevel(m))
        : all.filter((m) => m.ts === threadTs || m.thread_ts === threadTs)
    return picked.map((message) => clone(message))
  }

  ephemerals(channel?: string): SlackEphemeral[] {
    return this.#ephemerals
      .filter((ephemeral) => channel === undefined || ephemeral.channel === channel)
      .map((ephemeral) => clone(ephemeral))
  }

  files(): StoredSlackFile[] {
    return [...this.#files.values()].map((stored) => ({
      ...clone({ ...stored, bytes: undefined }),
      bytes: stored.bytes,
    }))
  }

  // ---- HTTP ----------------------------------------------------------------------

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.#origin)
    const upload = /^\/upload\/v1\/([^/]+)$/.exec(url.pathname)
    if (upload && request.method === 'POST')
      return this.#receiveUpload(request, response, upload[1])
    const download = /^\/files-pri\/[^/]+-([^/-]+)\//.exec(url.pathname)
    if (download && (request.method === 'GET' || request.method === 'HEAD')) {
      return this.#download(request, response, download[1])
    }
    const route = /^\/api\/([^/]+)$/.exec(url.pathname)
    if (!route || (request.method !== 'POST' && request.method !== 'GET')) {
      request.resume()
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('Not Found')
      return
    }

    const record: SlackCallRecord = { method: route[1], params: {}, at: Date.now() }
    this.calls.push(record)
    let outcome: Record<string, unknown> | SlackApiError
    try {
      const { params, token } = await this.#readRequest(request, url)
      record.params = params
      record.token = token
      outcome = this.#invoke(record, params, token)
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error
      outcome = error
    }

    if (outcome instanceof SlackApiError && outcome.extra.retryAfter !== undefined) {
      record.status = 429
      record.error = 'ratelimited'
      this.#send(
        response,
        429,
        { ok: false, error: 'ratelimited' },
        {
          'retry-after': String(outcome.extra.retryAfter),
        }
      )
      return
    }
    record.status = 200
    if (outcome instanceof SlackApiError) {
      record.error = outcome.code
      this.#send(response, 200, { ok: false, error: outcome.code, ...outcome.extra })
    } else {
      this.#send(response, 200, { ok: true, ...outcome })
    }
  }

  /* Slack checks the method before the token: an unknown method answers unknown_method even unauthenticated. */
  #invoke(record: SlackCallRecord, params: Params, token?: string): Record<string, unknown> {
    const handler = this.#handlers[record.method]
    if (!handler) throw new SlackApiError('unknown_method', { req_method: record.method })
    if (!token) throw new SlackApiError('not_authed')
    const workspace = this.#workspaces.get(token)
    if (!workspace) throw new SlackApiError('invalid_auth')
    if (workspace.revoked) throw new SlackApiError('token_revoked')

    const limit = this.#limits.findIndex((l) => l.method === '*' || l.method === record.method)
    if (limit >= 0) {
      const entry = this.#limits[limit]
      if (--entry.remaining <= 0) this.#limits.splice(limit, 1)
      throw new SlackApiError('ratelimited', { retryAfter: entry.retryAfterSeconds })
    }
    const failure = this.#failures.findIndex((f) => f.method === '*' || f.method === record.method)
    if (failure >= 0) {
      const entry = this.#failures[failure]
      if (--entry.remaining <= 0) this.#failures.splice(failure, 1)
      throw new SlackApiError(entry.error)
    }
    return handler(workspace, params)
  }

  #send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void {
    if (response.destroyed) return
    const text = JSON.stringify(body)
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    })
    response.end(text)
  }

  /**
   * Query string plus a form, multipart or JSON body. A JSON body carries no
   * token: Slack reads it from the Authorization header only.
   */
  async #readRequest(
    request: IncomingMessage,
    url: URL
  ): Promise<{ params: Params; token?: string }> {
    const params: Params = Object.fromEntries(url.searchParams)
    const body = await readBody(request)
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    let json = false
    if (body.length > 0 && type === 'application/json') {
      json = true
      let parsed: unknown
      try {
        parsed = JSON.parse(body.toString('utf8'))
      } catch {
        throw new SlackApiError('invalid_json')
      }
      if (!isObject(parsed)) throw new SlackApiError('json_not_object')
      Object.assign(params, parsed)
    } else if (body.length > 0 && type === 'application/x-www-form-urlencoded') {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))))
    } else if (body.length > 0 && type === 'multipart/form-data') {
      const form = await new Request(url, {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type']! },
        body,
      }).formData()
      for (const [name, value] of form) {
        params[name] =
          typeof value === 'string'
            ? value
            : { filename: value.name, size: value.size, type: value.type }
      }
    }

    const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
    const bodyToken = json || typeof params.token !== 'string' ? undefined : params.token
    delete params.token
    for (const key of JSON_FIELDS) {
      if (typeof params[key] !== 'string') continue
      try {
        params[key] = JSON.parse(params[key])
      } catch {
        // Left as the string; the method reports it in its own words.
      }
    }
    return { params, token: header ?? bodyToken }
  }

  // ---- chat.* ----------------------------------------------------------------------

  #postMessage(ws: Workspace, params: Params): Record<string, unknown> {
    const channel = this.#writableChannel(params.channel)
    const content = messageContent(params)
    const message = this.#botMessage(ws, content.text)
    if (content.blocks) message.blocks = content.blocks
    if (content.attachments) message.attachments = content.attachments
    if (isObject(params.metadata)) message.metadata = params.metadata
    const username = str(params.username)
    if (username) message.username = username
    const iconEmoji = str(params.icon_emoji)
    const iconUrl = str(params.icon_url)
    if (iconEmoji) message.icons = { emoji: iconEmoji }
    else if (iconUrl) message.icons = { image_48: iconUrl }
    const threadTs = str(params.thread_ts)
    if (threadTs) {
      message.thread_ts = threadTs
      if (bool(params.reply_broadcast)) message.subtype = 'thread_broadcast'
    }
    this.#store(channel.id, message)
    return { channel: channel.id, ts: message.ts, message: clone(message) }
  }

  #update(ws: Workspace, params: Params): Record<string, unknown> {
    const channel = this.#visibleChannel(params.channel)
    const message = this.#find(channel.id, str(params.ts))
    if (message.bot_id !== ws.botId) throw new SlackApiError('cant_update_message')
    const hasText = str(params.text) !== undefined && str(params.text) !== ''
    const hasBlocks = params.blocks !== undefined
    const hasAttachments = params.attachments !== undefined
    if (!hasText && !hasBlocks && !hasAttachments) throw new SlackApiError('no_text')
    const content = messageContent(params, { allowEmpty: true })
    // Fields left out keep their earlier value; blocks=[] removes the blocks.
    if (hasText) message.text = content.text
    if (hasBlocks) {
      if (content.blocks && content.blocks.length > 0) message.blocks = content.blocks
      else delete message.blocks
    }
    if (hasAttachments) message.attachments = content.attachments
    message.edited = { user: ws.botUserId, ts: this.#nextTs() }
    return { channel: channel.id, ts: message.ts, text: message.text, message: clone(message) }
  }

  #delete(ws: Workspace, params: Params): Record<string, unknown> {
    const channel = this.#visibleChannel(params.channel)
    const message = this.#find(channel.id, str(params.ts))
    if (message.bot_id !== ws.botId) throw new SlackApiError('cant_delete_message')
    const list = this.#messages.get(channel.id)!
    const isParent = message.thread_ts === message.ts && (message.reply_count ?? 0) > 0
    if (isParent) {
      // A parent with replies leaves a tombstone that keeps the thread together.
      const tombstone: SlackMessage = {
        type: 'message',
        subtype: 'tombstone',
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        hidden: true,
        ts: message.ts,
        thread_ts: message.ts,
        reply_count: message.reply_count,
        reply_users_count: message.reply_users_count,
        reply_users: message.reply_users,
        latest_reply: message.latest_reply,
      }
      list.splice(list.indexOf(message), 1, tombstone)
    } else {
      list.splice(list.indexOf(message), 1)
      if (message.thread_ts && message.thread_ts !== message.ts) {
        this.#recount(channel.id, message.thread_ts)
      }
    }
    return { channel: channel.id, ts: message.ts }
  }

  #postEphemeral(params: Params): Record<string, unknown> {
    const channel = this.#writableChannel(params.channel)
    const user = str(params.user)
    if (!user || !this.#users.has(user)) throw new SlackApiError('user_not_in_channel')
    const content = messageContent(params)
    const ephemeral: SlackEphemeral = {
      channel: channel.id,
      user,
      ts: this.#nextTs(),
      text: content.text,
    }
    if (content.blocks) ephemeral.blocks = content.blocks
    const threadTs = str(params.thread_ts)
    if (threadTs) ephemeral.thread_ts = threadTs
    this.#ephemerals.push(ephemeral)
    return { message_ts: ephemeral.ts }
  }

  #permalink(ws: Workspace, params: Params): Record<string, unknown> {
    const channel = this.#visibleChannel(params.channel)
    const message = this.#find(channel.id, str(params.message_ts))
    let permalink = `https://${ws.domain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`
    if (message.thread_ts && message.thread_ts !== message.ts) {
      permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`
    }
    return { channel: channel.id, permalink }
  }

  // ---- users.* and conversations.* ------------------------------------------------

  #usersInfo(params: Params): Record<string, unknown> {
    const user = this.#users.get(str(params.user) ?? '')
    if (!user) throw new SlackApiError('user_not_found')
    const object = this.#userObject(user)
    if (bool(params.include_locale)) object.locale = 'en-US'
    return { user: object }
  }

  #conversationsInfo(ws: Workspace, params: Params): Record<string, unknown> {
    const id = str(params.channel)
    const channel = id === undefined ? undefined : this.#channels.get(id)
    if (!channel || !this.#canSee(channel)) throw new SlackApiError('channel_not_found')
    return { channel: this.#channelObject(channel, ws) }
  }

  #history(params: Params): Record<string, unknown> {
    const channel = this.#visibleChannel(params.channel, { byIdOnly: true })
    if (!channel.isMember) throw new SlackApiError('not_in_channel')
    const inclusive = bool(params.inclusive)
    const latest = str(params.latest)
    const oldest = str(params.oldest)
    const limit = Number(str(params.limit) ?? 100) || 100
    const inRange = (m: SlackMessage) =>
      (latest === undefined || (inclusive ? m.ts <= latest : m.ts < latest)) &&
      (oldest === undefined || (inclusive ? m.ts >= oldest : m.ts > oldest))
    const matching = this.messages(channel.id).filter(inRange).reverse()
    return {
      messages: matching.slice(0, limit),
      has_more: matching.length > limit,
      pin_count: 0,
      response_metadata: { next_cursor: '' },
    }
  }

  #replies(params: Params): Record<string, unknown> {
    const channel = this.#visibleChannel(params.channel, { byIdOnly: true })
    const ts = str(params.ts)
    const list = this.#messages.get(channel.id) ?? []
    const target = list.find((m) => m.ts === ts)
    if (!ts || !target) throw new SlackApiError('thread_not_found')
    const root = target.thread_ts ?? target.ts
    return {
      messages: this.messages(channel.id, root),
      has_more: false,
      response_metadata: { next_cursor: '' },
    }
  }

  // ---- files -----------------------------------------------------------------------

  #getUploadUrl(ws: Workspace, params: Params): Record<string, unknown> {
    const filename = str(params.filename)
    if (!filename) throw missingField('filename')
    const lengthText = str(params.length)
    if (lengthText === undefined) throw missingField('length')
    const length = Number(lengthText)
    if (!Number.isInteger(length) || length < 0) throw new SlackApiError('invalid_arguments')
    const id = slackId('F')
    const file = this.#fileObject({
      id,
      name: filename,
      title: filename,
      size: length,
      user: ws.botUserId,
      teamId: ws.teamId,
    })
    const altText = str(params.alt_text)
    if (altText) file.alt_txt = altText
    this.#files.set(id, {
      id,
      name: filename,
      title: filename,
      declaredLength: length,
      completed: false,
      shares: [],
      file,
    })
    return { upload_url: `${this.#origin}/upload/v1/${id}`, file_id: id }
  }

  #completeUpload(ws: Workspace, params: Params): Record<string, unknown> {
    const entries = params.files
    if (entries === undefined) throw missingField('files')
    if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isObject)) {
      throw new SlackApiError('invalid_arguments')
    }
    const stored = entries.map((entry) => {
      const file = this.#files.get(String(entry.id))
      if (!file || file.bytes === undefined) throw new SlackApiError('file_not_found')
      return { file, title: str(entry.title) }
    })
    const channelParam = str(params.channel_id) ?? str(params.channels)
    const channel = channelParam ? this.#writableChannel(channelParam) : undefined
    const threadTs = str(params.thread_ts)
    if (threadTs && !channel) throw missingField('channel_id')

    for (const { file, title } of stored) {
      if (title) file.title = file.file.title = title
      file.completed = true
    }
    if (channel) {
      const message = this.#botMessage(ws, str(params.initial_comment) ?? '')
      const content = messageContent(params, { allowEmpty: true })
      if (content.blocks) message.blocks = content.blocks
      message.upload = true
      message.display_as_bot = false
      if (threadTs) message.thread_ts = threadTs
      for (const { file } of stored) this.#share(file, channel, message.ts, threadTs)
      message.files = stored.map(({ file }) => clone(file.file))
      this.#store(channel.id, message)
    }
    return { files: stored.map(({ file }) => clone(file.file)) }
  }

  #share(file: StoredSlackFile, channel: ChannelState, ts: string, threadTs?: string): void {
    file.shares.push({ channel: channel.id, ts, threadTs })
    const visibility = channel.isPrivate || channel.isIm ? 'private' : 'public'
    const share: SlackFileShare = {
      reply_users: [],
      reply_users_count: 0,
      reply_count: 0,
      ts,
      channel_name: channel.name,
      team_id: channel.teamId,
      share_user_id: file.file.user,
      source: 'UNKNOWN',
      is_silent_share: false,
    }
    if (threadTs) share.thread_ts = threadTs
    const byChannel = (file.file.shares[visibility] ??= {})
    ;(byChannel[channel.id] ??= []).push(share)
    const list = channel.isIm
      ? file.file.ims
      : channel.isPrivate
        ? file.file.groups
        : file.file.channels
    if (!list.includes(channel.id)) list.push(channel.id)
  }

  /* The upload URL takes the bytes raw or as the one file part of a multipart form. */
  async #receiveUpload(request: IncomingMessage, response: ServerResponse, id: string) {
    const body = await readBody(request)
    const stored = this.#files.get(id)
    const contentType = request.headers['content-type'] ?? ''
    const record: SlackUploadRecord = {
      fileId: id,
      contentType,
      size: 0,
      status: 200,
      at: Date.now(),
    }
    this.uploads.push(record)
    if (!stored || stored.completed) {
      record.status = 404
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('Not Found')
      return
    }
    let bytes = body
    if (contentType.toLowerCase().startsWith('multipart/form-data')) {
      const form = await new Request(this.#origin, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      }).formData()
      const part = [...form.values()].find((value) => typeof value !== 'string')
      if (part) bytes = Buffer.from(await part.arrayBuffer())
    }
    stored.bytes = bytes
    stored.file.size = record.size = bytes.length
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
    response.end(`OK - ${bytes.length}`)
  }

  /* Without a valid token Slack answers url_private with its sign-in page, still 200. */
  #download(request: IncomingMessage, response: ServerResponse, id: string): void {
    request.resume()
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
    const workspace = token ? this.#workspaces.get(token) : undefined
    const stored = this.#files.get(id)
    if (!workspace || workspace.revoked) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(
        '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>'
      )
      return
    }
    if (!stored?.bytes) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end('Not Found')
      return
    }
    response.writeHead(200, {
      'content-type': stored.file.mimetype,
      'content-length': stored.bytes.length,
    })
    response.end(request.method === 'HEAD' ? undefined : stored.bytes)
  }

  #fileObject(options: {
    id: string
    name: string
    title: string
    size: number
    user: string
    teamId: string
    mimetype?: string
  }): SlackFile {
    const created = unixSeconds(this.#now())
    const extension = /\.([^.]+)$/.exec(options.name)?.[1]?.toLowerCase() ?? ''
    const [mimetype, filetype, prettyType] = FILE_TYPES[extension] ?? [
      'application/octet-stream',
      'binary',
      'Binary',
    ]
    const safeName = encodeURIComponent(options.name)
    const domain = this.#domainOf(options.teamId)
    return {
      id: options.id,
      created,
      timestamp: created,
      name: options.name,
      title: options.title,
      mimetype: options.mimetype ?? mimetype,
      filetype,
      pretty_type: prettyType,
      user: options.user,
      user_team: options.teamId,
      editable: false,
      size: options.size,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: false,
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `${this.#origin}/files-pri/${options.teamId}-${options.id}/${safeName}`,
      url_private_download: `${this.#origin}/files-pri/${options.teamId}-${options.id}/download/${safeName}`,
      permalink: `https://${domain}.slack.com/files/${options.user}/${options.id}/${safeName}`,
      permalink_public: `https://slack-files.com/${options.teamId}-${options.id}-${randomBytes(5).toString('hex')}`,
      comments_count: 0,
      is_starred: false,
      shares: {},
      channels: [],
      groups: [],
      ims: [],
      has_more_shares: false,
      has_rich_preview: false,
      file_access: 'visible',
    }
  }

  // ---- state helpers --------------------------------------------------------------------

  /** Unique and increasing even when the clock stands still or goes back. */
  #nextTs(): string {
    this.#lastMicros = Math.max(Math.floor(this.#now() * 1000), this.#lastMicros + 1)
    return tsFromMicros(this.#lastMicros)
  }

  #defaultTeam(): string {
    return this.#workspaces.values().next().value?.teamId ?? 'T00000000'
  }

  #domainOf(teamId: string): string {
    return [...this.#workspaces.values()].find((ws) => ws.teamId === teamId)?.domain ?? 'example'
  }

  /* Private channels the bot is not in are invisible to it, as in Slack. */
  #canSee(channel: ChannelState): boolean {
    return channel.isMember || !channel.isPrivate
  }

  /** Resolves an ID, a #name or a user ID (their direct message) the way chat.postMessage does. */
  #visibleChannel(value: unknown, options: { byIdOnly?: boolean } = {}): ChannelState {
    const wanted = str(value)
    if (!wanted) throw new SlackApiError('channel_not_found')
    let channel = this.#channels.get(wanted)
    if (!channel && !options.byIdOnly) {
      const name = wanted.replace(/^#/, '')
      channel = [...this.#channels.values()].find((c) => !c.isIm && c.name === name)
      if (!channel && this.#users.has(wanted)) channel = this.#directMessage(wanted)
    }
    if (!channel || !this.#canSee(channel)) throw new SlackApiError('channel_not_found')
    return channel
  }

  #writableChannel(value: unknown): ChannelState {
    const channel = this.#visibleChannel(value)
    if (channel.isArchived) throw new SlackApiError('is_archived')
    if (!channel.isMember) throw new SlackApiError('not_in_channel')
    return channel
  }

  #directMessage(user: string): ChannelState {
    const existing = [...this.#channels.values()].find((c) => c.isIm && c.user === user)
    if (existing) return existing
    const channel: ChannelState = {
      id: `D${user.slice(1)}`,
      name: user,
      isMember: true,
      isPrivate: true,
      isArchived: false,
      isIm: true,
      user,
      teamId: this.#users.get(user)!.teamId,
      created: unixSeconds(this.#now()),
    }
    this.#channels.set(channel.id, channel)
    return channel
  }

  #find(channel: string, ts: string | undefined): SlackMessage {
    const message = (this.#messages.get(channel) ?? []).find(
      (m) => m.ts === ts && m.subtype !== 'tombstone'
    )
    if (!ts || !message) throw new SlackApiError('message_not_found')
    return message
  }

  #botMessage(ws: Workspace, text: string): SlackMessage {
    return {
      user: ws.botUserId,
      type: 'message',
      ts: this.#nextTs(),
      bot_id: ws.botId,
      app_id: ws.appId,
      text,
      team: ws.teamId,
      bot_profile: {
        id: ws.botId,
        app_id: ws.appId,
        name: ws.botName,
        icons: {
          image_36: 'https://a.slack-edge.com/80588/img/plugins/app/bot_36.png',
          image_48: 'https://a.slack-edge.com/80588/img/plugins/app/bot_48.png',
          image_72: 'https://a.slack-edge.com/80588/img/plugins/app/service_72.png',
        },
        deleted: false,
        updated: unixSeconds(this.#now()),
        team_id: ws.teamId,
      },
    }
  }

  /** Appends the message; a reply also updates its parent's thread fields. */
  #store(channel: string, message: SlackMessage): void {
    const list = this.#messages.get(channel) ?? []
    this.#messages.set(channel, list)
    list.push(message)
    list.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
    if (!message.thread_ts || message.thread_ts === message.ts) return
    const parent = list.find((m) => m.ts === message.thread_ts)
    if (!parent || (parent.thread_ts && parent.thread_ts !== parent.ts)) return
    if (parent.user) message.parent_user_id = parent.user
    this.#recount(channel, parent.ts)
    if (message.subtype === 'thread_broadcast') message.root = clone(parent)
  }

  #recount(channel: string, threadTs: string): void {
    const list = this.#messages.get(channel) ?? []
    const parent = list.find((m) => m.ts === threadTs)
    if (!parent) return
    const replies = list.filter((m) => m.thread_ts === threadTs && m.ts !== threadTs)
    if (replies.length === 0) {
      delete parent.thread_ts
      delete parent.reply_count
      delete parent.reply_users_count
      delete parent.reply_users
      delete parent.latest_reply
      if (parent.subtype === 'tombstone') list.splice(list.indexOf(parent), 1)
      return
    }
    const users = [...new Set(replies.map((m) => m.user).filter((u): u is string => !!u))]
    parent.thread_ts = parent.ts
    parent.reply_count = replies.length
    parent.reply_users_count = users.length
    parent.reply_users = users
    parent.latest_reply = replies.at(-1)!.ts
  }

  #userObject(user: UserState): Record<string, unknown> {
    const realName = user.realName ?? user.name
    const displayName = user.displayName ?? (user.isBot ? '' : user.name)
    const profile: Record<string, unknown> = {
      title: '',
      phone: '',
      skype: '',
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      fields: null,
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: 'g0000000000a',
      first_name: realName.split(' ')[0],
      last_name: realName.split(' ').slice(1).join(' '),
      image_48: 'https://secure.gravatar.com/avatar/0.jpg?s=48',
      image_72: 'https://secure.gravatar.com/avatar/0.jpg?s=72',
      team: user.teamId,
    }
    if (user.email !== undefined) profile.email = user.email
    if (user.botId) {
      profile.bot_id = user.botId
      profile.api_app_id = user.appId
      profile.always_active = false
    }
    return {
      id: user.id,
      team_id: user.teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz: user.tz ?? 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      profile,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: unixSeconds(this.#now()),
      is_email_confirmed: user.email !== undefined,
    }
  }

  #channelObject(channel: ChannelState, ws?: Workspace): Record<string, unknown> {
    if (channel.isIm) {
      return {
        id: channel.id,
        created: channel.created,
        is_archived: false,
        is_im: true,
        is_org_shared: false,
        context_team_id: channel.teamId,
        updated: channel.created * 1000,
        user: channel.user,
        is_user_deleted: false,
        priority: 0,
      }
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: !channel.id.startsWith('G'),
      is_group: channel.id.startsWith('G'),
      is_im: false,
      is_mpim: false,
      is_private: channel.isPrivate,
      created: channel.created,
      is_archived: channel.isArchived,
      is_general: channel.name === 'general',
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: ws?.teamId ?? channel.teamId,
      updated: channel.created * 1000,
      parent_conversation: null,
      creator: '',
      is_ext_shared: false,
      shared_team_ids: [channel.teamId],
      pending_connected_team_ids: [],
      is_member: channel.isMember,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    }
  }
}

function isTopLevel(message: SlackMessage): boolean {
  return (
    !message.thread_ts || message.thread_ts === message.ts || message.subtype === 'thread_broadcast'
  )
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Form values are strings; JSON bodies may carry numbers. */
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1'
}

/** Text, blocks and attachments, validated as chat.postMessage does. */
function messageContent(
  params: Params,
  options: { allowEmpty?: boolean } = {}
): {
  text: string
  blocks?: Array<Record<string, unknown>>
  attachments?: Array<Record<string, unknown>>
} {
  let blocks: Array<Record<string, unknown>> | undefined
  if (params.blocks !== undefined && params.blocks !== '') {
    if (!Array.isArray(params.blocks)) throw new SlackApiError('invalid_blocks_format')
    if (params.blocks.length > MAX_BLOCKS) throw new SlackApiError('invalid_blocks')
    if (!params.blocks.every((b) => isObject(b) && typeof b.type === 'string')) {
      throw new SlackApiError('invalid_blocks')
    }
    blocks = params.blocks as Array<Record<string, unknown>>
  }
  let attachments: Array<Record<string, unknown>> | undefined
  if (params.attachments !== undefined && params.attachments !== '') {
    if (!Array.isArray(params.attachments)) throw new SlackApiError('invalid_attachments')
    attachments = params.attachments as Array<Record<string, unknown>>
  }
  const text = str(params.text) ?? ''
  const empty = text === '' && !blocks?.length && !attachments?.length
  if (empty && !options.allowEmpty) throw new SlackApiError('no_text')
  if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long')
  return { text, blocks, attachments }
}

function richTextBlock(text: string): types.RichTextBlock {
  return {
    type: 'rich_text',
    block_id: randomBytes(3).toString('base64url').slice(0, 4),
    elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
  }
}

// ---- requests into our own app ---------------------------------------------------------

export interface SlackSignatureHeaders {
  'x-slack-signature': string
  'x-slack-request-timestamp': string
}

/** Slack's v0 request signature over `v0:<timestamp>:<raw body>`. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds = unixSeconds()
): SlackSignatureHeaders {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex')
  return {
    'x-slack-signature': `v0=${digest}`,
    'x-slack-request-timestamp': String(timestampSeconds),
  }
}

/** A request body exactly as Slack sends it, with the object it encodes. */
export interface SlackPayload<T = unknown> {
  body: string
  contentType: 'application/json' | 'application/x-www-form-urlencoded'
  payload: T
}

/** The legacy verification token Slack still puts in every payload. */
export const FAKE_VERIFICATION_TOKEN = 'fakeVerificationToken00'

function jsonPayload<T>(payload: T): SlackPayload<T> {
  return { body: JSON.stringify(payload), contentType: 'application/json', payload }
}

function formPayload<T>(fields: Record<string, string>, payload: T): SlackPayload<T> {
  return {
    body: new URLSearchParams(fields).toString(),
    contentType: 'application/x-www-form-urlencoded',
    payload,
  }
}

function triggerId(): string {
  const digits = () => String(Math.floor(Math.random() * 1e12))
  return `${digits()}.${digits()}.${randomBytes(16).toString('hex')}`
}

function responseUrl(kind: 'actions' | 'commands', teamId: string): string {
  return `https://hooks.slack.com/${kind}/${teamId}/${Math.floor(Math.random() * 1e13)}/${randomBytes(12).toString('base64url')}`
}

export function eventCallback<E extends { type: string }>(options: {
  teamId: string
  eventId: string
  event: E
  apiAppId?: string
  eventTime?: number
  /** The bot user the event is delivered for (authorizations[0].user_id). */
  botUserId?: string
  token?: string
}): SlackPayload<EnvelopedEvent<E>> {
  const apiAppId = options.apiAppId ?? 'A0FAKEAPP1'
  const channel = (options.event as { channel?: unknown }).channel
  const context = {
    et: options.event.type,
    tid: options.teamId,
    aid: apiAppId,
    ...(typeof channel === 'string' ? { cid: channel } : {}),
  }
  return jsonPayload<EnvelopedEvent<E>>({
    token: options.token ?? FAKE_VERIFICATION_TOKEN,
    team_id: options.teamId,
    context_team_id: options.teamId,
    // Slack sends null here; the type only knows absent.
    context_enterprise_id: null as unknown as undefined,
    api_app_id: apiAppId,
    event: options.event,
    type: 'event_callback',
    event_id: options.eventId,
    event_time: options.eventTime ?? unixSeconds(),
    authorizations: [
      {
        enterprise_id: null,
        team_id: options.teamId,
        user_id: options.botUserId ?? 'U0FAKEBOT1',
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify(context)).toString('base64url')}`,
  })
}

/** A person's message; with files it is the file_share subtype Slack sends for uploads. */
export function messageEvent(options: {
  channel: string
  user: string
  text: string
  ts: string
  threadTs?: string
  parentUserId?: string
  files?: SlackFile[]
  teamId?: string
  channelType?: 'channel' | 'group' | 'im' | 'mpim'
}): types.GenericMessageEvent | types.FileShareMessageEvent {
  const common = {
    type: 'message' as const,
    text: options.text,
    user: options.user,
    ts: options.ts,
    blocks: options.text ? [richTextBlock(options.text)] : [],
    ...(options.teamId ? { team: options.teamId } : {}),
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    ...(options.threadTs && options.parentUserId ? { parent_user_id: options.parentUserId } : {}),
    channel: options.channel,
    event_ts: options.ts,
    channel_type: options.channelType ?? channelTypeOf(options.channel),
  }
  if (options.files?.length) {
    return {
      ...common,
      subtype: 'file_share',
      files: options.files as unknown as types.FileShareMessageEvent['files'],
      upload: false,
      display_as_bot: false,
    }
  }
  return { ...common, subtype: undefined, client_msg_id: randomUUID() }
}

/** An edit: `ts` is the change's own timestamp, `messageTs` the edited message's. */
export function messageChangedEvent(options: {
  channel: string
  ts: string
  messageTs: string
  user: string
  previousText: string
  newText: string
  threadTs?: string
  teamId?: string
  channelType?: 'channel' | 'group' | 'im' | 'mpim'
}): types.MessageChangedEvent {
  const thread = options.threadTs ? { thread_ts: options.threadTs } : {}
  const team = options.teamId ? { team: options.teamId } : {}
  const channelType = options.channelType ?? channelTypeOf(options.channel)
  const clientMsgId = randomUUID()
  return {
    type: 'message',
    subtype: 'message_changed',
    message: {
      type: 'message',
      subtype: undefined,
      client_msg_id: clientMsgId,
      text: options.newText,
      user: options.user,
      ts: options.messageTs,
      blocks: [richTextBlock(options.newText)],
      ...team,
      ...thread,
      edited: { user: options.user, ts: options.ts },
      channel: options.channel,
      event_ts: options.messageTs,
      channel_type: channelType,
    },
    previous_message: {
      type: 'message',
      subtype: undefined,
      client_msg_id: clientMsgId,
      text: options.previousText,
      user: options.user,
      ts: options.messageTs,
      blocks: [richTextBlock(options.previousText)],
      ...team,
      ...thread,
      channel: options.channel,
      event_ts: options.messageTs,
      channel_type: channelType,
    },
    channel: options.channel,
    hidden: true,
    ts: options.ts,
    event_ts: options.ts,
    channel_type: channelType,
  }
}

/** A deletion: `ts` is the deletion's own timestamp, `deletedTs` the removed message's. */
export function messageDeletedEvent(options: {
  channel: string
  ts: string
  deletedTs: string
  previousText: string
  user?: string
  threadTs?: string
  teamId?: string
  channelType?: 'channel' | 'group' | 'im' | 'mpim'
}): types.MessageDeletedEvent {
  const channelType = options.channelType ?? channelTypeOf(options.channel)
  return {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: {
      type: 'message',
      subtype: undefined,
      client_msg_id: randomUUID(),
      text: options.previousText,
      user: options.user ?? 'U0FAKEUSR1',
      ts: options.deletedTs,
      blocks: [richTextBlock(options.previousText)],
      ...(options.teamId ? { team: options.teamId } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      channel: options.channel,
      event_ts: options.deletedTs,
      channel_type: channelType,
    },
    channel: options.channel,
    hidden: true,
    ts: options.ts,
    deleted_ts: options.deletedTs,
    event_ts: options.ts,
    channel_type: channelType,
  }
}

/**
 * A bot's message. With botUserId it is what an app's bot token posts: no
 * subtype, `user` and `bot_id` both set. Without it, the legacy
 * `bot_message` subtype that webhooks and classic bots produce.
 */
export function botMessageEvent(options: {
  channel: string
  botId: string
  text: string
  ts: string
  botUserId?: string
  appId?: string
  username?: string
  threadTs?: string
  teamId?: string
  channelType?: 'channel' | 'group' | 'im' | 'mpim'
}): types.GenericMessageEvent | types.BotMessageEvent {
  const common = {
    type: 'message' as const,
    text: options.text,
    ts: options.ts,
    bot_id: options.botId,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel,
    event_ts: options.ts,
    channel_type: options.channelType ?? channelTypeOf(options.channel),
  }
  if (!options.botUserId) {
    return { ...common, subtype: 'bot_message', username: options.username ?? 'bot' }
  }
  const teamId = options.teamId ?? 'T0FAKETEAM'
  const appId = options.appId ?? 'A0FAKEAPP1'
  return {
    ...common,
    subtype: undefined,
    user: options.botUserId,
    team: teamId,
    app_id: appId,
    bot_profile: {
      id: options.botId,
      app_id: appId,
      name: options.username ?? 'bot',
      icons: {},
      deleted: false,
      updated: unixSeconds(),
      team_id: teamId,
    },
  } as types.GenericMessageEvent
}

export function urlVerification(
  challenge: string,
  token = FAKE_VERIFICATION_TOKEN
): SlackPayload<{ token: string; challenge: string; type: 'url_verification' }> {
  return jsonPayload({ token, challenge, type: 'url_verification' as const })
}

/** A button click: form field `payload` holding the JSON. */
export function blockActions(options: {
  user: string
  channel: string
  messageTs: string
  actionId: string
  value: string
  threadTs?: string
  triggerId?: string
  /** The message the button sits on, e.g. one of FakeSlack.messages(); its blocks supply block_id and button text. */
  message?: SlackMessage
  blockId?: string
  userName?: string
  channelName?: string
  teamId?: string
  teamDomain?: string
  apiAppId?: string
  responseUrl?: string
  token?: string
}): SlackPayload<BlockAction<ButtonAction>> {
  const teamId = options.teamId ?? 'T0FAKETEAM'
  const userName = options.userName ?? options.user.toLowerCase()
  const message = options.message ?? {
    type: 'message' as const,
    ts: options.messageTs,
    text: '',
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
  }
  const button = findButton(message.blocks ?? [], options.actionId)
  const now = Date.now()
  const payload: BlockAction<ButtonAction> = {
    type: 'block_actions',
    user: { id: options.user, username: userName, name: userName, team_id: teamId },
    api_app_id: options.apiAppId ?? 'A0FAKEAPP1',
    token: options.token ?? FAKE_VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channel,
      is_ephemeral: false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: teamId, domain: options.teamDomain ?? 'example' },
    enterprise: null as unknown as undefined,
    is_enterprise_install: false,
    channel: { id: options.channel, name: options.channelName ?? channelNameOf(options.channel) },
    message: { ...message, type: 'message', ts: options.messageTs },
    state: { values: {} },
    response_url: options.responseUrl ?? responseUrl('actions', teamId),
    actions: [
      {
        action_id: options.actionId,
        block_id: options.blockId ?? button?.blockId ?? randomBytes(3).toString('base64url'),
        text: button?.text ?? { type: 'plain_text', text: options.value, emoji: true },
        value: options.value,
        type: 'button',
        action_ts: tsFromMicros(now * 1000),
      },
    ],
  }
  return formPayload({ payload: JSON.stringify(payload) }, payload)
}

function findButton(
  blocks: Array<Record<string, unknown>>,
  actionId: string
): { blockId: string; text: ButtonAction['text'] } | undefined {
  for (const block of blocks) {
    const elements = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(isObject(block.accessory) ? [block.accessory] : []),
    ]
    const button = elements.find((e) => isObject(e) && e.action_id === actionId)
    if (button && typeof block.block_id === 'string') {
      return { blockId: block.block_id, text: button.text as ButtonAction['text'] }
    }
  }
  return undefined
}

function channelNameOf(channel: string): string {
  if (channel.startsWith('D')) return 'directmessage'
  return channel.startsWith('G') ? 'privategroup' : 'general'
}

/** A slash command, form-encoded with Slack's fields in Slack's order. */
export function slashCommand(options: {
  command: string
  text: string
  user: string
  channel: string
  triggerId?: string
  teamId?: string
  teamDomain?: string
  userName?: string
  channelName?: string
  apiAppId?: string
  responseUrl?: string
  token?: string
}): SlackPayload<SlashCommand> {
  const teamId = options.teamId ?? 'T0FAKETEAM'
  const fields: SlashCommand = {
    token: options.token ?? FAKE_VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: options.teamDomain ?? 'example',
    channel_id: options.channel,
    channel_name: options.channelName ?? channelNameOf(options.channel),
    user_id: options.user,
    user_name: options.userName ?? options.user.toLowerCase(),
    command: options.command,
    text: options.text,
    api_app_id: options.apiAppId ?? 'A0FAKEAPP1',
    is_enterprise_install: 'false',
    response_url: options.responseUrl ?? responseUrl('commands', teamId),
    trigger_id: options.triggerId ?? triggerId(),
  }
  return formPayload(fields as Record<string, string>, fields)
}

/** POSTs a body to our app the way Slack does: signed, with retry headers on redeliveries. */
export async function slackRequest(
  url: string,
  rawBody: string,
  contentType: string,
  signingSecret: string,
  options: { timestamp?: number; retryNum?: number; retryReason?: string } = {}
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...signSlackRequest(signingSecret, rawBody, options.timestamp),
  }
  if (options.retryNum !== undefined) headers['x-slack-retry-num'] = String(options.retryNum)
  if (options.retryReason !== undefined) headers['x-slack-retry-reason'] = options.retryReason
  return fetch(url, { method: 'POST', headers, body: rawBody })
}
