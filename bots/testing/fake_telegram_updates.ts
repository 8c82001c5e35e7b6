import { createHash, randomBytes } from 'node:crypto'
import type {
  Audio,
  Chat,
  Contact,
  Document,
  Message,
  MessageEntity,
  PhotoSize,
  Sticker,
  Update,
  User,
  Video,
  VideoNote,
  Voice,
} from 'grammy/types'

/** The person writing to the bot in a test. */
export interface FakeUser {
  id: number
  first_name: string
  last_name?: string
  username?: string
  language_code?: string
}

/** A file the update refers to: a bare file_id, or what FakeTelegram.addFile returned. */
export type FileRef = string | { file_id: string; file_unique_id: string; file_size?: number }

export type UpdateWithoutId = Omit<Update, 'update_id'>

/** Fields a test may set on the message a builder produces. */
export interface MessageExtra {
  chat?: Chat
  message_id?: number
  message_thread_id?: number
  date?: number
  entities?: MessageEntity[]
}

/*
 * One message_id sequence per chat for the whole process, shared with
 * FakeTelegram: in Telegram the user's and the bot's messages live in the same
 * sequence, so an inbound message never reuses the id of a message the bot sent.
 */
const lastMessageIds = new Map<string, number>()

export function nextMessageId(chatId: number | string): number {
  const key = String(chatId)
  const next = (lastMessageIds.get(key) ?? 0) + 1
  lastMessageIds.set(key, next)
  return next
}

/** Keeps the sequence ahead of an id chosen by hand. */
export function noteMessageId(chatId: number | string, messageId: number): void {
  const key = String(chatId)
  if ((lastMessageIds.get(key) ?? 0) < messageId) lastMessageIds.set(key, messageId)
}

/** A shallow copy without the given keys. */
export function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value }
  for (const key of keys) delete copy[key]
  return copy
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000)
}

export function userOf(user: FakeUser): User {
  return {
    id: user.id,
    is_bot: false,
    first_name: user.first_name,
    ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
    ...(user.username === undefined ? {} : { username: user.username }),
    language_code: user.language_code ?? 'en',
  }
}

export function privateChatOf(user: FakeUser): Chat.PrivateChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name === undefined ? {} : { last_name: user.last_name }),
    ...(user.username === undefined ? {} : { username: user.username }),
  }
}

/*
 * Telegram detects these entities itself in every message text, so a bot sees
 * a bot_command entity on "/start" (grammY's bot.command() depends on it).
 * The patterns are simpler than Telegram's, which checks TLDs against a list.
 */
const AUTO_ENTITY_PATTERNS: Array<[MessageEntity.CommonMessageEntity['type'], RegExp]> = [
  ['email', /(?<![\w.+-])[\w.+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}(?![\w@])/giu],
  [
    'url',
    /(?<![\w@/.-])(?:https?:\/\/[^\s<>"]+|(?:www\.)?(?:[a-z\d-]+\.)+(?:com|org|net|io|dev|app|me|co|info|biz|ai|gg|tv|us|eu|uk|de|fr|ru|ly)(?::\d+)?(?:\/[^\s<>"]*)?)/giu,
  ],
  ['bot_command', /(?<![\w/])\/[a-z\d_]{1,64}(?:@[a-z\d_]{3,32})?(?![\w/])/giu],
  ['mention', /(?<![\w@])@[a-z\d_]{3,32}(?!\w)/giu],
  ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*/gu],
  ['cashtag', /(?<![\w$])\$[A-Z]{3,8}(?![\w])/gu],
]

/** Entity types inside which Telegram does not look for links, mentions or commands. */
const OPAQUE_ENTITIES = new Set(['code', 'pre', 'text_link', 'text_mention', 'custom_emoji'])

/** Entities Telegram would find on its own in `text`, skipping ranges already taken by `explicit`. */
export function detectEntities(text: string, explicit: MessageEntity[] = []): MessageEntity[] {
  const taken: Array<[number, number]> = explicit
    .filter((entity) => OPAQUE_ENTITIES.has(entity.type))
    .map((entity) => [entity.offset, entity.offset + entity.length])
  const found: MessageEntity[] = []
  for (const [type, pattern] of AUTO_ENTITY_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      let value = match[0]
      // A sentence ending right after a link does not belong to the link.
      if (type === 'url') value = value.replace(/[.,;:!?)\]'"]+$/u, '')
      const start = match.index
      const end = start + value.length
      if (value.length === 0) continue
      if (taken.some(([from, to]) => start < to && end > from)) continue
      taken.push([start, end])
      found.push({ type, offset: start, length: value.length })
    }
  }
  return found.sort((a, b) => a.offset - b.offset)
}

