/*
| Ingest: one platform event becomes durable state in ONE transaction —
| the ledger row, the contact and its identity, the conversation, the
| message and the job that processes it. The platform is acknowledged only
| after the commit; a duplicate (same channel and event id) changes nothing.
|
| Every statement is a round trip that the server and PostgreSQL both pay
| for, so the common case (a known customer writing into their open
| conversation) takes three: the ledger row with the customer's lock, one
| statement for the message and its conversation, and the job.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { InboundEnvelope } from '#channels/port'
import clock from '#services/clock'
import queue, { PROCESS_QUEUE, transactionDb } from '#messaging/queue'
import { publish } from '#messaging/live'
import { ingestViaChannel } from '#operators/ingest'

export interface IngestChannel {
  id: number
  teamId: number
  platform: string
  /**
   * The row's updated_at as the caller read it, perhaps a while ago: ingest
   * then first checks, in its transaction, that the channel is enabled and
   * unchanged since, and throws StaleChannelError (storing nothing) if not.
   */
  readAt?: Date
}

/** The channel changed (or stopped) since the caller read it: read it again and retry. */
export class StaleChannelError extends Error {
  constructor(channelId: number) {
    super(`Channel ${channelId} changed since it was read`)
  }
}

export interface IngestResult {
  duplicate: boolean
  /** An edit of an earlier message rather than a new one. */
  edited?: boolean
  conversationId?: number
  messageId?: number
}

type Row = Record<string, any>

async function one(trx: TransactionClientContract, sql: string, bindings: unknown[]) {
  const result = await trx.rawQuery(sql, bindings as never)
  return result.rows[0] as Row | undefined
}

/** The contact behind a platform user, created on first contact. */
async function contactFor(
  trx: TransactionClientContract,
  channel: IngestChannel,
  envelope: InboundEnvelope
): Promise<number> {
  const who = envelope.contact
  const found = await one(
    trx,
    `SELECT contact_id FROM contact_identities WHERE team_id = ? AND platform = ? AND external_id = ?`,
    [channel.teamId, channel.platform, who.externalId]
  )
  if (found) {
    // Names change on the platform; keep ours current without a write per message.
    // A customer who writes can be written to again (they unblocked the bot).
    await trx.rawQuery(
      `UPDATE contacts SET name = COALESCE(?, name), unreachable_at = NULL, updated_at = now()
       WHERE id = ? AND ((?::text IS NOT NULL AND name IS DISTINCT FROM ?) OR unreachable_at IS NOT NULL)`,
      [who.name ?? null, found.contact_id, who.name ?? null, who.name ?? null] as never
    )
    return found.contact_id
  }
  const contact = await one(
    trx,
    `INSERT INTO contacts (team_id, name, locale, phone) VALUES (?, ?, ?, ?) RETURNING id`,
    [channel.teamId, who.name ?? null, who.locale ?? null, who.phone ?? null]
  )
  await trx.rawQuery(
    `INSERT INTO contact_identities (team_id, contact_id, platform, external_id, username)
     VALUES (?, ?, ?, ?, ?)`,
    [channel.teamId, contact!.id, channel.platform, who.externalId, who.username ?? null] as never
  )
  return contact!.id
}

/**
 * The conversation a customer message belongs to: the open one on this
 * channel, else the latest resolved one reopened, else a new one.
 */
async function conversationFor(
  trx: TransactionClientContract,
  channel: IngestChannel,
  contactId: number
): Promise<{ id: number; created: boolean }> {
  const open = await one(
    trx,
    `SELECT id FROM conversations
     WHERE channel_id = ? AND contact_id = ? AND status <> 'resolved' FOR UPDATE`,
    [channel.id, contactId]
  )
  if (open) return { id: open.id, created: false }
  const reopened = await one(
    trx,
    `UPDATE conversations SET status = 'open', resolved_at = NULL, updated_at = now()
     WHERE id = (SELECT id FROM conversations WHERE channel_id = ? AND contact_id = ?
                 ORDER BY id DESC LIMIT 1)
     RETURNING id`,
    [channel.id, contactId]
  )
  if (reopened) return { id: reopened.id, created: false }
  const created = await one(
    trx,
    `INSERT INTO conversations (team_id, channel_id, contact_id, last_message_at)
     VALUES (?, ?, ?, ?) RETURNING id`,
    [channel.teamId, channel.id, contactId, clock.now().toJSDate()]
  )
  return { id: created!.id, created: true }
}

type Sql = Awaited<ReturnType<typeof transactionDb>>

