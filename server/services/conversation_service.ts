import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Conversation, {
  type ConversationOwner,
  type ConversationStatus,
  type Priority,
} from '#models/conversation'
import Message from '#models/message'
import type User from '#models/user'
import clock from '#services/clock'
import type pg from 'pg'
import { capped, COUNT_CAP, pageOf, parseSort, type ListParams } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { scheduleDelivery } from '#messaging/outbox'
import { publish } from '#messaging/live'
import { ensureTags, requestMirror } from '#operators/desk'
import {
  assertAssignable,
  assertInTeam,
  assertTeamAllowed,
  invalidField,
} from '#services/team_scope'
import Channel from '#models/channel'
import { adapterOf } from '#messaging/channels'

export interface ConversationFilters extends ListParams {
  status?: string
  owner?: string
  priority?: string
  teamId?: number
  channelId?: number
  contactId?: number
  assigneeId?: number | string
  tag?: string
  q?: string
}

/** What an operator sends from the API: text, files, or both; or an internal note. */
export interface OperatorReply {
  text?: string
  internal?: boolean
  format?: 'plain' | 'markdown' | 'html'
  attachments?: Array<{ kind: 'photo' | 'document'; url: string; name?: string }>
  buttons?: Array<Array<{ text: string; data?: string; url?: string }>>
}

export interface ConversationChanges {
  teamId?: number
  subject?: string | null
  status?: ConversationStatus
  owner?: ConversationOwner
  priority?: Priority
  assigneeId?: number | null
  tags?: string[]
  snoozedUntil?: Date
}

/**
 * A conversation as the API shows it, the same fields as the model's JSON
 * plus the contact and, for the inbox's preview, the last message the
 * customer could see. `c` is the conversation, `ct` its contact, `lm` that
 * message as JSON (LAST_MESSAGE).
 */
const CONVERSATION_JSON = `json_build_object(
  'id', c.id, 'teamId', c.team_id, 'channelId', c.channel_id, 'contactId', c.contact_id,
  'subject', c.subject, 'status', c.status, 'owner', c.owner, 'assigneeId', c.assignee_id,
  'priority', c.priority, 'tags', c.tags, 'handoffReason', c.handoff_reason,
  'snoozedUntil', c.snoozed_until, 'resolvedAt', c.resolved_at, 'lastMessageAt', c.last_message_at,
  'lastCustomerMessageAt', c.last_customer_message_at,
  'lastOperatorMessageAt', c.last_operator_message_at, 'messageCount', c.message_count,
  'createdAt', c.created_at, 'updatedAt', c.updated_at,
  'contact', json_build_object(
    'id', ct.id, 'teamId', ct.team_id, 'name', ct.name, 'email', ct.email, 'phone', ct.phone,
    'locale', ct.locale, 'attributes', ct.attributes, 'unreachableAt', ct.unreachable_at,
    'createdAt', ct.created_at, 'updatedAt', ct.updated_at),
  'lastMessage', lm.item)`

/**
 * The newest message that is not a note nor deleted, its text cut to 200
 * characters: one step back along messages (conversation_id, id) per row.
 */
const LAST_MESSAGE = `LEFT JOIN LATERAL (
    SELECT json_build_object('id', m.id, 'direction', m.direction, 'authorKind', m.author_kind,
      'kind', m.kind, 'body', left(m.body, 200), 'attachmentCount', jsonb_array_length(m.attachments),
      'deliveryStatus', m.delivery_status, 'createdAt', m.created_at) AS item
    FROM messages m
    WHERE m.conversation_id = c.id AND m.deleted_at IS NULL AND m.direction <> 'internal'
    ORDER BY m.id DESC LIMIT 1) lm ON true`

/**
 * The page's items as JSON text, in the order of the ids given ($1). Each
 * conversation is checked again against the teams the caller sees ($2,
 * NULL for all), so one moved to another team since its id was found is
 * left out. The text never changes: as a prepared statement it is planned
 * once per connection, where planning it cost as much as running it.
 */
