/*
| The Telegram operator workspace: a supergroup with topics, run by the bot
| of one of the team's Telegram channels. Each conversation is a forum
| topic named `contact · platform`, opened by a card with an inline
| keyboard. Operators' messages there reach the core through the channel's
| own updates (normalise.ts marks them as workspace events).
|
| Telegram allows about 20 messages a minute in a group, so several
| pending posts merge into one message where they fit.
*/
import { Api, GrammyError } from 'grammy'
import type { InlineKeyboardMarkup, UserFromGetMe } from 'grammy/types'
import { ChannelConfigError } from '#channels/port'
import type {
  ThreadCard,
  ThreadPost,
  ThreadRef,
  WorkspaceAdapter,
  WorkspaceFactory,
} from '#channels/workspace'
import { classify, TELEGRAM_MAX_TEXT } from '#bots/telegram/adapter'

interface LinkedBot {
  token: string
  apiRoot?: string
  bot: UserFromGetMe
}

function keyboard(card: ThreadCard): InlineKeyboardMarkup {
  const data = (action: string) => `sb:${action}:${card.conversationId}`
  return {
    inline_keyboard: [
      [
        { text: 'Claim', callback_data: data('claim') },
        { text: 'Resolve', callback_data: data('resolve') },
        { text: 'Back to bot', callback_data: data('bot') },
      ],
    ],
  }
}

function cardText(card: ThreadCard) {
  return [
    `${card.title} · #${card.conversationId}`,
    `Status: ${card.status} · Owner: ${card.owner} · Assignee: ${card.assignee ?? 'nobody'}`,
    `Priority: ${card.priority} · Tags: ${card.tags.length ? card.tags.join(', ') : 'none'}`,
    card.handoffReason ? `Handed off: ${card.handoffReason}` : undefined,
  ]
    .filter(Boolean)
    .join('\n')
}

function postText(post: ThreadPost) {
  const links = (post.attachments ?? []).map((a) => `${a.name ?? a.kind}: ${a.url}`)
  const body = [post.text, ...links].filter(Boolean).join('\n')
  if (post.note) return `📝 ${post.label ?? 'Note'} (internal):\n${body}`
  return post.label ? `${post.label}: ${body}` : body
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw classify(error)
  }
}

class TelegramWorkspace implements WorkspaceAdapter {
  readonly platform = 'telegram' as const
  readonly postsPerMinute = 20
  readonly mergeLimit = 10
  readonly #api: Api

  constructor(
    readonly workspaceId: number,
    readonly chatId: number,
    linked: LinkedBot
  ) {
    this.#api = new Api(linked.token, linked.apiRoot ? { apiRoot: linked.apiRoot } : undefined)
  }

  async openThread(card: ThreadCard): Promise<ThreadRef> {
    const topic = await call(() =>
      this.#api.createForumTopic(this.chatId, card.title.slice(0, 128))
    )
    const message = await call(() =>
      this.#api.sendMessage(this.chatId, cardText(card), {
        message_thread_id: topic.message_thread_id,
        reply_markup: keyboard(card),
      })
    )
    return { threadId: String(topic.message_thread_id), cardId: String(message.message_id) }
  }

  /** Consecutive posts share one message while they fit; each gets that message's id. */
  async post(thread: ThreadRef, posts: ThreadPost[]): Promise<string[]> {
    const groups: string[][] = []
    for (const post of posts) {
      const text = postText(post).slice(0, TELEGRAM_MAX_TEXT)
      const last = groups.at(-1)
      if (last && [...last, text].join('\n\n').length <= TELEGRAM_MAX_TEXT) last.push(text)
      else groups.push([text])
    }
    const ids: string[] = []
    for (const group of groups) {
      const sent = await call(() =>
        this.#api.sendMessage(this.chatId, group.join('\n\n'), {
          message_thread_id: Number(thread.threadId),
          link_preview_options: { is_disabled: true },
        })
      )
      ids.push(...group.map(() => String(sent.message_id)))
    }
    return ids
  }

  async updateCard(thread: ThreadRef, card: ThreadCard) {
    if (!thread.cardId) return
    await this.#api
      .editMessageText(this.chatId, Number(thread.cardId), cardText(card), {
        reply_markup: keyboard(card),
      })
      .catch((error) => {
        // The card already says this.
        if (error instanceof GrammyError && /not modified/i.test(error.description)) return
        throw classify(error)
      })
  }

  async answerAction(callbackId: string, text?: string) {
    await this.#api.answerCallbackQuery(callbackId, text ? { text } : undefined)
  }
}

function linkedBot(linked?: { platform: string; config: Record<string, unknown> }): LinkedBot {
  if (!linked || linked.platform !== 'telegram') {
    throw new ChannelConfigError(
      'config.channelId',
      'A Telegram channel of this team serves the group'
    )
  }
  return linked.config as unknown as LinkedBot
}

export const telegramWorkspace: WorkspaceFactory = {
  platform: 'telegram',
  secretFields: [],

  async prepare(input, linked) {
    for (const key of Object.keys(input)) {
      if (key !== 'channelId' && key !== 'chatId') {
        throw new ChannelConfigError(`config.${key}`, `Unknown setting "${key}"`)
      }
    }
    const chatId = input.chatId
    if (typeof chatId !== 'number' || !Number.isInteger(chatId) || chatId >= 0) {
      throw new ChannelConfigError(
        'config.chatId',
        "config.chatId must be the group's id, a negative number (-100…)"
      )
    }
    const bot = linkedBot(linked)
    const api = new Api(bot.token, bot.apiRoot ? { apiRoot: bot.apiRoot } : undefined)
    const chat = await api.getChat(chatId).catch((error) => {
      throw new ChannelConfigError(
        'config.chatId',
        `The bot @${bot.bot.username} cannot see this group (${classify(error).message}): add it first`
      )
    })
    if (chat.type !== 'supergroup' || !chat.is_forum) {
      throw new ChannelConfigError(
        'config.chatId',
        'The group must be a supergroup with topics enabled (group settings → Topics)'
      )
    }
    const member = await api.getChatMember(chatId, bot.bot.id).catch((error) => {
      throw new ChannelConfigError(
        'config.chatId',
        `getChatMember failed: ${classify(error).message}`
      )
    })
    const canManage =
      member.status === 'creator' ||
      (member.status === 'administrator' && member.can_manage_topics === true)
    if (!canManage) {
      throw new ChannelConfigError(
        'config.chatId',
        `@${bot.bot.username} must be an administrator of the group with the "Manage topics" right`
      )
    }
    return { channelId: input.channelId, chatId }
  },

  create(workspaceId, config, linked) {
    return new TelegramWorkspace(workspaceId, config.chatId as number, linkedBot(linked))
  },
}
