/*
| The mirror: keeps each conversation's threads in its team's workspaces up
| to date. One pass (the workspace.mirror job, one at a time per
| conversation) opens missing threads, records a post for every message
| not yet shown there, sends pending posts in order and updates the card
| when it changed. Posts are rows, claimed like the customer outbox, so a
| crash neither loses nor repeats one; a platform's rate limit defers the
| pass and later messages merge into fewer posts. Never dropped.
*/
import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'
import env from '#start/env'
import OperatorWorkspace from '#models/operator_workspace'
import { PermanentError, RetryableError } from '#channels/port'
import type { ThreadCard, ThreadPost, ThreadRef, WorkspaceAdapter } from '#channels/workspace'
import queue, { MIRROR_QUEUE } from '#messaging/queue'
import { retryDelayMs } from '#messaging/outbox'
import { workspaceAdapterOf } from '#operators/workspaces'
import { displayName } from '#operators/desk'

type Row = Record<string, any>

/** How many earlier messages a new thread shows, for context. */
const HISTORY = 10
/** After this many failed attempts a post is given up. */
const MAX_ATTEMPTS = 8

/** A platform asked us to wait; the pass resumes then. */
class Deferred extends Error {
  constructor(readonly untilMs: number) {
    super('deferred')
  }
}

/** The conversation's columns its card shows, directly or through a join (cardOf). */
const CARD_COLUMNS = [
  'status',
  'owner',
  'assignee_id',
  'priority',
  'tags',
  'handoff_reason',
  'channel_id',
  'contact_id',
]