const PAGE_ITEMS = {
  name: 'conversation_list_items',
  text: `SELECT coalesce(string_agg(${CONVERSATION_JSON}::text, ',' ORDER BY p.n), '') AS items
    FROM unnest($1::int[]) WITH ORDINALITY AS p(id, n)
    JOIN conversations c ON c.id = p.id
    JOIN contacts ct ON ct.id = c.contact_id
    ${LAST_MESSAGE}
    WHERE $2::int[] IS NULL OR c.team_id = ANY($2::int[])`,
}

/** The columns CONVERSATION_SORTS name, snake-cased. */
const SORT_COLUMNS = new Set(['last_message_at', 'created_at', 'id'])

/**
 * `refund ord` → `refund:* & ord:*`: each word of three or more letters also
 * matches as a prefix, so partial names find their conversations. Only
 * letters and digits reach to_tsquery, so no input can break its syntax.
 */
export function prefixQuery(text: string): string | null {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8)
  if (!words.length) return null
  return words.map((w) => (w.length >= 3 ? `${w}:*` : w)).join(' & ')
}

/**
 * True when the prefix form alone finds everything the exact form would:
 * plain words (letters and digits only) that all made it into the prefix
 * query. Testing one form instead of two is a cheaper row check.
 */
function coveredByPrefixes(text: string): boolean {
  return /^[\p{L}\p{N}\s]*$/u.test(text) && (text.match(/[\p{L}\p{N}]+/gu) ?? []).length <= 8
}

/** The WHERE clause of a statement in the making, and the statement's $n parameters. */
class Conditions {
  readonly clauses: string[] = []
  readonly values: unknown[] = []

  param(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }

  add(clause: string) {
    this.clauses.push(clause)
  }

  /**
   * `column` is one of `values`. A single value is written as an equality
   * (unless `asArray`) so that PostgreSQL can walk the index made for it (a
   * team's, a status's) in sort order; an array hides that it is one value.
   */
  oneOf(column: string, values: readonly (string | number)[], type: string, asArray = false) {
    if (values.length === 1 && !asArray) {
      this.add(`${column} = ${this.param(values[0])}::${type}`)
    } else {
      this.add(`${column} = ANY(${this.param(values)}::${type}[])`)
    }
  }

  toString() {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : ''
  }
}

/**
 * A search that nothing but its team narrows: an operator's of one team,
 * or anyone's with `teamId`. Its matches are best found walking the team's
 * (team_id, last_message_at, id) index, as every row's search document is
 * read anyway. PostgreSQL prices an index by how well its first column
 * follows the table's order, which team_id hardly does, so it walks all
 * teams' conversations instead (for a large team, three times the rows).
 * Sorting by team_id first changes nothing with one team and leaves the
 * team's index the only one in sort order. The team condition is then an
 * array: as an equality, PostgreSQL would drop the constant team_id from
 * the sort again.
 */
function searchesOneTeam(teamIds: number[] | null, filters: ConversationFilters): boolean {
  const { q, teamId, page, perPage, sort, ...narrowing } = filters
  return (
    q !== undefined &&
    (teamId !== undefined || teamIds?.length === 1) &&
    Object.values(narrowing).every((value) => value === undefined || value === null)
  )
}

/**
 * The list's filters, and the caller's teams, as conditions on `c`; teams
 * as arrays when `pinTeam` (searchesOneTeam).
 */
