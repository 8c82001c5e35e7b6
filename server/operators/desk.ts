/*
| The desk: what an operator does to a conversation, wherever they do it (a
| Slack thread, a Telegram topic, a card button). Every operation runs in
| the caller's transaction with the conversation row locked, so two
| operators acting at once are applied one after the other: a claim is
| atomic and the loser is told who won (DESIGN "Ownership").
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#services/clock'
import queue, { MIRROR_QUEUE, TIMER_QUEUE, transactionDb } from '#messaging/queue'
import { scheduleDelivery } from '#messaging/outbox'
import type { LiveEvent } from '#messaging/live'
import { helpText, type OperatorCommand } from '#operators/commands'

type Row = Record<string, any>

/** Who acts; `id` null for Switchboard itself (a timer falling due). */
export interface DeskUser {
  id: number | null
  name: string
}

/** One operator's turn on one locked conversation; collects what to tell afterwards. */
export interface DeskTurn {
  trx: TransactionClientContract
  conversation: Row
  user: DeskUser
  /** Live updates to publish after the commit. */
  events: Array<[LiveEvent, Record<string, unknown>]>
  /** What to tell the operator who acted (a command's answer or refusal). */
  notices: string[]
}

export function displayName(user: { full_name?: string | null; email: string } | Row) {
  return user.full_name || user.email.split('@')[0]
}

/** Locks a conversation for a turn; undefined when it is gone. */
export async function lockConversation(trx: TransactionClientContract, conversationId: number) {
  return (await trx.from('conversations').where('id', conversationId).forUpdate().first()) as
    Row | undefined
}

/** Tags used on a conversation join the team's catalogue, in the same transaction. */
export async function ensureTags(trx: TransactionClientContract, teamId: number, tags: string[]) {
  if (!tags.length) return
  await trx
    .insertQuery()
    .table('tags')
    .multiInsert(tags.map((name) => ({ team_id: teamId, name })))
    .onConflict(['team_id', 'name'])
    .ignore()
}

/** Queues a pass over the conversation's workspace threads, if its team has any. */
export async function requestMirror(
  trx: TransactionClientContract,
  conversation: { id: number; teamId: number },
  startAfter?: Date
) {
  const workspace = await trx
    .from('operator_workspaces')
    .where({ team_id: conversation.teamId, enabled: true })
    .select('id')
    .first()
  if (workspace) {
    await queue.send(MIRROR_QUEUE, { conversationId: conversation.id }, { trx, startAfter })
  }
}

