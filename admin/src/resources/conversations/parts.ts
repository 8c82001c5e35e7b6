/*
| Pure helpers for showing conversations and messages: what a message
| carries in its metadata (an answer's sources, its buttons), its files, and
| the one-line preview the inbox shows.
*/
import type { components } from '../../api/schema.js'

// From the schema itself: the unit tests load this file outside Vite.
type Conversation = components['schemas']['Conversation']
type Message = components['schemas']['Message']

export type Source = { n: number; title: string; url: string | null }
export type MessageButton = { text: string; data?: string; url?: string }
export type Attachment = {
  kind: string
  name?: string
  mimeType?: string
  size?: number
  url?: string
}
export type Preview = NonNullable<Conversation['lastMessage']>

const FOOTER = '\n\nSources:\n'

/** An assistant answer's cited sources (metadata.assistant.sources). */
export function sourcesOf(message: Pick<Message, 'metadata'>): Source[] {
  const assistant = (message.metadata as Record<string, any> | undefined)?.assistant
  const list = assistant?.sources
  if (!Array.isArray(list)) return []
  return list
    .filter((s) => s && typeof s.title === 'string')
    .map((s, i) => ({
      n: Number.isFinite(s.n) ? s.n : i + 1,
      title: s.title,
      url: typeof s.url === 'string' ? s.url : null,
    }))
}

/** The text without the sources footer the customer got, when the sources are shown apart. */
export function bodyWithoutSources(body: string | null | undefined, sources: Source[]): string {
  const text = body ?? ''
  if (!sources.length) return text
  const at = text.lastIndexOf(FOOTER)
  return at >= 0 ? text.slice(0, at) : text
}

export function buttonsOf(message: Pick<Message, 'metadata'>): MessageButton[][] {
  const rows = (message.metadata as Record<string, any> | undefined)?.buttons
  if (!Array.isArray(rows)) return []
  return rows
    .filter(Array.isArray)
    .map((row: unknown[]) =>
      row.filter((b): b is MessageButton => !!b && typeof (b as any).text === 'string')
    )
    .filter((row) => row.length > 0)
}

export function attachmentsOf(message: Pick<Message, 'attachments'>): Attachment[] {
  const list = message.attachments
  return Array.isArray(list) ? (list as Attachment[]).filter((a) => a && typeof a === 'object') : []
}

/** The file through the API (fetched from the platform, or redirected to its URL). */
export function attachmentUrl(messageId: number, index: number): string {
  return `/api/v1/messages/${messageId}/attachments/${index}`
}

export function isImage(attachment: Attachment): boolean {
  return (
    attachment.kind === 'photo' ||
    attachment.kind === 'sticker' ||
    (attachment.mimeType ?? '').startsWith('image/')
  )
}

/** 1536 → "1.5 KB". */
export function fileSize(bytes: number | undefined): string {
  if (!bytes || !Number.isFinite(bytes)) return ''
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

const KIND_LABEL: Record<string, string> = {
  photo: 'Photo',
  document: 'File',
  audio: 'Audio',
  voice: 'Voice message',
  video: 'Video',
  video_note: 'Video message',
  sticker: 'Sticker',
  location: 'Location',
  contact: 'Contact card',
  callback: 'Pressed a button',
}

export function kindLabel(kind: string | undefined): string {
  if (!kind) return 'Message'
  return KIND_LABEL[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ')
}

/** Who wrote the inbox's last message, as a prefix ("" for the customer). */
export function previewAuthor(preview: Preview): string {
  switch (preview.authorKind) {
    case 'bot':
      return 'Assistant'
    case 'operator':
      return 'Operator'
    case 'system':
      return 'Automatic'
    default:
      return ''
  }
}

export function previewText(preview: Preview): string {
  const body = preview.body?.replace(/\s+/g, ' ').trim()
  if (preview.kind === 'callback') return body ? `Pressed “${body}”` : 'Pressed a button'
  if (body) return body
  return kindLabel(preview.kind)
}

type ButtonDraft = { text?: string; type?: 'data' | 'url'; data?: string; url?: string }
export type Draft = {
  text?: string
  format?: 'plain' | 'markdown'
  attachments?: Array<{ kind?: 'photo' | 'document'; url?: string; name?: string }>
  buttons?: ButtonDraft[][]
}

/**
 * The body POST /conversations/:id/messages expects. Empty parts are left
 * out, except what the user started filling in: the API then says, on the
 * field, what is missing.
 */
export function toReply(values: Draft, internal: boolean): Record<string, unknown> {
  const text = values.text?.trim() ? values.text : undefined
  if (internal) return { text: text ?? '', internal: true }
  const body: Record<string, unknown> = {}
  if (text !== undefined) body.text = text
  if (values.format && values.format !== 'plain') body.format = values.format
  if (values.attachments?.length) {
    body.attachments = values.attachments.map((a) => ({
      kind: a?.kind ?? 'document',
      url: a?.url?.trim() ?? '',
      ...(a?.name?.trim() ? { name: a.name.trim() } : {}),
    }))
  }
  if (values.buttons?.length) {
    body.buttons = values.buttons.map((row) =>
      (row ?? []).map((b) =>
        b?.type === 'url'
          ? { text: b?.text ?? '', url: b?.url?.trim() ?? '' }
          : { text: b?.text ?? '', data: b?.data ?? '' }
      )
    )
  }
  return body
}