function listConditions(
  user: User,
  teamIds: number[] | null,
  filters: ConversationFilters,
  pinTeam: boolean
) {
  const where = new Conditions()
  if (teamIds !== null) where.oneOf('c.team_id', teamIds, 'int', pinTeam)
  if (filters.teamId) where.oneOf('c.team_id', [filters.teamId], 'int', pinTeam)
  if (filters.status) where.oneOf('c.status', filters.status.split(','), 'conversation_status')
  if (filters.owner) where.oneOf('c.owner', filters.owner.split(','), 'conversation_owner')
  if (filters.priority) {
    where.oneOf('c.priority', filters.priority.split(','), 'conversation_priority')
  }
  if (filters.channelId) where.add(`c.channel_id = ${where.param(filters.channelId)}::int`)
  if (filters.contactId) where.add(`c.contact_id = ${where.param(filters.contactId)}::int`)
  if (filters.assigneeId === 'none') where.add('c.assignee_id IS NULL')
  else if (filters.assigneeId) {
    const assigneeId = filters.assigneeId === 'me' ? user.id : filters.assigneeId
    where.add(`c.assignee_id = ${where.param(assigneeId)}::int`)
  }
  if (filters.tag) where.add(`c.tags @> ARRAY[${where.param(filters.tag)}::text]`)
  if (filters.q) {
    // One condition: the exact form catches tokens the word split misses
    // (emails, URLs); the prefix form finds partial words.
    const prefixes = prefixQuery(filters.q)
    if (prefixes && coveredByPrefixes(filters.q)) {
      where.add(`c.search_vector @@ to_tsquery('simple', ${where.param(prefixes)})`)
    } else if (prefixes) {
      where.add(
        `c.search_vector @@ (plainto_tsquery('simple', ${where.param(filters.q)}) || ` +
          `to_tsquery('simple', ${where.param(prefixes)}))`
      )
    } else {
      where.add(`c.search_vector @@ plainto_tsquery('simple', ${where.param(filters.q)})`)
    }
  }
  return where
}

export default class ConversationService {
  /**
   * The conversation list, answered as JSON text built by PostgreSQL: the
   * hot path of every desk view, so Node neither hydrates models nor
   * serialises them. `q` matches the conversation's search document
   * (contact name and message words, each query word also as a prefix).
   *
   * Two statements on one connection:
   * 1. The ids of the first COUNT_CAP + 1 matches in sort order (more when
   *    the page lies beyond them): their number is the capped total, and
   *    the page is a slice of them, so the matches are found once for both.
   *    It is planned for its values each time, which matters: with few
   *    matches (a rare word, a small filter) PostgreSQL reads them from an
   *    index and sorts them; with many it walks an index in sort order
   *    (see the messaging and list-tuning migrations) and stops early.
   * 2. The page's items as JSON (PAGE_ITEMS, prepared).
   */
  async list(user: User, filters: ConversationFilters): Promise<string> {
    const teamIds = await visibleTeamIds(user)
    const { page, perPage, offset } = pageOf(filters)
    const answer = (items: string, n: number) =>
      `{"data":[${items}],"meta":${JSON.stringify({ ...capped(n), page, perPage })}}`
    if (teamIds !== null && !teamIds.length) return answer('', 0)

    const [column, direction] = parseSort(filters.sort, '-lastMessageAt')
    if (!SORT_COLUMNS.has(column)) throw new Error(`Cannot sort conversations by ${column}`)
    const pinTeam = column === 'last_message_at' && searchesOneTeam(teamIds, filters)
    const where = listConditions(user, teamIds, filters, pinTeam)
    // team_id in the direction the team's index yields it, read forwards or backwards.
    const order =
      (pinTeam ? `c.team_id ${direction === 'desc' ? 'ASC' : 'DESC'}, ` : '') +
      (column === 'id' ? `c.id ${direction}` : `c.${column} ${direction}, c.id ${direction}`)
    const limit = where.param(Math.max(COUNT_CAP + 1, offset + perPage))
    const from = where.param(offset + 1)
    const to = where.param(offset + perPage)
    // An aggregate over an ordered subquery and nothing else takes its rows in that order.
    const matches = `SELECT count(*)::int AS n, (array_agg(m.id))[${from}:${to}] AS ids
      FROM (SELECT c.id FROM conversations c ${where} ORDER BY ${order} LIMIT ${limit}) m`

    const knex = db.connection().getWriteClient()
    const connection = (await knex.client.acquireConnection()) as pg.ClientBase
    try {
      const found = await connection.query<{ n: number; ids: number[] | null }>(
        matches,
        where.values
      )
      const { n, ids } = found.rows[0]
      if (!ids?.length) return answer('', n)
      const items = await connection.query<{ items: string }>({
        ...PAGE_ITEMS,
        values: [ids, teamIds],
      })
      return answer(items.rows[0].items, n)
    } finally {
      await knex.client.releaseConnection(connection)
    }
  }

