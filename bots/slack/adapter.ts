/*
| The Slack operator workspace (Bolt). Slack posts Events API requests,
| button presses and the `/sb` slash command to /webhooks/slack/:workspaceId;
| a custom Bolt receiver mounted on that route verifies the signature
| (5-minute window), and Bolt's listeners ack first, then describe what the
| operator did. The core commits it before Slack gets its 200.
|
| Each conversation is a thread in the workspace's channel, opened by a
| card (the parent message) that is updated in place.
*/
import { createHmac, timingSafeEqual } from 'node:crypto'
import { App, LogLevel, webApi, type Receiver, type ReceiverEvent } from '@slack/bolt'
import {
  ChannelConfigError,
  PermanentError,
  RetryableError,
  type AttachmentRef,
  type RawRequest,
} from '#channels/port'
import type {
  CardAction,
  OperatorEvent,
  ThreadCard,
  ThreadPost,
  ThreadRef,
  WorkspaceAdapter,
  WorkspaceFactory,
  WorkspaceWebhookResult,
} from '#channels/workspace'

interface SlackConfig {
  botToken: string
  signingSecret: string
  channelId: string
  apiUrl?: string
  /** From auth.test at creation: who our bot is, so its own posts never loop back. */
  teamId: string
  botUserId: string
  botId: string
}

const ACTIONS: Record<string, CardAction> = {
  sb_claim: 'claim',
  sb_resolve: 'resolve',
  sb_bot: 'bot',
}

/** Slack's mrkdwn treats these three as markup. */
function escape(text: string) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function clientOf(config: Pick<SlackConfig, 'botToken' | 'apiUrl'>) {
  return new webApi.WebClient(config.botToken, {
    slackApiUrl: config.apiUrl,
    // The mirror reschedules on a 429 itself; the client must not sleep inside a job.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logLevel: webApi.LogLevel.ERROR,
  })
}

/** A Slack error as the mirror understands it. */
export function classify(error: unknown): Error {
  if (error instanceof Error && 'code' in error) {
    const code = (error as { code: string }).code
    if (code === webApi.ErrorCode.RateLimitedError) {
      const seconds = (error as unknown as { retryAfter: number }).retryAfter
      return new RetryableError(`Slack rate limit: retry after ${seconds} s`, seconds * 1000)
    }
    if (code === webApi.ErrorCode.PlatformError) {
      const what = (error as unknown as { data: { error: string } }).data.error
      if (what === 'internal_error' || what === 'fatal_error' || what === 'service_unavailable') {
        return new RetryableError(`Slack: ${what}`)
      }
      return new PermanentError(`Slack: ${what}`)
    }
    return new RetryableError(`Slack unreachable: ${error.message}`)
  }
  return error instanceof Error ? error : new Error(String(error))
}

function cardBlocks(card: ThreadCard) {
  const field = (label: string, value: string) => ({
    type: 'mrkdwn',
    text: `*${label}*\n${escape(value)}`,
  })
  const button = (action: string, text: string, style?: 'primary' | 'danger') => ({
    type: 'button',
    action_id: action,
    text: { type: 'plain_text', text },
    value: String(card.conversationId),
    ...(style ? { style } : {}),
  })
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escape(card.contactName)}* · ${escape(card.platform)} · conversation #${card.conversationId}`,
      },
      fields: [
        field('Status', card.status),
        field('Owner', card.owner),
        field('Assignee', card.assignee ?? 'nobody'),
        field('Priority', card.priority),
        field('Tags', card.tags.length ? card.tags.join(', ') : 'none'),
      ],
    },
    ...(card.handoffReason
      ? [
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `Handed off: ${escape(card.handoffReason)}` }],
          },
        ]
      : []),
    {
      type: 'actions',
      elements: [
        button('sb_claim', 'Claim', 'primary'),
        button('sb_resolve', 'Resolve'),
        button('sb_bot', 'Back to bot', 'danger'),
      ],
    },
  ]
}

function cardText(card: ThreadCard) {
  return `${card.title}: ${card.status}, owner ${card.owner}${card.assignee ? `, assigned to ${card.assignee}` : ''}`
}