/** Whether a change to a conversation row shows on its card. */
export function cardChanged(before: Row, after: Row) {
  return CARD_COLUMNS.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

async function cardOf(conversationId: number): Promise<ThreadCard | undefined> {
  const row = (await db
    .from('conversations as c')
    .join('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('channels as ch', 'ch.id', 'c.channel_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .where('c.id', conversationId)
    .select(
      'c.id',
      'c.team_id',
      'c.channel_id',
      'c.status',
      'c.owner',
      'c.priority',
      'c.tags',
      'c.handoff_reason',
      'ct.name as contact_name',
      'ch.platform',
      'u.email as assignee_email',
      'u.full_name as assignee_name'
    )
    .first()) as Row | undefined
  if (!row) return undefined
  const contactName = row.contact_name ?? 'Customer'
  const platform = row.platform ?? 'api'
  return {
    conversationId: row.id,
    title: `${contactName} · ${platform}`,
    contactName,
    platform,
    status: row.status,
    owner: row.owner,
    assignee: row.assignee_email
      ? displayName({ full_name: row.assignee_name, email: row.assignee_email })
      : null,
    priority: row.priority,
    tags: row.tags ?? [],
    handoffReason: row.handoff_reason,
  }
}

function hashOf(card: ThreadCard) {
  return createHash('sha256').update(JSON.stringify(card)).digest('hex')
}

/** Whether a workspace receives this conversation (a thread, once opened, stays). */
function routed(workspace: OperatorWorkspace, conversation: Row) {
  const routing = workspace.routing ?? { conversations: 'handoff' }
  if (routing.conversations !== 'all' && conversation.owner === 'bot') return false
  if (routing.channelIds?.length && !routing.channelIds.includes(conversation.channel_id)) {
    return false
  }
  if (routing.tags?.length && !routing.tags.some((t) => conversation.tags.includes(t))) {
    return false
  }
  return true
}

/** Spends one of the destination's posts per minute, or says when one is free. */
async function spend(workspace: OperatorWorkspace, adapter: WorkspaceAdapter, points = 1) {
  const limit = limiter.use('database', {
    requests: adapter.postsPerMinute,
    duration: '1 min',
  })
  try {
    await limit.consume(`workspace:${workspace.id}`, points)
  } catch (error) {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      throw new Deferred(Date.now() + (error.response.availableIn || 1) * 1000)
    }
    throw error
  }
}

/** What a thread shows for one message. */
function postOf(message: Row): ThreadPost {
  const base = env.get('PUBLIC_URL')?.replace(/\/$/, '') ?? ''
  const attachments = ((message.attachments ?? []) as Row[]).map((a, index) => ({
    kind: a.kind as string,
    // Files kept at the customer's platform are fetched through our API.
    url: a.url ?? `${base}/api/v1/messages/${message.id}/attachments/${index}`,
    name: a.name,
  }))
  const text = message.body ?? (attachments.length ? '' : `[${message.kind}]`)
  const operator = message.author_email
    ? displayName({ full_name: message.author_name, email: message.author_email })
    : 'Operator'
  if (message.direction === 'internal') {
    if (message.kind === 'event') return { text, label: 'Switchboard' }
    const by = message.author_kind === 'operator' ? operator : 'Switchboard'
    return { text, label: `Note by ${by}`, note: true }
  }
  const label =
    message.author_kind === 'contact'
      ? `${message.contact_name ?? 'Customer'} (customer)`
      : message.author_kind === 'bot'
        ? 'Assistant'
        : message.author_kind === 'operator'
          ? operator
          : 'Switchboard'
  return { text, label, attachments }
}

async function openThread(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  conversation: Row,
  card: ThreadCard
): Promise<Row> {
  // A topic and its card: two platform calls.
  await spend(workspace, adapter, 2)
  const ref = await adapter.openThread(card)
  const from = (await db
    .from('messages')
    .where('conversation_id', conversation.id)
    .orderBy('id', 'desc')
    .offset(HISTORY - 1)
    .select('id')
    .first()) as Row | undefined
  const [thread] = await db
    .table('operator_threads')
    .insert({
      conversation_id: conversation.id,
      workspace_id: workspace.id,
      external_thread_id: ref.threadId,
      card_external_id: ref.cardId ?? null,
      from_message_id: from?.id ?? 0,
      card_hash: hashOf(card),
    })
    .returning('*')
  return thread
}

/** Records a pending post for every message the thread does not show yet. */
async function enumerate(thread: Row) {
  await db.rawQuery(
    `INSERT INTO operator_posts (thread_id, workspace_id, conversation_id, message_id)
     SELECT ?, ?, m.conversation_id, m.id FROM messages m
     WHERE m.conversation_id = ? AND m.id >= ? AND m.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM operator_posts p WHERE p.thread_id = ? AND p.message_id = m.id)
     ORDER BY m.id
     ON CONFLICT DO NOTHING`,
    [thread.id, thread.workspace_id, thread.conversation_id, thread.from_message_id, thread.id]
  )
}

/** The thread's pending posts, oldest first, claimed for this pass. */
async function claimPending(thread: Row): Promise<Row[]> {
  const { rows } = await db.rawQuery(
    `UPDATE operator_posts p SET claimed_at = now(), attempts = attempts + 1, updated_at = now()
     FROM (SELECT id FROM operator_posts WHERE thread_id = ? AND status = 'pending'
             AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ?))
           ORDER BY id LIMIT 50) due
     WHERE p.id = due.id
     RETURNING p.*`,
    [thread.id, queue.expireSeconds]
  )
  const posts = (rows as Row[]).sort((a, b) => Number(a.id) - Number(b.id))
  const ids = posts.filter((p) => p.message_id).map((p) => p.message_id)
  const messages = ids.length
    ? ((await db
        .from('messages as m')
        .join('conversations as c', 'c.id', 'm.conversation_id')
        .join('contacts as ct', 'ct.id', 'c.contact_id')
        .leftJoin('users as u', 'u.id', 'm.author_user_id')
        .whereIn('m.id', ids)
        .select(
          'm.*',
          'ct.name as contact_name',
          'u.email as author_email',
          'u.full_name as author_name'
        )) as Row[])
    : []
  const byId = new Map(messages.map((m) => [Number(m.id), m]))
  return posts.map((p) => ({ ...p, message: byId.get(Number(p.message_id)) }))
}

async function settle(ids: number[], changes: Record<string, unknown>) {
  await db
    .from('operator_posts')
    .whereIn('id', ids)
    .update({ ...changes, claimed_at: null, updated_at: new Date() })
}

/** Sends the thread's pending posts, merging runs where the platform allows. */
async function drain(workspace: OperatorWorkspace, adapter: WorkspaceAdapter, thread: Row) {
  const ref: ThreadRef = { threadId: thread.external_thread_id, cardId: thread.card_external_id }
  const pending = await claimPending(thread)
  let index = 0
  try {
    while (index < pending.length) {
      // A run of posts for everyone merges; a notice to one operator goes alone.
      const batch = [pending[index]]
      if (!pending[index].recipient) {
        while (
          batch.length < adapter.mergeLimit &&
          index + batch.length < pending.length &&
          !pending[index + batch.length].recipient
        ) {
          batch.push(pending[index + batch.length])
        }
      }
      const posts = batch.map((p) =>
        p.message
          ? postOf(p.message)
          : { text: p.body ?? '', label: 'Switchboard', recipient: p.recipient ?? undefined }
      )
      await spend(workspace, adapter)
      try {
        const ids = await adapter.post(ref, posts)
        for (const [i, p] of batch.entries()) {
          await settle([p.id], {
            status: 'sent',
            external_id: ids[i] ?? null,
            failure_reason: null,
          })
        }
      } catch (error) {
        if (error instanceof RetryableError) {
          throw new Deferred(Date.now() + retryDelayMs(batch[0].attempts, error.retryAfterMs))
        }
        const reason = error instanceof Error ? error.message : String(error)
        const permanent = error instanceof PermanentError || batch[0].attempts >= MAX_ATTEMPTS
        if (!permanent) {
          // This attempt counts: the batch stays pending with it, for the retry.
          await settle(
            batch.map((p) => p.id),
            { failure_reason: reason.slice(0, 2000) }
          )
          index += batch.length
          throw error
        }
        await settle(
          batch.map((p) => p.id),
          { status: 'failed', failure_reason: reason.slice(0, 2000) }
        )
      }
      index += batch.length
    }
  } finally {
    // Whatever was not sent goes back to pending for the next pass.
    const left = pending.slice(index).map((p) => p.id)
    if (left.length) await settle(left, { attempts: db.raw('greatest(attempts - 1, 0)') })
  }
}

async function refreshCard(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  thread: Row,
  card: ThreadCard
) {
  const hash = hashOf(card)
  if (thread.card_hash === hash) return
  await spend(workspace, adapter)
  await adapter.updateCard(
    { threadId: thread.external_thread_id, cardId: thread.card_external_id },
    card
  )
  await db
    .from('operator_threads')
    .where('id', thread.id)
    .update({ card_hash: hash, updated_at: new Date() })
}

/** The workspace.mirror job. */
export async function mirrorConversation(conversationId: number): Promise<void> {
  // Waits for transactions holding the conversation (FOR SHARE): one that
  // asked for a pass while this one was still queued added none of its own
  // (one queued per conversation), so this pass must read what it committed.
  const conversation = (await db
    .from('conversations')
    .where('id', conversationId)
    .forShare()
    .first()) as Row | undefined
  if (!conversation) return
  const card = await cardOf(conversationId)
  if (!card) return
  const workspaces = await OperatorWorkspace.query()
    .where({ team_id: conversation.team_id, enabled: true })
    .orderBy('id')
  let resumeAt: number | undefined
  const failures: string[] = []
  for (const workspace of workspaces) {
    try {
      const adapter = await workspaceAdapterOf(workspace)
      let thread = (await db
        .from('operator_threads')
        .where({ conversation_id: conversationId, workspace_id: workspace.id })
        .first()) as Row | undefined
      if (!thread) {
        if (!routed(workspace, conversation)) continue
        thread = await openThread(workspace, adapter, conversation, card)
      }
      await enumerate(thread)
      await drain(workspace, adapter, thread)
      await refreshCard(workspace, adapter, thread, card)
    } catch (error) {
      if (error instanceof Deferred) {
        resumeAt = Math.min(resumeAt ?? Infinity, error.untilMs)
        continue
      }
      // One workspace failing must not hold up the others.
      failures.push(`workspace ${workspace.id}: ${error instanceof Error ? error.message : error}`)
    }
  }
  if (resumeAt !== undefined) {
    await queue.send(MIRROR_QUEUE, { conversationId }, { startAfter: new Date(resumeAt) })
  }
  // Thrown, the job is retried with backoff by the queue.
  if (failures.length) throw new Error(failures.join('; '))
}
