/*
| The Telegram channel (grammY). Webhook mode: Telegram posts updates to
| /webhooks/telegram/:channelId with our secret token. Polling mode (local
| use): one runner long-polls getUpdates and confirms an update (the next
| offset) only after the core has committed it.
*/
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto'
import { Api, Bot, GrammyError, HttpError } from 'grammy'
import type { Update, UserFromGetMe } from 'grammy/types'
import {
  ChannelConfigError,
  PermanentError,
  RetryableError,
  type AdapterContext,
  type AttachmentRef,
  type ChannelAdapter,
  type ChannelFactory,
  type InboundEnvelope,
  type OutboundMessage,
  type RawRequest,
  type SendReceipt,
  type WebhookResult,
} from '#channels/port'
import { NormaliseContext, normaliser } from '#bots/telegram/normalise'
import { splitText, toMarkdownV2 } from '#bots/telegram/text'

export const TELEGRAM_MAX_TEXT = 4096
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const

interface TelegramConfig {
  token: string
  mode: 'webhook' | 'polling'
  apiRoot?: string
  webhookSecret: string
  bot: UserFromGetMe
}

function apiOf(config: TelegramConfig) {
  return new Api(config.token, config.apiRoot ? { apiRoot: config.apiRoot } : undefined)
}

function digest(value: string) {
  return createHash('sha256').update(value).digest()
}

/** A Telegram error as the outbox understands it. */
export function classify(error: unknown): Error {
  if (error instanceof GrammyError) {
    const what = `Telegram ${error.method}: ${error.error_code} ${error.description}`
    if (error.error_code === 429) {
      return new RetryableError(what, (error.parameters.retry_after ?? 1) * 1000)
    }
    if (error.error_code === 403) {
      // Blocked, deactivated or kicked: the chat is gone until the user returns.
      return new PermanentError(what, true)
    }
    if (error.error_code >= 500) return new RetryableError(what)
    return new PermanentError(what)
  }
  if (error instanceof HttpError)
    return new RetryableError(`Telegram unreachable: ${error.message}`)
  return error instanceof Error ? error : new Error(String(error))
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })

class TelegramAdapter implements ChannelAdapter {
  readonly platform = 'telegram' as const
  readonly capabilities = {
    maxTextLength: TELEGRAM_MAX_TEXT,
    edits: true,
    buttons: true,
    formatting: true,
    media: ['photo', 'document'] as Array<'photo' | 'document'>,
  }
  readonly api: Api
  readonly #bot: Bot<NormaliseContext>
  readonly #envelopes = new WeakMap<Update, InboundEnvelope[]>()
  #polling?: AbortController
  #loop?: Promise<void>