  async create(
    user: User,
    input: {
      teamId: number
      contactId: number
      channelId?: number
      subject?: string
      priority?: Priority
      tags?: string[]
      assigneeId?: number | null
    }
  ) {
    await assertTeamAllowed(user, input.teamId)
    await assertInTeam('contacts', input.contactId, input.teamId, 'contactId')
    if (input.channelId) await assertInTeam('channels', input.channelId, input.teamId, 'channelId')
    if (input.assigneeId) await assertAssignable(input.assigneeId, input.teamId)
    const created = await db.transaction(async (trx) => {
      await ensureTags(trx, input.teamId, input.tags ?? [])
      const conversation = await Conversation.create(
        {
          teamId: input.teamId,
          contactId: input.contactId,
          channelId: input.channelId ?? null,
          subject: input.subject ?? null,
          priority: input.priority ?? 'normal',
          tags: input.tags ?? [],
          assigneeId: input.assigneeId ?? null,
          owner: input.assigneeId ? 'human' : 'bot',
          lastMessageAt: clock.now(),
        },
        { client: trx }
      )
      // Read back the columns the database defaults.
      return conversation.refresh()
    })
    publish(created.teamId, 'conversation.updated', { conversationId: created.id })
    return created
  }

  async update(user: User, conversation: Conversation, changes: ConversationChanges) {
    const teamId = changes.teamId ?? conversation.teamId
    if (changes.teamId !== undefined && changes.teamId !== conversation.teamId) {
      await assertTeamAllowed(user, changes.teamId)
      // A transfer drops an assignee who is not in the new team.
      if (conversation.assigneeId && changes.assigneeId === undefined) {
        const stays = await db
          .from('team_memberships')
          .where({ team_id: changes.teamId, user_id: conversation.assigneeId })
          .first()
        if (!stays) changes.assigneeId = null
      }
    }
    if (changes.assigneeId) await assertAssignable(changes.assigneeId, teamId)

    const previousTeamId = conversation.teamId
    await db.transaction(async (trx) => {
      conversation.useTransaction(trx)
      if (changes.teamId !== undefined) conversation.teamId = changes.teamId
      if (changes.subject !== undefined) conversation.subject = changes.subject
      if (changes.priority !== undefined) conversation.priority = changes.priority
      if (changes.owner !== undefined) conversation.owner = changes.owner
      if (changes.assigneeId !== undefined) {
        conversation.assigneeId = changes.assigneeId
        // Assigning a person hands the conversation to people.
        if (changes.assigneeId && conversation.owner === 'bot' && changes.owner === undefined) {
          conversation.owner = 'human'
        }
      }
      if (changes.tags !== undefined) {
        await ensureTags(trx, teamId, changes.tags)
        conversation.tags = changes.tags
      }
      if (changes.status !== undefined)
        this.applyStatus(conversation, changes.status, changes.snoozedUntil)
      await conversation.save()
      await requestMirror(trx, conversation)
    })
    publish(conversation.teamId, 'conversation.updated', { conversationId: conversation.id })
    // A transfer also tells the team it left, so its panels drop it.
    if (previousTeamId !== conversation.teamId) {
      publish(previousTeamId, 'conversation.updated', { conversationId: conversation.id })
    }
    return conversation
  }

  async addTags(conversation: Conversation, tags: string[]) {
    const merged = [...new Set([...conversation.tags, ...tags])]
    await db.transaction(async (trx) => {
      await ensureTags(trx, conversation.teamId, tags)
      conversation.useTransaction(trx)
      conversation.tags = merged
      await conversation.save()
      await requestMirror(trx, conversation)
    })
    publish(conversation.teamId, 'conversation.updated', { conversationId: conversation.id })
    return conversation
  }