function fileIdsOf(ref: FileRef): { file_id: string; file_unique_id: string; file_size?: number } {
  if (typeof ref !== 'string') return ref
  const digest = createHash('sha256').update(ref).digest('base64url')
  return { file_id: ref, file_unique_id: `AgAD${digest.slice(0, 12)}` }
}

/** A file object of any kind: its ids, its own fields, and its size when known. */
function fileObject<T extends { file_id: string; file_unique_id: string }>(
  ref: FileRef,
  fields: Omit<T, 'file_id' | 'file_unique_id' | 'file_size'>
): T {
  const ids = fileIdsOf(ref)
  return {
    file_id: ids.file_id,
    file_unique_id: ids.file_unique_id,
    ...fields,
    ...(ids.file_size === undefined ? {} : { file_size: ids.file_size }),
  } as T
}

function baseMessage(user: FakeUser, extra: MessageExtra = {}): Message {
  const chat = extra.chat ?? privateChatOf(user)
  const messageId = extra.message_id ?? nextMessageId(chat.id)
  noteMessageId(chat.id, messageId)
  return {
    message_id: messageId,
    from: userOf(user),
    chat,
    date: extra.date ?? unixNow(),
    ...(extra.message_thread_id === undefined
      ? {}
      : { message_thread_id: extra.message_thread_id, is_topic_message: true }),
  }
}

function messageUpdate(message: Message): UpdateWithoutId {
  return { message: message as Update['message'] }
}

function captioned(caption: string | undefined): Partial<Message> {
  if (caption === undefined) return {}
  const entities = detectEntities(caption)
  return { caption, ...(entities.length > 0 ? { caption_entities: entities } : {}) }
}

export function textUpdate(
  user: FakeUser,
  text: string,
  extra: MessageExtra = {}
): UpdateWithoutId {
  const entities = extra.entities ?? detectEntities(text)
  return messageUpdate({
    ...baseMessage(user, extra),
    text,
    ...(entities.length > 0 ? { entities } : {}),
  })
}

/** "/start" or "/start payload", with the bot_command entity Telegram adds. */
export function commandUpdate(
  user: FakeUser,
  command: string,
  args?: string,
  extra: MessageExtra = {}
): UpdateWithoutId {
  const name = command.startsWith('/') ? command : `/${command}`
  const text = args === undefined || args === '' ? name : `${name} ${args}`
  const commandEntity: MessageEntity = { type: 'bot_command', offset: 0, length: name.length }
  const rest = detectEntities(text, [{ ...commandEntity, type: 'code' }])
  return textUpdate(user, text, { ...extra, entities: [commandEntity, ...rest] })
}

/** A photo as Telegram delivers it: one PhotoSize per file, smallest first. */
export function photoUpdate(
  user: FakeUser,
  fileIds: FileRef[],
  caption?: string,
  extra: MessageExtra = {}
): UpdateWithoutId {
  const sizes: PhotoSize[] = fileIds.map((ref, index) => {
    const ids = fileIdsOf(ref)
    const width = index < 4 ? [90, 320, 800, 1280][index] : 1280 * 2 ** (index - 3)
    return {
      file_id: ids.file_id,
      file_unique_id: ids.file_unique_id,
      width,
      height: Math.round((width * 3) / 4),
      file_size: ids.file_size ?? 1500 * (index + 1) ** 3,
    }
  })
  return messageUpdate({ ...baseMessage(user, extra), photo: sizes, ...captioned(caption) })
}

export function documentUpdate(
  user: FakeUser,
  file: FileRef,
  options: { file_name?: string; mime_type?: string; caption?: string } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const document = fileObject<Document>(file, {
    file_name: options.file_name ?? 'document.pdf',
    mime_type: options.mime_type ?? 'application/pdf',
  })
  return messageUpdate({ ...baseMessage(user, extra), document, ...captioned(options.caption) })
}

export function audioUpdate(
  user: FakeUser,
  file: FileRef,
  options: {
    duration?: number
    performer?: string
    title?: string
    file_name?: string
    mime_type?: string
    caption?: string
  } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const audio = fileObject<Audio>(file, {
    duration: options.duration ?? 180,
    ...(options.performer === undefined ? {} : { performer: options.performer }),
    ...(options.title === undefined ? {} : { title: options.title }),
    file_name: options.file_name ?? 'audio.mp3',
    mime_type: options.mime_type ?? 'audio/mpeg',
  })
  return messageUpdate({ ...baseMessage(user, extra), audio, ...captioned(options.caption) })
}