  constructor(
    readonly channelId: number,
    readonly config: TelegramConfig
  ) {
    this.api = apiOf(config)
    this.#bot = new Bot<NormaliseContext>(config.token, {
      botInfo: config.bot,
      ContextConstructor: NormaliseContext,
      client: config.apiRoot ? { apiRoot: config.apiRoot } : undefined,
    })
    this.#bot.use((ctx, next) => {
      ctx.envelopes = this.#envelopes.get(ctx.update) ?? ctx.envelopes
      return next()
    })
    this.#bot.use(normaliser)
  }

  async normalise(update: Update): Promise<InboundEnvelope[]> {
    const envelopes: InboundEnvelope[] = []
    this.#envelopes.set(update, envelopes)
    await this.#bot.handleUpdate(update)
    return envelopes
  }

  async handleWebhook(req: RawRequest): Promise<WebhookResult> {
    const header = req.headers['x-telegram-bot-api-secret-token']
    const presented = Array.isArray(header) ? header[0] : header
    if (!presented || !timingSafeEqual(digest(presented), digest(this.config.webhookSecret))) {
      return { ok: false, status: 401, error: 'X-Telegram-Bot-Api-Secret-Token does not match' }
    }
    const update = req.body as Update
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
      return { ok: false, status: 400, error: 'The body is not a Telegram update' }
    }
    return { ok: true, envelopes: await this.normalise(update) }
  }

  async start(ctx: AdapterContext) {
    await this.api.setMyCommands(ctx.commands).catch((error) => {
      ctx.log.warn(`setMyCommands failed: ${classify(error).message}`)
    })
    if (this.config.mode === 'webhook') {
      if (!ctx.publicUrl) {
        await ctx.reportStatus('error', 'PUBLIC_URL is not set: Telegram cannot reach the webhook')
        return
      }
      const url = `${ctx.publicUrl.replace(/\/$/, '')}/webhooks/telegram/${this.channelId}`
      await this.api.setWebhook(url, {
        secret_token: this.config.webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      })
      await ctx.reportStatus('running', `webhook ${url}`)
      return
    }
    // getUpdates and a webhook exclude each other.
    await this.api.deleteWebhook()
    this.#polling = new AbortController()
    this.#loop = this.poll(ctx, this.#polling.signal)
    await ctx.reportStatus('running', 'polling')
  }

  private async poll(ctx: AdapterContext, signal: AbortSignal) {
    let offset: number | undefined
    let failures = 0
    while (!signal.aborted) {
      try {
        const updates = await this.api.getUpdates(
          { offset, timeout: 25, allowed_updates: [...ALLOWED_UPDATES] },
          // grammY types its own AbortSignal shim; the platform one works at runtime.
          signal as never
        )
        for (const update of updates) {
          for (const envelope of await this.normalise(update)) await ctx.ingest(envelope)
          // Confirmed on the next call, after the commit above.
          offset = update.update_id + 1
        }
        if (failures >= 3) await ctx.reportStatus('running', 'polling').catch(() => {})
        failures = 0
      } catch (error) {
        if (signal.aborted) break
        failures += 1
        const wait =
          error instanceof GrammyError && error.error_code === 429
            ? (error.parameters.retry_after ?? 1) * 1000
            : Math.min(30_000, 500 * 2 ** failures)
        ctx.log.warn(`polling: ${classify(error).message}; again in ${wait} ms`)
        // The status is a courtesy; the database may be what failed, and the loop must go on.
        if (failures === 3) await ctx.reportStatus('error', classify(error).message).catch(() => {})
        await sleep(wait, signal)
      }
    }
  }

  async stop() {
    this.#polling?.abort()
    await this.#loop?.catch(() => {})
    this.#polling = undefined
    this.#loop = undefined
  }

  async send(msg: OutboundMessage): Promise<SendReceipt> {
    const chatId = msg.to
    const replyTo = msg.replyToExternalId?.split(':')[1]
    const keyboard = msg.buttons?.length
      ? {
          inline_keyboard: msg.buttons.map((row) =>
            row.map((b) =>
              b.url
                ? { text: b.text, url: b.url }
                : { text: b.text, callback_data: b.data ?? b.text }
            )
          ),
        }
      : undefined
    const ids: string[] = []
    const record = (m: { message_id: number }) => {
      ids.push(`${chatId}:${m.message_id}`)
    }

    const attachments = msg.attachments ?? []
    for (const [index, attachment] of attachments.entries()) {
      // Buttons go under the last part the customer sees.
      const last = !msg.text && index === attachments.length - 1
      const options = { reply_markup: last ? keyboard : undefined }
      await this.call(ids.length, async () =>
        record(
          attachment.kind === 'photo'
            ? await this.api.sendPhoto(chatId, attachment.url, options)
            : await this.api.sendDocument(chatId, attachment.url, options)
        )
      )
    }

    const chunks = msg.text ? splitText(msg.text, TELEGRAM_MAX_TEXT) : []
    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1
      const formatted =
        msg.format === 'markdown'
          ? { text: toMarkdownV2(chunk), parse_mode: 'MarkdownV2' as const }
          : msg.format === 'html'
            ? { text: chunk, parse_mode: 'HTML' as const }
            : { text: chunk }
      await this.call(ids.length, async () =>
        record(
          await this.api.sendMessage(chatId, formatted.text, {
            parse_mode: formatted.parse_mode,
            reply_markup: last ? keyboard : undefined,
            reply_parameters:
              index === 0 && replyTo
                ? { message_id: Number(replyTo), allow_sending_without_reply: true }
                : undefined,
          })
        )
      )
    }
    return { externalIds: ids }
  }

  /**
   * One API call. The first part of a message fails fast so the outbox can
   * reschedule it; once a part is out, the rest waits out a short 429 here
   * rather than being sent twice by a retry of the whole message.
   */
  private async call(sentSoFar: number, work: () => Promise<void>) {
    for (let tries = 0; ; tries++) {
      try {
        return await work()
      } catch (error) {
        const failure = classify(error)
        const waitMs =
          failure instanceof RetryableError ? (failure.retryAfterMs ?? 1000) : undefined
        if (sentSoFar === 0 || waitMs === undefined || tries >= 5 || waitMs > 60_000) throw failure
        await sleep(waitMs)
      }
    }
  }

  /** The new text in the first part; parts the new text no longer needs are removed. */
  async edit(to: string, externalIds: string[], text: string) {
    const [first, ...rest] = externalIds.map((id) => Number(id.split(':')[1]))
    await this.api.editMessageText(to, first, text.slice(0, TELEGRAM_MAX_TEXT)).catch((error) => {
      // Editing to the same text is a 400 that means "already done".
      if (error instanceof GrammyError && /not modified/i.test(error.description)) return
      throw classify(error)
    })
    if (rest.length) await this.remove(to, externalIds.slice(1))
  }

  async remove(to: string, externalIds: string[]) {
    for (const id of externalIds) {
      await this.api.deleteMessage(to, Number(id.split(':')[1])).catch((error) => {
        // Already gone is what we wanted.
        if (error instanceof GrammyError && /not found/i.test(error.description)) return
        throw classify(error)
      })
    }
  }

  async answerCallback(callbackId: string, text?: string) {
    await this.api.answerCallbackQuery(callbackId, text ? { text } : undefined)
  }

  async fetchAttachment(ref: AttachmentRef) {
    if (!ref.ref) throw new PermanentError('This attachment has no Telegram file id')
    const file = await this.api.getFile(ref.ref).catch((error) => {
      throw classify(error)
    })
    if (!file.file_path) throw new PermanentError('Telegram has no downloadable path for this file')
    const root = this.config.apiRoot ?? 'https://api.telegram.org'
    const response = await fetch(`${root}/file/bot${this.config.token}/${file.file_path}`)
    if (!response.ok || !response.body) {
      throw new RetryableError(`Telegram file download: ${response.status}`)
    }
    return {
      body: response.body,
      mimeType: ref.mimeType ?? response.headers.get('content-type') ?? undefined,
      size: file.file_size,
    }
  }
}

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/