/** Inserts a message once per idempotency key; undefined when it exists already. */
async function insertMessage(trx: TransactionClientContract, values: Record<string, unknown>) {
  const insert = trx.insertQuery().table('messages').insert(values).toSQL()
  const result = await trx.rawQuery(
    `${insert.sql} ON CONFLICT (conversation_id, idempotency_key)
       WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
    insert.bindings as never
  )
  return result.rows[0]?.id as number | undefined
}

/** Sets columns of the turn's conversation; the turn then holds the updated row. */
export async function change(turn: DeskTurn, values: Record<string, unknown>) {
  const now = clock.now().toJSDate()
  const [row] = await turn.trx
    .from('conversations')
    .where('id', turn.conversation.id)
    .update({ ...values, updated_at: now })
    .returning('*')
  turn.conversation = row
  turn.events.push(['conversation.updated', { conversationId: row.id }])
}

/** An internal message: a note by the operator, or a line of the conversation's history. */
async function internal(turn: DeskTurn, kind: 'note' | 'event', body: string, key?: string) {
  const now = clock.now().toJSDate()
  const id = await insertMessage(turn.trx, {
    conversation_id: turn.conversation.id,
    channel_id: turn.conversation.channel_id,
    direction: 'internal',
    author_kind: kind === 'note' ? 'operator' : 'system',
    author_user_id: turn.user.id ?? null,
    kind,
    body,
    idempotency_key: key ?? null,
    created_at: now,
    updated_at: now,
  })
  if (!id) return undefined
  await turn.trx
    .from('conversations')
    .where('id', turn.conversation.id)
    .update({ message_count: db.raw('message_count + 1'), last_message_at: now })
  turn.events.push(['message.created', { conversationId: turn.conversation.id, messageId: id }])
  return id
}

/** Where an operator typed a reply: recorded as already shown there, so it is not posted back. */
export interface ReplyOrigin {
  threadId: number
  workspaceId: number
  externalId: string
}

/**
 * A reply to the customer as this operator. The conversation becomes
 * theirs (owner `human`, assignee if none); the outbox delivers it.
 * `key` makes a redelivered platform event a no-op.
 */
export async function reply(turn: DeskTurn, text: string, key?: string, origin?: ReplyOrigin) {
  const c = turn.conversation
  const now = clock.now().toJSDate()
  const reopen = c.status === 'resolved' || c.status === 'snoozed'
  // Only what changes is set: triggers watching owner or status then stay quiet.
  const sets = [
    'message_count = message_count + 1',
    'last_message_at = $7',
    'last_operator_message_at = $7',
    'updated_at = $7',
    ...(c.owner === 'human' ? [] : ["owner = 'human'"]),
    ...(c.assignee_id || turn.user.id === null ? [] : ['assignee_id = $3']),
    ...(reopen ? ["status = 'open'", 'resolved_at = NULL', 'snoozed_until = NULL'] : []),
  ]
  // One statement: the message, the conversation's counters and owner, and the
  // thread's record of it; nothing changes when the key was seen before.
  const sql = `WITH m AS (
      INSERT INTO messages (conversation_id, channel_id, direction, author_kind, author_user_id,
        kind, body, delivery_status, idempotency_key, created_at, updated_at)
      VALUES ($1, $2, 'outbound', 'operator', $3, 'text', $4, $5, $6, $7, $7)
      ON CONFLICT (conversation_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING id),
    c AS (
      UPDATE conversations SET ${sets.join(', ')}
      WHERE id = $1 AND EXISTS (SELECT 1 FROM m)
      RETURNING *)${
        origin
          ? `,
    p AS (
      INSERT INTO operator_posts (thread_id, workspace_id, conversation_id, message_id,
        external_id, status)
      SELECT $8, $9, $1, m.id, $10, 'sent' FROM m)`
          : ''
      }
    SELECT m.id AS reply_message_id, c.* FROM m LEFT JOIN c ON true`
  const values: unknown[] = [
    c.id,
    c.channel_id,
    turn.user.id,
    text,
    c.channel_id ? 'pending' : null,
    key ?? null,
    now,
    ...(origin ? [origin.threadId, origin.workspaceId, origin.externalId] : []),
  ]
  const executor = await transactionDb(turn.trx)
  const { rows } = await executor.executeSql(sql, values)
  if (!rows.length) return undefined
  const { reply_message_id: id, ...conversation } = rows[0]
  if (conversation.id !== null) turn.conversation = conversation
  turn.events.push(['conversation.updated', { conversationId: c.id }])
  if (c.channel_id) await scheduleDelivery(c.id, turn.trx)
  turn.events.push(['message.created', { conversationId: c.id, messageId: Number(id) }])
  return Number(id)
}

/** Takes the conversation unless someone else holds it; false (and who) when they do. */
export async function claim(turn: DeskTurn): Promise<boolean> {
  const c = turn.conversation
  if (c.assignee_id && c.assignee_id !== turn.user.id) {
    const holder = await turn.trx.from('users').where('id', c.assignee_id).first()
    turn.notices.push(`Already claimed by ${holder ? displayName(holder) : 'someone else'}.`)
    return false
  }
  if (c.assignee_id === turn.user.id && c.owner === 'human') {
    turn.notices.push('This conversation is already yours.')
    return true
  }
  await change(turn, { owner: 'human', assignee_id: turn.user.id })
  await internal(turn, 'event', `${turn.user.name} claimed the conversation.`)
  return true
}

export async function resolve(turn: DeskTurn, message?: string) {
  if (message) await reply(turn, message)
  if (turn.conversation.status === 'resolved') {
    turn.notices.push('This conversation is already resolved.')
    return
  }
  await change(turn, {
    status: 'resolved',
    resolved_at: clock.now().toJSDate(),
    snoozed_until: null,
    close_at: null,
    close_message: null,
    close_by_id: null,
  })
  await internal(turn, 'event', `${turn.user.name} resolved the conversation.`)
}

export async function handBack(turn: DeskTurn) {
  if (turn.conversation.owner === 'bot') {
    turn.notices.push('The assistant already owns this conversation.')
    return
  }
  await change(turn, { owner: 'bot', assignee_id: null })
  await internal(turn, 'event', `${turn.user.name} handed the conversation back to the assistant.`)
}

/** A team member named by `@handle` (email's local part or name) or by email. */
async function memberNamed(turn: DeskTurn, handle: string) {
  const needle = handle.toLowerCase()
  const members = (await turn.trx
    .from('team_memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', turn.conversation.team_id)
    .whereNull('u.disabled_at')
    .select('u.id', 'u.email', 'u.full_name')) as Row[]
  const matches = members.filter(
    (u) =>
      u.email.toLowerCase() === needle ||
      u.email.toLowerCase().split('@')[0] === needle ||
      (u.full_name ?? '').toLowerCase().replace(/\s+/g, '') === needle.replace(/\s+/g, '')
  )
  return matches.length === 1 ? matches[0] : undefined
}

function formatDuration(ms: number) {
  const minutes = Math.round(ms / 60_000)
  if (minutes % 1440 === 0) return `${minutes / 1440} d`
  if (minutes % 60 === 0) return `${minutes / 60} h`
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`
}

async function contactCard(turn: DeskTurn) {
  const c = turn.conversation
  const contact = (await turn.trx.from('contacts').where('id', c.contact_id).first()) as Row
  const identities = (await turn.trx
    .from('contact_identities')
    .where('contact_id', c.contact_id)
    .select('platform', 'external_id', 'username')) as Row[]
  const count = await turn.trx
    .from('conversations')
    .where('contact_id', c.contact_id)
    .count('* as n')
    .first()
  return [
    `Contact: ${contact.name ?? 'unnamed'}`,
    contact.email ? `Email: ${contact.email}` : undefined,
    contact.phone ? `Phone: ${contact.phone}` : undefined,
    ...identities.map((i) => `${i.platform}: ${i.username ? `@${i.username}` : i.external_id}`),
    `Conversations: ${Number(count?.n ?? 0)}`,
    contact.unreachable_at ? 'Unreachable: the contact blocked the bot.' : undefined,
  ]
    .filter(Boolean)
    .join('\n')
}

async function history(turn: DeskTurn) {
  const rows = (await turn.trx
    .from('messages as m')
    .leftJoin('users as u', 'u.id', 'm.author_user_id')
    .where('m.conversation_id', turn.conversation.id)
    .whereNull('m.deleted_at')
    .orderBy('m.id', 'desc')
    .limit(10)
    .select(
      'm.author_kind',
      'm.direction',
      'm.kind',
      'm.body',
      'm.created_at',
      'u.full_name',
      'u.email'
    )) as Row[]
  if (!rows.length) return 'No messages yet.'
  return rows
    .reverse()
    .map((m) => {
      const who =
        m.author_kind === 'contact'
          ? 'Customer'
          : m.author_kind === 'operator'
            ? displayName(m)
            : m.author_kind === 'bot'
              ? 'Assistant'
              : 'System'
      const at = new Date(m.created_at).toISOString().slice(0, 16).replace('T', ' ')
      const text = (m.body ?? `[${m.kind}]`).replace(/\s+/g, ' ').slice(0, 200)
      return `${at} ${who}${m.direction === 'internal' ? ' (internal)' : ''}: ${text}`
    })
    .join('\n')
}

/** Runs one parsed command; the answers go to turn.notices. */
export async function runCommand(turn: DeskTurn, command: OperatorCommand) {
  const c = () => turn.conversation
  const now = clock.nowMs()
  switch (command.name) {
    case 'assign': {
      const target =
        command.target === 'me'
          ? { id: turn.user.id, name: turn.user.name }
          : await memberNamed(turn, command.target.handle).then(
              (u) => u && { id: u.id as number, name: displayName(u) }
            )
      if (!target) {
        turn.notices.push(
          `No single active member of this team is called ${
            command.target === 'me' ? 'me' : `@${command.target.handle}`
          }.`
        )
        return
      }
      await change(turn, { owner: 'human', assignee_id: target.id })
      await internal(
        turn,
        'event',
        `${turn.user.name} assigned the conversation to ${target.name}.`
      )
      return
    }
    case 'unassign':
      if (!c().assignee_id) {
        turn.notices.push('Nobody is assigned.')
        return
      }
      // Still with people, waiting for someone to take it.
      await change(turn, { assignee_id: null, owner: c().owner === 'human' ? 'queued' : c().owner })
      await internal(turn, 'event', `${turn.user.name} unassigned the conversation.`)
      return
    case 'close': {
      if (command.afterMs === undefined) return resolve(turn, command.message)
      const due = new Date(now + command.afterMs)
      await change(turn, {
        close_at: due,
        close_message: command.message ?? null,
        close_by_id: turn.user.id,
      })
      await queue.send(
        TIMER_QUEUE,
        { conversationId: c().id, kind: 'close', due: due.toISOString() },
        { trx: turn.trx, startAfter: due }
      )
      await internal(
        turn,
        'event',
        `${turn.user.name} will close the conversation in ${formatDuration(command.afterMs)} unless the customer writes.`
      )
      return
    }
    case 'reopen':
      if (c().status !== 'resolved') {
        turn.notices.push('This conversation is not resolved.')
        return
      }
      await change(turn, { status: 'open', resolved_at: null })
      await internal(turn, 'event', `${turn.user.name} reopened the conversation.`)
      return
    case 'snooze': {
      const until = new Date(now + command.forMs)
      await change(turn, { status: 'snoozed', snoozed_until: until })
      await queue.send(
        TIMER_QUEUE,
        { conversationId: c().id, kind: 'wake', due: until.toISOString() },
        { trx: turn.trx, startAfter: until }
      )
      await internal(
        turn,
        'event',
        `${turn.user.name} snoozed the conversation for ${formatDuration(command.forMs)}.`
      )
      return
    }
    case 'tag': {
      await ensureTags(turn.trx, c().team_id, command.tags)
      const tags = [...new Set([...(c().tags as string[]), ...command.tags])]
      await change(turn, { tags })
      return
    }
    case 'untag': {
      const drop = new Set(command.tags)
      await change(turn, { tags: (c().tags as string[]).filter((t) => !drop.has(t)) })
      return
    }
    case 'note':
      await internal(turn, 'note', command.text)
      return
    case 'bot':
      return handBack(turn)
    case 'contact':
      turn.notices.push(await contactCard(turn))
      return
    case 'history':
      turn.notices.push(await history(turn))
      return
    case 'help':
      turn.notices.push(helpText())
      return
  }
}