function postText(post: ThreadPost) {
  const links = (post.attachments ?? []).map((a) => `<${a.url}|${escape(a.name ?? a.kind)}>`)
  const body = [escape(post.text), ...links].filter(Boolean).join('\n')
  if (post.note) return `:memo: *${escape(post.label ?? 'Note')}* (internal)\n${body}`
  return post.label ? `*${escape(post.label)}*: ${body}` : body
}

/**
 * Slack's request signing (v0), as Bolt's verifySlackRequest checks it: an
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the signing secret, on
 * a request at most five minutes old. One HMAC and a constant-time
 * comparison (Bolt's compare computes two more HMACs under a fresh key).
 * The reason it fails, or undefined.
 */
function signatureProblem(
  signingSecret: string,
  rawBody: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined
): string | undefined {
  const timestamp = Number(timestampHeader)
  if (!timestampHeader || Number.isNaN(timestamp)) {
    return 'header x-slack-request-timestamp is missing or not a number'
  }
  if (timestamp < Math.floor(Date.now() / 1000) - 5 * 60) {
    return 'x-slack-request-timestamp is more than 5 minutes old'
  }
  const [version, hash] = (signatureHeader ?? '').split('=')
  if (version !== 'v0') return 'unknown signature version'
  const expected = Buffer.from(
    createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')
  )
  const given = Buffer.from(hash ?? '')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'signature mismatch'
  }
  return undefined
}

/** Files an operator drops into the thread, described (they stay at Slack). */
function filesOf(files: Array<{ name?: string; mimetype?: string }> | undefined): AttachmentRef[] {
  return (files ?? []).map((f) => ({ kind: 'document', name: f.name, mimeType: f.mimetype }))
}

interface Collected {
  events: OperatorEvent[]
}

/**
 * Bolt's receiver for one Adonis request at a time: the route hands over
 * the verified body, Bolt runs its listeners, and the events they
 * collected go back to the route. Acks only record: the route answers.
 */
class RouteReceiver implements Receiver {
  #app?: App

  init(app: App) {
    this.#app = app
  }

  async start() {}
  async stop() {}

  async dispatch(body: Record<string, any>, retryNum?: number, retryReason?: string) {
    const collected: Collected = { events: [] }
    const event: ReceiverEvent = {
      body,
      retryNum,
      retryReason,
      customProperties: { collected },
      ack: async () => {},
    }
    await this.#app!.processEvent(event)
    return collected.events
  }
}

class SlackWorkspace implements WorkspaceAdapter {
  readonly platform = 'slack' as const
  // chat.postMessage allows about one message a second per channel.
  readonly postsPerMinute = 60
  readonly mergeLimit = 1
  readonly #receiver = new RouteReceiver()
  readonly #app: App
  readonly #client: InstanceType<typeof webApi.WebClient>

