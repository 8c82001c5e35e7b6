/*
| Telegram updates → InboundEnvelopes, as a grammY composer. The composer
| only describes what arrived; the core decides what to do with it, after
| the commit. Message ids are per chat, so a message's external id is
| `<chat id>:<message id>`.
*/
import { Composer, Context, type NextFunction } from 'grammy'
import type { Message, Update, User } from 'grammy/types'
import type { AttachmentRef, InboundEnvelope, MessageKind } from '#channels/port'

export class NormaliseContext extends Context {
  envelopes: InboundEnvelope[] = []
}

export function messageId(chatId: number | string, id: number) {
  return `${chatId}:${id}`
}

function contactOf(user: User) {
  return {
    externalId: String(user.id),
    name: [user.first_name, user.last_name].filter(Boolean).join(' ') || undefined,
    username: user.username,
    locale: user.language_code,
  }
}

/** The kind, text and files of a message, whatever it carries. */
function contentOf(msg: Message): {
  kind: MessageKind
  text?: string
  attachments: AttachmentRef[]
} {
  const caption = msg.caption
  if (msg.photo?.length) {
    // Telegram sends several sizes; the largest is the one worth keeping.
    const p = msg.photo[msg.photo.length - 1]
    return {
      kind: 'photo',
      text: caption,
      attachments: [
        { kind: 'photo', ref: p.file_id, size: p.file_size, width: p.width, height: p.height },
      ],
    }
  }
  const file = (
    kind: MessageKind,
    f: {
      file_id: string
      file_size?: number
      mime_type?: string
      file_name?: string
      duration?: number
    }
  ) => ({
    kind,
    text: caption,
    attachments: [
      {
        kind,
        ref: f.file_id,
        size: f.file_size,
        mimeType: f.mime_type,
        name: f.file_name,
        duration: f.duration,
      },
    ],
  })
  if (msg.document) return file('document', msg.document)
  if (msg.audio) return file('audio', msg.audio)
  if (msg.voice) return file('voice', msg.voice)
  if (msg.video) return file('video', msg.video)
  if (msg.video_note) return file('video_note', msg.video_note)
  if (msg.sticker) {
    return {
      kind: 'sticker',
      text: msg.sticker.emoji,
      attachments: [{ kind: 'sticker', ref: msg.sticker.file_id, size: msg.sticker.file_size }],
    }
  }
  if (msg.location) {
    const { latitude, longitude } = msg.location
    return {
      kind: 'location',
      text: `${latitude},${longitude}`,
      attachments: [
        { kind: 'location', url: `https://maps.google.com/?q=${latitude},${longitude}` },
      ],
    }
  }
  if (msg.contact) {
    const c = msg.contact
    return {
      kind: 'contact',
      text: [c.first_name, c.last_name, c.phone_number].filter(Boolean).join(' '),
      attachments: [{ kind: 'contact', name: c.first_name, phone: c.phone_number }],
    }
  }
  return { kind: 'text', text: msg.text, attachments: [] }
}

function commandOf(msg: Message) {
  const entity = msg.entities?.[0]
  if (!msg.text || entity?.type !== 'bot_command' || entity.offset !== 0) return undefined
  const word = msg.text.slice(1, entity.length)
  // `/start@our_bot` in groups: the command is the part before the @.
  return { name: word.split('@')[0].toLowerCase(), args: msg.text.slice(entity.length).trim() }
}

/** Callback data of an operator card's buttons: `sb:<action>:<conversation id>`. */
export const CARD_ACTION = /^sb:(claim|resolve|bot):\d+$/

/**
 * A message in a supergroup is an operator in a workspace this bot serves
 * (a forum group): the core decides which, if any. Topic service messages
 * and other bots are not operators.
 */
function operatorMessage(ctx: NormaliseContext, msg: Message, edited: boolean) {
  if (msg.chat.type !== 'supergroup' || !msg.from || msg.from.is_bot) return
  const content = contentOf(msg)
  const text = msg.text ?? msg.caption ?? ''
  if (!text && !content.attachments.length) return
  const eventId = String(ctx.update.update_id)
  const externalId = messageId(msg.chat.id, msg.message_id)
  ctx.envelopes.push({
    eventId,
    contact: contactOf(msg.from),
    workspace: {
      chatId: String(msg.chat.id),
      event: {
        eventId,
        user: { externalId: String(msg.from.id), name: contactOf(msg.from).name },
        threadId: msg.is_topic_message ? String(msg.message_thread_id) : undefined,
        ...(edited
          ? { edit: { externalId, text } }
          : { message: { externalId, text, attachments: content.attachments } }),
      },
    },
  })
}

export const normaliser = new Composer<NormaliseContext>()

const handled = normaliser.errorBoundary((error) => {
  // An update we cannot read is still acknowledged: retrying cannot fix it.
  console.warn('[telegram] unreadable update', error.error)
})

handled.on('message', (ctx, next: NextFunction) => {
  const msg = ctx.message
  // Only private chats are customers; groups are operator workspaces.
  if (msg.chat.type === 'supergroup') return operatorMessage(ctx, msg, false)
  if (msg.chat.type !== 'private' || !msg.from) return next()
  const content = contentOf(msg)
  const command = commandOf(msg)
  ctx.envelopes.push({
    eventId: String(ctx.update.update_id),
    contact: contactOf(msg.from),
    message: {
      externalId: messageId(msg.chat.id, msg.message_id),
      kind: command ? 'command' : content.kind,
      text: content.text,
      attachments: content.attachments,
      replyToExternalId: msg.reply_to_message
        ? messageId(msg.chat.id, msg.reply_to_message.message_id)
        : undefined,
      command,
    },
  })
})

handled.on('edited_message', (ctx) => {
  const msg = ctx.editedMessage
  if (msg.chat.type === 'supergroup') return operatorMessage(ctx, msg, true)
  if (msg.chat.type !== 'private' || !msg.from) return
  ctx.envelopes.push({
    eventId: String(ctx.update.update_id),
    contact: contactOf(msg.from),
    edit: {
      externalId: messageId(msg.chat.id, msg.message_id),
      text: msg.text ?? msg.caption ?? '',
      editedAt: new Date((msg.edit_date ?? msg.date) * 1000),
    },
  })
})

handled.on('callback_query:data', (ctx) => {
  const query = ctx.callbackQuery
  const msg = query.message
  if (msg && msg.chat.type === 'supergroup') {
    // A card button in an operators' group.
    if (!CARD_ACTION.test(query.data)) return
    const eventId = String(ctx.update.update_id)
    ctx.envelopes.push({
      eventId,
      contact: contactOf(query.from),
      workspace: {
        chatId: String(msg.chat.id),
        event: {
          eventId,
          user: { externalId: String(query.from.id), name: contactOf(query.from).name },
          threadId:
            'message_thread_id' in msg && msg.message_thread_id !== undefined
              ? String(msg.message_thread_id)
              : undefined,
          action: {
            name: query.data.split(':')[1] as 'claim' | 'resolve' | 'bot',
            callbackId: query.id,
          },
        },
      },
    })
    return
  }
  ctx.envelopes.push({
    eventId: String(ctx.update.update_id),
    contact: contactOf(query.from),
    callback: {
      id: query.id,
      data: query.data,
      messageExternalId: msg ? messageId(msg.chat.id, msg.message_id) : undefined,
    },
  })
})

export type { Update }
