/*
| The outbox. A reply is a `pending` message row plus a delivery job,
| written in the transaction that decided to reply. The delivery worker
| drains a conversation's pending replies in order, one sender at a time
| per conversation, and records every attempt.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import { PermanentError, RetryableError, type OutboundMessage } from '#channels/port'
import clock from '#services/clock'
import queue, { DELIVER_QUEUE, pooledSql } from '#messaging/queue'
import { specOf } from '#messaging/channels'
import { adapterFor } from '#channels/registry'
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

/*
| A drain runs one statement per reply besides the send: each claims the
| conversation's next pending reply (with the conversation as it is then:
| owner, 429 gate) and, after the first, also settles the reply before it
| and logs its attempt. `$1` is the conversation, `$2` the claim's lifetime
| in seconds, `$3` now; a reply is claimed only while the conversation has
| a channel and no 429 gate after now.
*/
function claimSql(options: { exclude?: string; waitForWriters?: boolean } = {}) {
  const { exclude, waitForWriters } = options
  return `c AS (
    SELECT id, team_id, channel_id, contact_id, owner, delivery_not_before
    FROM conversations WHERE id = $1${waitForWriters ? ' FOR SHARE' : ''}),
  m AS (
    UPDATE messages SET claimed_at = now(), attempts = attempts + 1, updated_at = now()
    WHERE id = (
      SELECT id FROM messages
      WHERE conversation_id = $1 AND delivery_status = 'pending'${exclude ? ` AND id <> ${exclude}` : ''}
      ORDER BY id LIMIT 1)
    AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2))
    AND EXISTS (
      SELECT 1 FROM c WHERE channel_id IS NOT NULL
        AND (delivery_not_before IS NULL OR delivery_not_before <= $3))
    RETURNING *)`
}

const CONVERSATION_COLUMNS = `c.id AS drain_id, c.team_id AS drain_team_id,
  c.channel_id AS drain_channel_id, c.contact_id AS drain_contact_id, c.owner AS drain_owner,
  c.delivery_not_before AS drain_delivery_not_before`

/**
 * The first claim of a drain also reads where replies go: the channel and
 * the contact there. It waits for transactions holding the conversation
 * (FOR SHARE): one that queued a reply while this job was still waiting to
 * start added no job of its own (one queued per conversation), so this
 * drain must see its reply.
 */
const CLAIM_FIRST = `WITH ${claimSql({ waitForWriters: true })}
  SELECT ${CONVERSATION_COLUMNS}, ch.id AS drain_channel_row, ch.platform AS drain_platform,
    ch.config_encrypted AS drain_config_encrypted, ch.updated_at AS drain_channel_updated_at,
    d.external_id AS drain_external_id, d.unreachable_at AS drain_unreachable_at, m.*
  FROM c LEFT JOIN m ON true
  LEFT JOIN channels ch ON ch.id = c.channel_id
  LEFT JOIN LATERAL (
    SELECT i.external_id, ct.unreachable_at FROM contact_identities i
    JOIN contacts ct ON ct.id = i.contact_id
    WHERE i.contact_id = c.contact_id AND i.platform = ch.platform
    LIMIT 1) d ON true`

/** Settles reply `$4` (`$5`…`$12`: its outcome and log line), then claims the next. */
const SETTLE_AND_CLAIM = `WITH settled AS (
    UPDATE messages SET delivery_status = $5, failure_reason = $6,
      external_id = COALESCE($7, external_id), metadata = COALESCE($8::jsonb, metadata),
      claimed_at = NULL, updated_at = $3
    WHERE id = $4),
  logged AS (
    INSERT INTO delivery_attempts (message_id, attempt, outcome, detail, duration_ms)
    VALUES ($4, $9, $10, $11, $12)),
  ${claimSql({ exclude: '$4' })}
  SELECT ${CONVERSATION_COLUMNS}, m.* FROM c LEFT JOIN m ON true`

interface Outcome {
  status: 'sent' | 'failed'
  reason?: string | null
  externalId?: string | null
  metadata?: unknown
  /** The delivery_attempts line. */
  outcome: string
  detail: string | null
  startedAt: number
  /** Whether the panel hears of it (sent, or failed at the platform). */
  announce?: boolean
}

type Destination = {
  channel: { id: number; platform: string; configEncrypted: string; updatedAt: DateTime } | null
  identity: { external_id: string; unreachable_at: Date | null } | null
}