  constructor(
    readonly workspaceId: number,
    readonly config: SlackConfig
  ) {
    this.#client = clientOf(config)
    this.#app = new App({
      token: config.botToken,
      botId: config.botId,
      botUserId: config.botUserId,
      // Known from auth.test at creation; no call per process start.
      tokenVerificationEnabled: false,
      receiver: this.#receiver,
      clientOptions: { slackApiUrl: config.apiUrl },
      logLevel: LogLevel.ERROR,
    })
    this.#listen()
  }

  #user(teamId: string | undefined, userId: string) {
    return { externalId: `${teamId ?? this.config.teamId}:${userId}` }
  }

  #listen() {
    const app = this.#app
    const collect = (context: Record<string, any>, event: OperatorEvent) =>
      (context.collected as Collected).events.push(event)

    // Events API: Bolt acks message events itself, before listeners run.
    app.event('message', async ({ event, body, context }) => {
      const e = event as Record<string, any>
      const eventId = (body as { event_id: string }).event_id
      const teamId = (body as { team_id?: string }).team_id
      if (e.channel !== this.config.channelId) return
      if (e.subtype === 'message_changed') {
        const m = e.message ?? {}
        if (m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts) return
        collect(context, {
          eventId,
          user: this.#user(teamId, m.user),
          threadId: m.thread_ts,
          edit: { externalId: m.ts, text: m.text ?? '' },
        })
        return
      }
      if (e.subtype === 'message_deleted') {
        const m = e.previous_message ?? {}
        if (m.bot_id || !m.user || !m.thread_ts || m.thread_ts === m.ts) return
        collect(context, {
          eventId,
          user: this.#user(teamId, m.user),
          threadId: m.thread_ts,
          delete: { externalId: e.deleted_ts ?? m.ts },
        })
        return
      }
      // Our own posts, other bots and channel events (joins, topics) are not operators.
      if (e.bot_id || (e.subtype && e.subtype !== 'file_share') || !e.user) return
      if (e.user === this.config.botUserId) return
      // A message outside a thread is the operators' own chatter.
      if (!e.thread_ts || e.thread_ts === e.ts) return
      collect(context, {
        eventId,
        user: this.#user(teamId, e.user),
        threadId: e.thread_ts,
        message: { externalId: e.ts, text: e.text ?? '', attachments: filesOf(e.files) },
      })
    })

    app.action(/^sb_(claim|resolve|bot)$/, async ({ ack, body, action, context }) => {
      await ack()
      const b = body as Record<string, any>
      const a = action as { action_id: string; action_ts?: string }
      const message = b.message ?? {}
      collect(context, {
        eventId: `action:${b.trigger_id ?? `${a.action_ts}:${b.user?.id}`}`,
        user: this.#user(b.team?.id ?? b.user?.team_id, b.user.id),
        threadId: message.thread_ts ?? message.ts ?? b.container?.message_ts,
        action: { name: ACTIONS[a.action_id] },
      })
    })

    app.command('/sb', async ({ ack, command, context }) => {
      await ack()
      collect(context, {
        eventId: `command:${command.trigger_id}`,
        user: this.#user(command.team_id, command.user_id),
        command: { text: command.text ?? '' },
      })
    })

    // The error boundary: a listener that fails must not take the request down.
    app.error(async (error) => {
      console.warn(`[slack ${this.workspaceId}] ${error.message}`)
    })
  }

  async handleWebhook(req: RawRequest): Promise<WorkspaceWebhookResult> {
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value[0] : value
    }
    const rawBody = req.rawBody ?? ''
    const problem = signatureProblem(
      this.config.signingSecret,
      rawBody,
      header('x-slack-request-timestamp'),
      header('x-slack-signature')
    )
    if (problem) {
      return { ok: false, status: 401, error: `Slack signature check failed: ${problem}` }
    }
    let body = req.body as Record<string, any>
    // Interactive payloads come form-encoded as one JSON field.
    if (typeof body?.payload === 'string') {
      try {
        body = JSON.parse(body.payload)
      } catch {
        return { ok: false, status: 400, error: 'The payload field is not JSON' }
      }
    }
    if (!body || typeof body !== 'object') {
      return { ok: false, status: 400, error: 'The body is not a Slack request' }
    }
    if (body.type === 'url_verification') {
      return { ok: true, events: [], challenge: String(body.challenge ?? '') }
    }
    if (body.ssl_check) return { ok: true, events: [] }
    const retryNum = Number(header('x-slack-retry-num')) || undefined
    const events = await this.#receiver.dispatch(body, retryNum, header('x-slack-retry-reason'))
    return { ok: true, events }
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw classify(error)
    }
  }

  async openThread(card: ThreadCard): Promise<ThreadRef> {
    const posted = await this.#call(() =>
      this.#client.chat.postMessage({
        channel: this.config.channelId,
        text: cardText(card),
        blocks: cardBlocks(card),
        unfurl_links: false,
      })
    )
    return { threadId: posted.ts!, cardId: posted.ts! }
  }

  async post(thread: ThreadRef, posts: ThreadPost[]): Promise<string[]> {
    const ids: string[] = []
    for (const post of posts) {
      if (post.recipient) {
        const result = await this.#call(() =>
          this.#client.chat.postEphemeral({
            channel: this.config.channelId,
            user: post.recipient!.split(':').pop()!,
            thread_ts: thread.threadId,
            text: postText(post),
          })
        )
        ids.push(result.message_ts ?? '')
        continue
      }
      const result = await this.#call(() =>
        this.#client.chat.postMessage({
          channel: this.config.channelId,
          thread_ts: thread.threadId,
          text: postText(post),
          unfurl_links: false,
        })
      )
      ids.push(result.ts!)
    }
    return ids
  }

  async updateCard(thread: ThreadRef, card: ThreadCard) {
    await this.#call(() =>
      this.#client.chat.update({
        channel: this.config.channelId,
        ts: thread.cardId ?? thread.threadId,
        text: cardText(card),
        blocks: cardBlocks(card),
      })
    )
  }

  async lookupUser(externalId: string) {
    const userId = externalId.split(':').pop()!
    const result = await this.#call(() => this.#client.users.info({ user: userId }))
    const profile = result.user?.profile
    return { email: profile?.email, name: profile?.real_name ?? result.user?.name }
  }
}