/**
 * The message of a known customer who has an open conversation on this
 * channel, in one statement: the conversation locked, the contact's name
 * kept current, the message inserted (unless the platform already sent
 * it) and the conversation's counters moved. Undefined when the customer
 * is new or has no open conversation: the general path below decides.
 *
 * The counters' update also adds the message's words to the search
 * document, as the messages_search_append trigger then does again: adding
 * words already there changes nothing, so the trigger's update touches no
 * indexed value and PostgreSQL makes it a HOT update. Otherwise both
 * updates would write an entry in each of the conversation's indexes,
 * every word of the document again into the GIN one.
 */
async function appendToOpenConversation(
  sql: Sql,
  channel: IngestChannel,
  envelope: InboundEnvelope,
  message: NonNullable<InboundEnvelope['message']>,
  now: Date
): Promise<IngestResult | undefined> {
  const { rows } = await sql.executeSql(
    `WITH conversation AS (
       SELECT c.id, c.contact_id
       FROM contact_identities ci
       JOIN conversations c ON c.contact_id = ci.contact_id
       WHERE ci.team_id = $1::int AND ci.platform = $2::text AND ci.external_id = $3::text
         AND c.channel_id = $4::int AND c.status <> 'resolved'
       FOR UPDATE OF c
     ),
     renamed AS (
       UPDATE contacts SET name = COALESCE($5::text, name), unreachable_at = NULL,
         updated_at = now()
       WHERE id = (SELECT contact_id FROM conversation)
         AND (($5::text IS NOT NULL AND name IS DISTINCT FROM $5::text)
              OR unreachable_at IS NOT NULL)
     ),
     message AS (
       INSERT INTO messages (conversation_id, channel_id, direction, author_kind, kind, body,
         attachments, metadata, external_id, reply_to_id, delivery_status, created_at, updated_at)
       SELECT id, $4, 'inbound', 'contact', $6::text, $7::text, $8::jsonb, $9::jsonb, $10::text,
              (SELECT id FROM messages WHERE channel_id = $4 AND external_id = $11::text),
              'received', $12::timestamptz, $12::timestamptz
       FROM conversation
       ON CONFLICT (channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id, conversation_id
     ),
     touched AS (
       UPDATE conversations SET message_count = message_count + 1,
         last_message_at = $12::timestamptz, last_customer_message_at = $12::timestamptz,
         updated_at = $12::timestamptz,
         search_vector = CASE WHEN $7::text <> '' AND pg_column_size(search_vector) < 512000
                              THEN search_vector || strip(to_tsvector('simple', $7::text))
                              ELSE search_vector END,
         status = CASE WHEN status IN ('pending', 'snoozed') THEN 'open' ELSE status END,
         snoozed_until = NULL, close_at = NULL, close_message = NULL, close_by_id = NULL
       WHERE id = (SELECT conversation_id FROM message)
     )
     SELECT (SELECT id FROM conversation) AS conversation_id, (SELECT id FROM message) AS message_id`,
    [
      channel.teamId,
      channel.platform,
      envelope.contact.externalId,
      channel.id,
      envelope.contact.name || null,
      message.kind,
      message.text ?? null,
      JSON.stringify(message.attachments ?? []),
      JSON.stringify(messageMetadata(envelope)),
      message.externalId,
      message.replyToExternalId ?? null,
      now,
    ]
  )
  const row = rows[0] as Row
  if (row.conversation_id === null) return undefined
  // The same platform message under a new event id: nothing new to say.
  if (row.message_id === null) return { duplicate: true }
  return { duplicate: false, conversationId: row.conversation_id, messageId: row.message_id }
}

function messageMetadata(envelope: InboundEnvelope) {
  const { message, callback } = envelope
  return {
    ...message?.metadata,
    ...(message?.command ? { command: message.command } : {}),
    ...(callback ? { callbackId: callback.id, callbackMessage: callback.messageExternalId } : {}),
  }
}

