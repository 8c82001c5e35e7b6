/*
| Ingest: one platform event becomes durable state in ONE transaction —
| the ledger row, the contact and its identity, the conversation, the
| message and the job that processes it. The platform is acknowledged only
| after the commit; a duplicate (same channel and event id) changes nothing.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { InboundEnvelope } from '#channels/port'
import clock from '#services/clock'
import queue, { PROCESS_QUEUE } from '#messaging/queue'
import { publish } from '#messaging/live'

export interface IngestChannel {
  id: number
  teamId: number
  platform: string
}

export interface IngestResult {
  duplicate: boolean
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
    if (who.name) {
      await trx.rawQuery(
        `UPDATE contacts SET name = ?, updated_at = now() WHERE id = ? AND name IS DISTINCT FROM ?`,
        [who.name, found.contact_id, who.name] as never
      )
    }
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

export async function ingest(
  channel: IngestChannel,
  envelope: InboundEnvelope
): Promise<IngestResult> {
  const kind = envelope.message ? 'message' : envelope.edit ? 'edit' : 'callback'
  const result = await db.transaction(async (trx) => {
    const ledger = await one(
      trx,
      `INSERT INTO inbound_events (source_type, source_id, external_id, kind, payload)
       VALUES ('channel', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [channel.id, envelope.eventId, kind, JSON.stringify(envelope)]
    )
    if (!ledger) return { duplicate: true } as IngestResult

    // One customer's events are applied one at a time: the contact, the
    // choice of conversation and the message order cannot race.
    await trx.rawQuery(`SELECT pg_advisory_xact_lock(hashtext(?))`, [
      `contact:${channel.teamId}:${channel.platform}:${envelope.contact.externalId}`,
    ] as never)
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
        JSON.stringify({
          ...message?.metadata,
          ...(message?.command ? { command: message.command } : {}),
          ...(callback
            ? { callbackId: callback.id, callbackMessage: callback.messageExternalId }
            : {}),
        }),
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
         snoozed_until = NULL
       WHERE id = ?`,
      [now, now, now, conversation.id] as never
    )
    await queue.send(PROCESS_QUEUE, { messageId: inserted.id }, { trx })
    return { duplicate: false, conversationId: conversation.id, messageId: inserted.id }
  })
  if (!result.duplicate && result.messageId) {
    publish(channel.teamId, 'message.created', {
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
  return { duplicate: false, conversationId: updated.conversation_id, messageId: updated.id }
}