const KNOWN = new Set([
  'botToken',
  'signingSecret',
  'channelId',
  'apiUrl',
  'socketMode',
  'appToken',
])

export const slackWorkspace: WorkspaceFactory = {
  platform: 'slack',
  secretFields: ['botToken', 'signingSecret', 'appToken'],

  async prepare(input) {
    for (const key of Object.keys(input)) {
      if (!KNOWN.has(key) && input[key] !== undefined) {
        throw new ChannelConfigError(`config.${key}`, `Unknown setting "${key}"`)
      }
    }
    const text = (key: string, pattern: RegExp, message: string) => {
      const value = input[key]
      if (typeof value !== 'string' || !pattern.test(value)) {
        throw new ChannelConfigError(`config.${key}`, message)
      }
      return value
    }
    const botToken = text(
      'botToken',
      /^xoxb-[\w-]{8,}$/,
      'config.botToken must be a bot token (xoxb-…)'
    )
    const signingSecret = text(
      'signingSecret',
      /^[0-9a-f]{16,128}$/i,
      'config.signingSecret must be the app\'s signing secret (hex, from "Basic Information")'
    )
    const channelId = text(
      'channelId',
      /^[CG][A-Z0-9]{2,30}$/,
      'config.channelId must be a channel id (C…)'
    )
    let apiUrl: string | undefined
    if (input.apiUrl !== undefined) {
      apiUrl = text('apiUrl', /^https?:\/\/\S+$/, 'config.apiUrl must be an http(s) URL')
      if (!apiUrl.endsWith('/')) apiUrl += '/'
    }
    if (input.socketMode === true) {
      throw new ChannelConfigError(
        'config.socketMode',
        "Socket Mode is not supported; point the app's Request URLs at /webhooks/slack/<id>"
      )
    }

    const client = clientOf({ botToken, apiUrl })
    let auth
    try {
      auth = await client.auth.test()
    } catch (error) {
      const failure = classify(error)
      throw new ChannelConfigError(
        failure instanceof PermanentError
          ? 'config.botToken'
          : apiUrl
            ? 'config.apiUrl'
            : 'config.botToken',
        failure instanceof PermanentError
          ? `Slack rejected this token (auth.test: ${failure.message})`
          : `Slack could not be reached to check the token: ${failure.message}`
      )
    }
    try {
      const info = await client.conversations.info({ channel: channelId })
      if (info.channel && info.channel.is_member === false) {
        throw new ChannelConfigError(
          'config.channelId',
          'The app is not a member of this channel: invite it (/invite @app) first'
        )
      }
    } catch (error) {
      if (error instanceof ChannelConfigError) throw error
      throw new ChannelConfigError(
        'config.channelId',
        `Slack cannot find this channel for the app (${classify(error).message})`
      )
    }
    return {
      botToken,
      signingSecret,
      channelId,
      ...(apiUrl ? { apiUrl } : {}),
      teamId: auth.team_id,
      botUserId: auth.user_id,
      botId: auth.bot_id,
    }
  },

  create(workspaceId, config) {
    return new SlackWorkspace(workspaceId, config as unknown as SlackConfig)
  },
}