export function voiceUpdate(
  user: FakeUser,
  file: FileRef,
  options: { duration?: number; mime_type?: string } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const voice = fileObject<Voice>(file, {
    duration: options.duration ?? 3,
    mime_type: options.mime_type ?? 'audio/ogg',
  })
  return messageUpdate({ ...baseMessage(user, extra), voice })
}

export function videoUpdate(
  user: FakeUser,
  file: FileRef,
  options: {
    duration?: number
    width?: number
    height?: number
    file_name?: string
    mime_type?: string
    caption?: string
  } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const video = fileObject<Video>(file, {
    width: options.width ?? 1280,
    height: options.height ?? 720,
    duration: options.duration ?? 10,
    file_name: options.file_name ?? 'video.mp4',
    mime_type: options.mime_type ?? 'video/mp4',
  })
  return messageUpdate({ ...baseMessage(user, extra), video, ...captioned(options.caption) })
}

export function videoNoteUpdate(
  user: FakeUser,
  file: FileRef,
  options: { duration?: number; length?: number } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const videoNote = fileObject<VideoNote>(file, {
    length: options.length ?? 384,
    duration: options.duration ?? 5,
  })
  return messageUpdate({ ...baseMessage(user, extra), video_note: videoNote })
}

export function stickerUpdate(
  user: FakeUser,
  file: FileRef,
  options: { emoji?: string; set_name?: string; is_animated?: boolean; is_video?: boolean } = {},
  extra: MessageExtra = {}
): UpdateWithoutId {
  const sticker = fileObject<Sticker>(file, {
    type: 'regular',
    width: 512,
    height: 512,
    is_animated: options.is_animated ?? false,
    is_video: options.is_video ?? false,
    emoji: options.emoji ?? '👍',
    ...(options.set_name === undefined ? {} : { set_name: options.set_name }),
  })
  return messageUpdate({ ...baseMessage(user, extra), sticker })
}

export function locationUpdate(
  user: FakeUser,
  latitude: number,
  longitude: number,
  extra: MessageExtra = {}
): UpdateWithoutId {
  return messageUpdate({ ...baseMessage(user, extra), location: { latitude, longitude } })
}

export function contactUpdate(
  user: FakeUser,
  contact: Contact,
  extra: MessageExtra = {}
): UpdateWithoutId {
  return messageUpdate({ ...baseMessage(user, extra), contact })
}

/** The user edited one of their earlier text messages. */
export function editedTextUpdate(
  user: FakeUser,
  messageId: number,
  newText: string,
  extra: MessageExtra = {}
): UpdateWithoutId {
  const now = unixNow()
  const entities = extra.entities ?? detectEntities(newText)
  const message = {
    ...baseMessage(user, { ...extra, message_id: messageId, date: extra.date ?? now }),
    edit_date: now,
    text: newText,
    ...(entities.length > 0 ? { entities } : {}),
  }
  return { edited_message: message as Update['edited_message'] }
}

/** The user replied to `repliedTo` (a message of the bot or their own) in the same chat. */
export function replyUpdate(
  user: FakeUser,
  text: string,
  repliedTo: Message,
  extra: MessageExtra = {}
): UpdateWithoutId {
  const update = textUpdate(user, text, { chat: repliedTo.chat, ...extra })
  return messageUpdate({
    ...update.message!,
    // Telegram never nests a reply inside reply_to_message.
    reply_to_message: without(repliedTo, 'reply_to_message') as Message['reply_to_message'],
  })
}

/** The user pressed an inline button carrying `data` under `message`. */
export function callbackQueryUpdate(
  user: FakeUser,
  data: string,
  message: Message,
  options: { id?: string; chat_instance?: string } = {}
): UpdateWithoutId {
  const chatInstance =
    options.chat_instance ??
    BigInt(
      `0x${createHash('sha256').update(String(message.chat.id)).digest('hex').slice(0, 15)}`
    ).toString()
  return {
    callback_query: {
      id: options.id ?? BigInt(`0x${randomBytes(7).toString('hex')}`).toString(),
      from: userOf(user),
      message,
      chat_instance: chatInstance,
      data,
    },
  }
}