  async removeTag(conversation: Conversation, tag: string) {
    await db.transaction(async (trx) => {
      conversation.useTransaction(trx)
      conversation.tags = conversation.tags.filter((t) => t !== tag)
      await conversation.save()
      await requestMirror(trx, conversation)
    })
    publish(conversation.teamId, 'conversation.updated', { conversationId: conversation.id })
    return conversation
  }

  /**
   * Records an operator's reply or internal note. A reply makes the
   * conversation theirs (owner `human`); the delivery itself is the
   * outbox's job, so the message starts `pending`.
   */
  async addOperatorMessage(user: User, conversation: Conversation, reply: OperatorReply) {
    const internal = reply.internal ?? false
    await this.assertSendable(conversation, reply)
    const attachments = internal ? [] : (reply.attachments ?? [])
    const metadata = {
      ...(reply.format && reply.format !== 'plain' ? { format: reply.format } : {}),
      ...(reply.buttons ? { buttons: reply.buttons } : {}),
    }
    const message = await db.transaction(async (trx) => {
      const now = clock.now()
      const row = await Message.create(
        {
          conversationId: conversation.id,
          channelId: conversation.channelId,
          direction: internal ? 'internal' : 'outbound',
          authorKind: 'operator',
          authorUserId: user.id,
          kind: internal ? 'note' : reply.text ? 'text' : attachments[0].kind,
          body: reply.text ?? null,
          attachments,
          metadata,
          deliveryStatus: internal || !conversation.channelId ? null : 'pending',
        },
        { client: trx }
      )
      conversation.useTransaction(trx)
      conversation.messageCount += 1
      conversation.lastMessageAt = now
      if (!internal) {
        conversation.lastOperatorMessageAt = now
        conversation.owner = 'human'
        if (!conversation.assigneeId) conversation.assigneeId = user.id
        if (conversation.status === 'resolved') this.applyStatus(conversation, 'open')
      }
      await conversation.save()
      // The outbox: the reply and its delivery job commit together.
      if (!internal && conversation.channelId) await scheduleDelivery(conversation.id, trx)
      await requestMirror(trx, conversation)
      return row
    })
    publish(conversation.teamId, 'message.created', {
      conversationId: conversation.id,
      messageId: message.id,
    })
    return message
  }

  /** A note is text only; a reply carries only what its channel can send. */
  protected async assertSendable(conversation: Conversation, reply: OperatorReply) {
    if (reply.internal) {
      for (const field of ['attachments', 'buttons', 'format'] as const) {
        if (reply[field] !== undefined) {
          throw invalidField(field, 'internal', `An internal note cannot have ${field}`)
        }
      }
      if (!reply.text) throw invalidField('text', 'required', 'An internal note needs text')
      return
    }
    const channel = conversation.channelId ? await Channel.find(conversation.channelId) : null
    if (!channel) return
    const { capabilities } = adapterOf(channel)
    for (const [index, attachment] of (reply.attachments ?? []).entries()) {
      if (!capabilities.media.includes(attachment.kind)) {
        throw invalidField(
          `attachments.${index}.kind`,
          'capability',
          `This ${channel.platform} channel cannot send a ${attachment.kind}`
        )
      }
    }
    if (reply.buttons && !capabilities.buttons) {
      throw invalidField('buttons', 'capability', `This ${channel.platform} channel has no buttons`)
    }
  }

  protected applyStatus(
    conversation: Conversation,
    status: ConversationStatus,
    snoozedUntil?: Date
  ) {
    conversation.status = status
    conversation.resolvedAt =
      status === 'resolved' ? (conversation.resolvedAt ?? clock.now()) : null
    conversation.snoozedUntil =
      status === 'snoozed' && snoozedUntil ? DateTime.fromJSDate(snoozedUntil) : null
  }
}
