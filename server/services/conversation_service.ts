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
import { capped, countSql, pageOf, parseSort, runCount, type ListParams } from '#services/listing'
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
 * plus the contact. `c` is the conversation, `ct` its contact.
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
    'createdAt', ct.created_at, 'updatedAt', ct.updated_at))`

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

export default class ConversationService {
  /**
   * The conversation list, answered as JSON text built by PostgreSQL: the
   * hot path of every desk view, so Node neither hydrates models nor
   * serialises them. Every filter and sort maps onto an index (see the
   * messaging migration); `q` matches the conversation's search document
   * (contact name and message words, each query word also as a prefix).
   */
  async list(user: User, filters: ConversationFilters): Promise<string> {
    const teamIds = await visibleTeamIds(user)
    const query = db.from('conversations as c')
    if (teamIds !== null) query.whereIn('c.team_id', teamIds)
    if (filters.teamId) query.where('c.team_id', filters.teamId)
    if (filters.status) query.whereIn('c.status', filters.status.split(','))
    if (filters.owner) query.whereIn('c.owner', filters.owner.split(','))
    if (filters.priority) query.whereIn('c.priority', filters.priority.split(','))
    if (filters.channelId) query.where('c.channel_id', filters.channelId)
    if (filters.contactId) query.where('c.contact_id', filters.contactId)
    if (filters.assigneeId === 'none') query.whereNull('c.assignee_id')
    else if (filters.assigneeId === 'me') query.where('c.assignee_id', user.id)
    else if (filters.assigneeId) query.where('c.assignee_id', filters.assigneeId)
    if (filters.tag) query.whereRaw('c.tags @> ARRAY[?]::text[]', [filters.tag])
    if (filters.q) {
      // One condition: the exact form catches tokens the word split misses
      // (emails, URLs); the prefix form finds partial words.
      const prefixes = prefixQuery(filters.q)
      if (prefixes && coveredByPrefixes(filters.q)) {
        query.whereRaw("c.search_vector @@ to_tsquery('simple', ?)", [prefixes])
      } else if (prefixes) {
        query.whereRaw(
          "c.search_vector @@ (plainto_tsquery('simple', ?) || to_tsquery('simple', ?))",
          [filters.q, prefixes]
        )
      } else {
        query.whereRaw("c.search_vector @@ plainto_tsquery('simple', ?)", [filters.q])
      }
    }

    const { page, perPage, offset } = pageOf(filters)
    const [column, direction] = parseSort(filters.sort, '-lastMessageAt')
    const count = countSql(query)

    /*
    | A search with few matches reads them from the GIN index and sorts them;
    | left alone, PostgreSQL walks the activity index newest-first and tests
    | thousands of rows to find 25. Ordering by an expression no index
    | provides forces the first plan; the count (already capped) says when.
    */
    const known = filters.q ? await runCount(count) : undefined
    const sortsMatches = known !== undefined && !known.totalCapped
    const key = sortsMatches
      ? `(c.${column} + ${column === 'id' ? '0' : "interval '0 s'"})`
      : `c.${column}`
    const order = `${key} ${direction}${column === 'id' ? '' : `, c.id ${direction}`}`

    // The page's ids first (from the index alone where possible), then only
    // those rows are joined to their contact and turned into JSON.
    const pageIds = query
      .clone()
      .select('c.id', `c.${column} AS sort_key`)
      .orderByRaw(order)
      .limit(perPage)
      .offset(offset)
      .toSQL()
    const items = `SELECT coalesce(string_agg(${CONVERSATION_JSON}::text, ',' ORDER BY p.sort_key ${direction}, p.id ${direction}), '')
      FROM (${pageIds.sql}) p
      JOIN conversations c ON c.id = p.id
      JOIN contacts ct ON ct.id = c.contact_id`

    const result = known
      ? await db.rawQuery(`SELECT (${items}) AS items`, pageIds.bindings as never)
      : await db.rawQuery(`SELECT (${items}) AS items, (${count.sql}) AS n`, [
          ...pageIds.bindings,
          ...count.bindings,
        ] as never)
    const row = result.rows[0] as { items: string; n?: number }
    const meta = known ?? capped(Number(row.n))
    return `{"data":[${row.items}],"meta":${JSON.stringify({ ...meta, page, perPage })}}`
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