export const telegramChannel: ChannelFactory = {
  platform: 'telegram',
  secretFields: ['token', 'webhookSecret'],

  async prepare(input, previous) {
    const allowed = new Set(['token', 'mode', 'apiRoot'])
    for (const key of Object.keys(input)) {
      if (!allowed.has(key))
        throw new ChannelConfigError(`config.${key}`, `Unknown setting "${key}"`)
    }
    const token = input.token ?? previous?.token
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new ChannelConfigError(
        'config.token',
        'config.token must be a bot token from @BotFather (123456:ABC…)'
      )
    }
    const mode = input.mode ?? previous?.mode
    if (mode !== 'webhook' && mode !== 'polling') {
      throw new ChannelConfigError('config.mode', 'config.mode must be "webhook" or "polling"')
    }
    const apiRoot = input.apiRoot ?? previous?.apiRoot
    if (
      apiRoot !== undefined &&
      (typeof apiRoot !== 'string' || !/^https?:\/\/\S+$/.test(apiRoot))
    ) {
      throw new ChannelConfigError('config.apiRoot', 'config.apiRoot must be an http(s) URL')
    }
    const config = {
      token,
      mode,
      apiRoot: apiRoot?.replace(/\/$/, ''),
      webhookSecret: (previous?.webhookSecret as string) ?? randomBytes(32).toString('base64url'),
    } as TelegramConfig
    try {
      config.bot = await apiOf(config).getMe()
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new ChannelConfigError(
          'config.token',
          `Telegram rejected this token (getMe: ${error.description})`
        )
      }
      throw new ChannelConfigError(
        apiRoot ? 'config.apiRoot' : 'config.token',
        `Telegram could not be reached to check the token: ${classify(error).message}`
      )
    }
    return { config: config as unknown as Record<string, unknown> }
  },

  create(channelId, config) {
    return new TelegramAdapter(channelId, config as unknown as TelegramConfig)
  },

  needsRunner: () => true,
}
