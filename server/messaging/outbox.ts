/*
| The outbox. A reply is a `pending` message row plus a delivery job,
| written in the transaction that decided to reply. The delivery worker
| drains a conversation's pending replies in order, one sender at a time
| per conversation, and records every attempt.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Channel from '#models/channel'
import { PermanentError, RetryableError, type OutboundMessage } from '#channels/port'
import clock from '#services/clock'
import queue, { DELIVER_QUEUE } from '#messaging/queue'
import { adapterOf } from '#messaging/channels'
import { publish } from '#messaging/live'

/** After this many failed attempts a reply is given up (dead letter). */
export const MAX_ATTEMPTS = 8

export interface Reply {
  text: string
  authorKind: 'bot' | 'system' | 'operator'
  authorUserId?: number | null
  /** The event that caused it: a job that runs twice replies once. */
  idempotencyKey?: string
  buttons?: OutboundMessage['buttons']
  /** Kept on the message row (an answer's sources, say); never sent. */
  metadata?: Record<string, unknown>
}

/** Records a reply and its delivery job; returns the message id (existing if a repeat). */
export async function queueReply(
  trx: TransactionClientContract,
  conversation: { id: number; channelId: number | null },
  reply: Reply
): Promise<number> {
  const now = clock.now().toJSDate()
  const result = await trx.rawQuery(
    `INSERT INTO messages (conversation_id, channel_id, direction, author_kind, author_user_id,
       kind, body, metadata, delivery_status, idempotency_key, created_at, updated_at)
     VALUES (?, ?, 'outbound', ?, ?, 'text', ?, ?, ?, ?, ?, ?)
     ON CONFLICT (conversation_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      conversation.id,
      conversation.channelId,
      reply.authorKind,
      reply.authorUserId ?? null,
      reply.text,
      JSON.stringify({ ...reply.metadata, ...(reply.buttons && { buttons: reply.buttons }) }),
      conversation.channelId ? 'pending' : null,
      reply.idempotencyKey ?? null,
      now,
      now,
    ] as never
  )
  const id = result.rows[0]?.id as number | undefined
  if (id === undefined) {
    const existing = await trx
      .from('messages')
      .where({ conversation_id: conversation.id, idempotency_key: reply.idempotencyKey! })
      .select('id')
      .firstOrFail()
    return existing.id
  }
  await trx.rawQuery(
    `UPDATE conversations SET message_count = message_count + 1, last_message_at = ?,
       updated_at = ? WHERE id = ?`,
    [now, now, conversation.id] as never
  )
  if (conversation.channelId) await scheduleDelivery(conversation.id, trx)
  return id
}

export function scheduleDelivery(
  conversationId: number,
  trx?: TransactionClientContract,
  startAfter?: Date
) {
  return queue.send(DELIVER_QUEUE, { conversationId }, { trx, startAfter })
}

type Row = Record<string, any>

/** How long a claim protects a send in flight before another worker may retry it. */
function claimSeconds() {
  return queue.expireSeconds
}

/** Backoff with full jitter, at least the platform's retry_after. */
export function retryDelayMs(attempts: number, retryAfterMs?: number) {
  const backoff = Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1))
  const jittered = backoff / 2 + Math.random() * (backoff / 2)
  return Math.max(retryAfterMs ?? 0, jittered)
}

async function logAttempt(
  messageId: number,
  attempt: number,
  outcome: string,
  detail: string | null,
  startedAt: number
) {
  await db.table('delivery_attempts').insert({
    message_id: messageId,
    attempt,
    outcome,
    detail: detail?.slice(0, 2000) ?? null,
    duration_ms: Date.now() - startedAt,
  })
}

/** The conversation's next pending reply, claimed for this worker; undefined when none. */
async function claimNext(conversationId: number): Promise<Row | undefined> {
  const result = await db.rawQuery(
    `UPDATE messages SET claimed_at = now(), attempts = attempts + 1, updated_at = now()
     WHERE id = (
       SELECT id FROM messages
       WHERE conversation_id = ? AND delivery_status = 'pending'
       ORDER BY id LIMIT 1)
     AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ?))
     RETURNING *`,
    [conversationId, claimSeconds()] as never
  )
  return result.rows[0]
}

async function settle(messageId: number, changes: Record<string, unknown>) {
  await db
    .from('messages')
    .where('id', messageId)
    .update({ ...changes, claimed_at: null, updated_at: new Date() })
}

/** Where a conversation's replies go: its channel and the contact's identity there. */
async function destinationOf(conversation: Row) {
  const channel = await Channel.find(conversation.channel_id)
  const identity = channel
    ? ((await db
        .from('contact_identities as i')
        .join('contacts as c', 'c.id', 'i.contact_id')
        .where('i.contact_id', conversation.contact_id)
        .where('i.platform', channel.platform)
        .select('i.external_id', 'c.unreachable_at')
        .first()) as Row | null)
    : null
  return { channel, identity }
}

/** The delivery job: sends the conversation's pending replies in order. */
export async function deliverConversation(conversationId: number): Promise<void> {
  // The same for every reply of this drain; read once, when the first one is due.
  let destination: Awaited<ReturnType<typeof destinationOf>> | undefined
  for (;;) {
    const conversation = (await db
      .from('conversations')
      .where('id', conversationId)
      .select('id', 'team_id', 'channel_id', 'contact_id', 'owner', 'delivery_not_before')
      .first()) as Row | null
    if (!conversation?.channel_id) return

    // The platform asked us to wait (429): try again then, not before.
    const gate = conversation.delivery_not_before as Date | null
    if (gate && gate.getTime() > Date.now()) {
      await scheduleDelivery(conversationId, undefined, gate)
      return
    }

    const message = await claimNext(conversationId)
    // Nothing pending, or another worker's send is in flight.
    if (!message) return

    const startedAt = Date.now()
    const fail = async (outcome: string, reason: string, detail: string | null) => {
      await settle(message.id, { delivery_status: 'failed', failure_reason: reason })
      await logAttempt(message.id, message.attempts, outcome, detail, startedAt)
    }
    // Invariant 5: the bot never talks over a person, checked at send time.
    if (message.author_kind === 'bot' && conversation.owner !== 'bot') {
      await fail('withheld', 'withheld: a person owns the conversation', null)
      continue
    }

    destination ??= await destinationOf(conversation)
    const { channel, identity } = destination
    if (!channel || !identity) {
      const reason = channel ? 'the contact has no identity on this channel' : 'channel deleted'
      await fail('failed', reason, 'no destination')
      continue
    }
    if (identity.unreachable_at) {
      await fail('failed', 'the contact is unreachable (blocked the bot)', 'contact unreachable')
      continue
    }

    const replyTo = message.reply_to_id
      ? ((await db
          .from('messages')
          .where('id', message.reply_to_id)
          .select('external_id')
          .first()) as Row | null)
      : null
    const outbound: OutboundMessage = {
      to: identity.external_id,
      text: message.body ?? undefined,
      attachments: (message.attachments ?? []).filter(
        (a: { kind: string; url?: string }) =>
          (a.kind === 'photo' || a.kind === 'document') && a.url
      ),
      format: message.metadata?.format ?? 'plain',
      buttons: message.metadata?.buttons,
      replyToExternalId: replyTo?.external_id ?? undefined,
      idempotencyKey: `msg_${message.id}`,
      payload: {
        type: 'message.created',
        data: {
          conversationId,
          contact: { externalId: identity.external_id },
          message: {
            id: message.id,
            text: message.body,
            attachments: message.attachments?.length ? message.attachments : undefined,
            authorKind: message.author_kind,
            createdAt: message.created_at,
            buttons: message.metadata?.buttons ?? undefined,
          },
        },
      },
    }

    try {
      const receipt = await adapterOf(channel).send(outbound)
      await settle(message.id, {
        delivery_status: 'sent',
        external_id: receipt.externalIds[0] ?? null,
        failure_reason: null,
        metadata: JSON.stringify({ ...message.metadata, externalIds: receipt.externalIds }),
      })
      await logAttempt(message.id, message.attempts, 'sent', null, startedAt)
      publish(conversation.team_id, 'message.updated', { conversationId, messageId: message.id })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (error instanceof PermanentError || message.attempts >= MAX_ATTEMPTS) {
        await fail('failed', reason, reason)
        if (error instanceof PermanentError && error.unreachable) {
          identity.unreachable_at = clock.now().toJSDate()
          await db
            .from('contacts')
            .where('id', conversation.contact_id)
            .update({ unreachable_at: identity.unreachable_at })
        }
        publish(conversation.team_id, 'message.updated', { conversationId, messageId: message.id })
        continue
      }
      // Retry later; later replies wait behind this one, so order holds.
      const retryAfterMs = error instanceof RetryableError ? error.retryAfterMs : undefined
      const notBefore = new Date(Date.now() + retryDelayMs(message.attempts, retryAfterMs))
      await db.transaction(async (trx) => {
        await trx
          .from('messages')
          .where('id', message.id)
          .update({ claimed_at: null, failure_reason: reason })
        await trx
          .from('conversations')
          .where('id', conversationId)
          .update({ delivery_not_before: notBefore })
        await scheduleDelivery(conversationId, trx, notBefore)
      })
      await logAttempt(message.id, message.attempts, 'retry', reason, startedAt)
      return
    }
  }
}

/** Puts a failed reply back in the outbox (POST /messages/:id/retry). */
export async function retryMessage(
  messageId: number,
  conversation: { id: number; teamId: number }
) {
  const conversationId = conversation.id
  await db.transaction(async (trx) => {
    await trx
      .from('messages')
      .where('id', messageId)
      .update({ delivery_status: 'pending', attempts: 0, failure_reason: null, claimed_at: null })
    await scheduleDelivery(conversationId, trx)
  })
  publish(conversation.teamId, 'message.updated', { conversationId, messageId })
}