/** The conversation and its claimed reply (if any) from a claim's row. */
function claimed(row: Row | undefined) {
  if (!row) return { conversation: undefined, message: undefined }
  const conversation = {
    id: row.drain_id as number,
    team_id: row.drain_team_id as number,
    channel_id: row.drain_channel_id as number | null,
    contact_id: row.drain_contact_id as number,
    owner: row.drain_owner as string,
    delivery_not_before: row.drain_delivery_not_before as Date | null,
  }
  const message: Row = {}
  for (const [key, value] of Object.entries(row)) {
    if (!key.startsWith('drain_')) message[key] = value
  }
  return { conversation, message: row.id === null ? undefined : message }
}

function destinationOf(row: Row | undefined): Destination {
  const channel =
    row && row.drain_channel_row !== null
      ? {
          id: row.drain_channel_row as number,
          platform: row.drain_platform as string,
          configEncrypted: row.drain_config_encrypted as string,
          updatedAt: DateTime.fromJSDate(row.drain_channel_updated_at),
        }
      : null
  const identity =
    row && channel && row.drain_external_id !== null
      ? { external_id: row.drain_external_id as string, unreachable_at: row.drain_unreachable_at }
      : null
  return { channel, identity }
}

/** The delivery job: sends the conversation's pending replies in order. */
export async function deliverConversation(conversationId: number): Promise<void> {
  let now = new Date()
  const claimFirst = async () => {
    const { rows } = await pooledSql(CLAIM_FIRST, [conversationId, claimSeconds(), now])
    return rows[0] as Row | undefined
  }
  let first = await claimFirst()
  // Nothing claimed, maybe because the statement's snapshot predates the
  // commit it waited for: once more, with a fresh one.
  if (first && first.id === null) first = await claimFirst()
  // The same for every reply of this drain.
  const destination = destinationOf(first)
  let { conversation, message } = claimed(first)
  for (;;) {
    if (!conversation?.channel_id) return

    // The platform asked us to wait (429): try again then, not before.
    const gate = conversation.delivery_not_before
    if (gate && gate.getTime() > now.getTime()) {
      await scheduleDelivery(conversationId, undefined, gate)
      return
    }

    // Nothing pending, or another worker's send is in flight.
    if (!message) return

    const result = await sendOne(conversation, message, destination)
    // A retry later: later replies wait behind this one, so order holds.
    if (!result) return

    now = new Date()
    const next = await pooledSql(SETTLE_AND_CLAIM, [
      conversationId,
      claimSeconds(),
      now,
      message.id,
      result.status,
      result.reason ?? null,
      result.externalId ?? null,
      result.metadata === undefined ? null : JSON.stringify(result.metadata),
      message.attempts,
      result.outcome,
      result.detail?.slice(0, 2000) ?? null,
      Date.now() - result.startedAt,
    ])
    if (result.announce) {
      publish(conversation.team_id, 'message.updated', { conversationId, messageId: message.id })
    }
    const following = claimed(next.rows[0])
    conversation = following.conversation
    message = following.message
  }
}

/**
 * Sends one claimed reply; its outcome to record, or undefined when it
 * was put back for a retry later (recorded already).
 */
async function sendOne(
  conversation: Row,
  message: Row,
  destination: Destination
): Promise<Outcome | undefined> {
  const conversationId = conversation.id
  const startedAt = Date.now()
  const fail = (outcome: string, reason: string, detail: string | null): Outcome => ({
    status: 'failed',
    reason,
    outcome,
    detail,
    startedAt,
  })
  // Invariant 5: the bot never talks over a person, checked at send time.
  if (message.author_kind === 'bot' && conversation.owner !== 'bot') {
    return fail('withheld', 'withheld: a person owns the conversation', null)
  }

  const { channel, identity } = destination
  if (!channel || !identity) {
    const reason = channel ? 'the contact has no identity on this channel' : 'channel deleted'
    return fail('failed', reason, 'no destination')
  }
  if (identity.unreachable_at) {
    return fail('failed', 'the contact is unreachable (blocked the bot)', 'contact unreachable')
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
      (a: { kind: string; url?: string }) => (a.kind === 'photo' || a.kind === 'document') && a.url
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
    const receipt = await adapterFor(specOf(channel)).send(outbound)
    return {
      status: 'sent',
      externalId: receipt.externalIds[0] ?? null,
      metadata: { ...message.metadata, externalIds: receipt.externalIds },
      outcome: 'sent',
      detail: null,
      startedAt,
      announce: true,
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (error instanceof PermanentError || message.attempts >= MAX_ATTEMPTS) {
      if (error instanceof PermanentError && error.unreachable) {
        identity.unreachable_at = clock.now().toJSDate()
        await db
          .from('contacts')
          .where('id', conversation.contact_id)
          .update({ unreachable_at: identity.unreachable_at })
      }
      return { ...fail('failed', reason, reason), announce: true }
    }
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
    return undefined
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