export async function ingest(
  channel: IngestChannel,
  envelope: InboundEnvelope
): Promise<IngestResult> {
  // An operator in a group this channel's bot serves, not a customer.
  if (envelope.workspace) {
    const { duplicate } = await ingestViaChannel(
      channel,
      envelope.workspace.chatId,
      envelope.workspace.event
    )
    return { duplicate }
  }
  const kind = envelope.message ? 'message' : envelope.edit ? 'edit' : 'callback'
  const result = await db.transaction(async (trx): Promise<IngestResult> => {
    const sql = await transactionDb(trx)
    // One customer's events are applied one at a time: the contact, the
    // choice of conversation and the message order cannot race. The lock
    // is taken with the ledger row, and only for a new event.
    const ledger = await sql.executeSql(
      `WITH fresh AS (
         SELECT 1 WHERE $6::timestamptz IS NULL OR EXISTS (
           SELECT 1 FROM channels WHERE id = $1::int AND enabled
             AND date_trunc('milliseconds', updated_at) = $6::timestamptz)
       ),
       ledger AS (
         INSERT INTO inbound_events (source_type, source_id, external_id, kind, payload)
         SELECT 'channel', $1::int, $2::text, $3::text, $4::jsonb FROM fresh
         ON CONFLICT DO NOTHING RETURNING id
       ),
       locked AS (SELECT id, pg_advisory_xact_lock(hashtext($5::text)) FROM ledger)
       SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, (SELECT id FROM locked) AS id`,
      [
        channel.id,
        envelope.eventId,
        kind,
        JSON.stringify(envelope),
        `contact:${channel.teamId}:${channel.platform}:${envelope.contact.externalId}`,
        channel.readAt ?? null,
      ]
    )
    if (!ledger.rows[0].fresh) throw new StaleChannelError(channel.id)
    if (ledger.rows[0].id === null) return { duplicate: true } as IngestResult

    if (envelope.message) {
      const appended = await appendToOpenConversation(
        sql,
        channel,
        envelope,
        envelope.message,
        clock.now().toJSDate()
      )
      if (appended) {
        if (!appended.duplicate) {
          await queue.send(PROCESS_QUEUE, { messageId: appended.messageId! }, { trx })
        }
        return appended
      }
    }

    const contactId = await contactFor(trx, channel, envelope)

    if (envelope.edit) return applyEdit(trx, channel, envelope.edit)

    const conversation = await conversationFor(trx, channel, contactId)
    const now = clock.now().toJSDate()
    const message = envelope.message
    const callback = envelope.callback
    const replyTo = message?.replyToExternalId
      ? await one(trx, `SELECT id FROM messages WHERE channel_id = ? AND external_id = ?`, [
          channel.id,
          message.replyToExternalId,
        ])
      : undefined
    const inserted = await one(
      trx,
      `INSERT INTO messages (conversation_id, channel_id, direction, author_kind, kind, body,
         attachments, metadata, external_id, reply_to_id, delivery_status, created_at, updated_at)
       VALUES (?, ?, 'inbound', 'contact', ?, ?, ?, ?, ?, ?, 'received', ?, ?)
       ON CONFLICT (channel_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        conversation.id,
        channel.id,
        message ? message.kind : 'callback',
        message ? (message.text ?? null) : callback!.data,
        JSON.stringify(message?.attachments ?? []),
        JSON.stringify(messageMetadata(envelope)),
        message ? message.externalId : `callback:${callback!.id}`,
        replyTo?.id ?? null,
        now,
        now,
      ]
    )
    // The same platform message under a new event id: nothing new to say.
    if (!inserted) return { duplicate: true } as IngestResult

    await trx.rawQuery(
      `UPDATE conversations SET message_count = message_count + 1, last_message_at = ?,
         last_customer_message_at = ?, updated_at = ?,
         status = CASE WHEN status IN ('pending', 'snoozed') THEN 'open' ELSE status END,
         snoozed_until = NULL, close_at = NULL, close_message = NULL, close_by_id = NULL
       WHERE id = ?`,
      [now, now, now, conversation.id] as never
    )
    await queue.send(PROCESS_QUEUE, { messageId: inserted.id }, { trx })
    return { duplicate: false, conversationId: conversation.id, messageId: inserted.id }
  })
  if (!result.duplicate && result.messageId) {
    publish(channel.teamId, result.edited ? 'message.updated' : 'message.created', {
      conversationId: result.conversationId,
      messageId: result.messageId,
    })
  }
  return result
}

/** A customer's edit: the new text, with the old one kept in the history. */
async function applyEdit(
  trx: TransactionClientContract,
  channel: IngestChannel,
  edit: NonNullable<InboundEnvelope['edit']>
): Promise<IngestResult> {
  const updated = await one(
    trx,
    `UPDATE messages
     SET edit_history = edit_history || jsonb_build_array(jsonb_build_object('body', body, 'replacedAt', ?::timestamptz)),
         body = ?, edited_at = ?, updated_at = now()
     WHERE channel_id = ? AND external_id = ? AND direction = 'inbound'
     RETURNING id, conversation_id`,
    [edit.editedAt.toISOString(), edit.text, edit.editedAt, channel.id, edit.externalId]
  )
  if (!updated) return { duplicate: false }
  return {
    duplicate: false,
    edited: true,
    conversationId: updated.conversation_id,
    messageId: updated.id,
  }
}
