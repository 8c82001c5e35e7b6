/*
| The "process conversation" job: decides what happens after a customer
| message. The channel's own commands (/help, /reset) answer here; the
| message is then an event for the team's rules (server/automation), which
| hold the welcome, the hand-off on /human and the assistant. Every reply
| carries the message's key, so a job that runs twice answers once.
*/
import db from '@adonisjs/lucid/services/db'
import Channel from '#models/channel'
import clock from '#services/clock'
import type { TeamSettings } from '#models/team'
import { adapterOf } from '#messaging/channels'
import { queueReply } from '#messaging/outbox'
import { publish, type LiveEvent } from '#messaging/live'
import { requestMirror } from '#operators/desk'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { runRules, teamRules } from '#automation/engine'
import type { RuleEvent } from '#automation/types'

export const DEFAULT_TEXTS = {
  welcome: 'Hello! Ask us anything here and we will answer as soon as we can.',
  help: 'Write your question in plain words. Commands: /human to talk to a person, /reset to start over.',
  human: 'Thanks, a person will take over this conversation shortly.',
  reset: 'Done: this conversation starts afresh.',
}

/** The customer commands a channel registers with its platform (Telegram's menu). */
export const CUSTOMER_COMMANDS = [
  { command: 'start', description: 'Start the conversation' },
  { command: 'help', description: 'How this chat works' },
  { command: 'human', description: 'Talk to a person' },
  { command: 'reset', description: 'Forget this conversation and start over' },
]

type Row = Record<string, any>

export async function processMessage(messageId: number): Promise<void> {
  const message = (await db.from('messages').where('id', messageId).first()) as Row | null
  if (!message || message.direction !== 'inbound') return

  if (message.kind === 'callback') {
    const voted = await recordVote(message)
    await answerCallback(message, voted ? 'Thanks for your feedback!' : undefined)
  }

  // Live updates go out after the commit, never for work that rolled back.
  const events: Array<[LiveEvent, Record<string, unknown>]> = []
  let teamId: number | undefined
  await db.transaction(async (trx) => {
    const conversation = (await trx
      .from('conversations')
      .where('id', message.conversation_id)
      .forUpdate()
      .first()) as Row | null
    if (!conversation) return
    teamId = conversation.team_id
    // The workspaces' threads show the message and whatever this job adds (one pass, after commit).
    await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
    const ids = { conversationId: conversation.id }
    const target = {
      id: conversation.id as number,
      channelId: conversation.channel_id as number | null,
    }
    const team = (await trx.from('teams').where('id', conversation.team_id).first()) as Row
    const settings = (team.settings ?? {}) as TeamSettings
    const key = (what: string) => `${what}:${message.id}`
    const command = (message.metadata?.command?.name as string | undefined)?.toLowerCase()

    // /help and /reset belong to the channel; everything else the customer
    // says is an event for the rules (welcome, /human, the assistant are rules).
    const answers: Record<string, string> = {
      help: settings.helpText || DEFAULT_TEXTS.help,
      reset: DEFAULT_TEXTS.reset,
    }
    if (command && command in answers) {
      if (command === 'reset') {
        await trx
          .from('conversations')
          .where('id', conversation.id)
          .update({ memory_reset_at: clock.now().toJSDate() })
      }
      const replyId = await queueReply(trx, target, {
        text: answers[command],
        authorKind: 'system',
        idempotencyKey: key(command),
      })
      events.push(['message.created', { ...ids, messageId: replyId }])
      return
    }

    const rows = { team, conversation, message }
    for (const event of await customerEvents(trx, team, conversation, message)) {
      const run = await runRules(trx, event, rows)
      events.push(...run.events)
    }
    const current = rows.conversation

    // The automatic acknowledgement: once per conversation, while the bot owns it.
    if (settings.autoReplyText && current.owner === 'bot' && message.kind !== 'callback') {
      const replied = await trx
        .from('messages')
        .where({ conversation_id: conversation.id, direction: 'outbound' })
        .select('id')
        .first()
      if (!replied) {
        const replyId = await queueReply(trx, target, {
          text: settings.autoReplyText,
          authorKind: 'bot',
          idempotencyKey: `autoreply:${conversation.id}`,
        })
        events.push(['message.created', { ...ids, messageId: replyId }])
      }
    }
  })
  for (const [event, data] of events) publish(teamId!, event, data)
}

/**
 * The rule events a customer message is: always `message.received`; the
 * Nth customer message (`message.count`); and for a conversation's first
 * message, `conversation.created` and the contact's `contact.status`
 * (new, or returning when they had a conversation before).
 */
export async function customerEvents(
  trx: TransactionClientContract,
  team: Row,
  conversation: Row,
  message: Row
): Promise<RuleEvent[]> {
  const base = {
    teamId: conversation.team_id as number,
    conversationId: conversation.id as number,
    chain: [],
  }
  const received: RuleEvent = {
    ...base,
    type: 'message.received',
    key: `msg:${message.id}`,
    data: { messageId: message.id },
  }
  // Counting costs a query per message: only when some rule listens for what it tells.
  const rules = await teamRules(trx, team as never)
  const listens = (type: RuleEvent['type']) => (rules.byTrigger.get(type)?.length ?? 0) > 0
  if (!listens('message.count') && !listens('conversation.created') && !listens('contact.status')) {
    return [received]
  }
  const count = await trx
    .from('messages')
    .where({ conversation_id: conversation.id, direction: 'inbound' })
    .where('id', '<=', message.id)
    .count('* as n')
    .first()
  const nth = Number(count?.n ?? 1)
  const events: RuleEvent[] = []
  if (nth === 1) {
    events.push({
      ...base,
      type: 'conversation.created',
      key: `created:${conversation.id}`,
      data: {},
    })
  }
  if (nth === 1 && listens('contact.status')) {
    const earlier = await trx
      .from('conversations')
      .where('contact_id', conversation.contact_id)
      .where('id', '<', conversation.id)
      .select('id')
      .first()
    events.push({
      ...base,
      type: 'contact.status',
      key: `contact:${conversation.id}`,
      data: { status: earlier ? 'returning' : 'new', contactId: conversation.contact_id },
    })
  }
  events.push({ ...base, type: 'message.count', key: `count:${message.id}`, data: { count: nth } })
  events.push(received)
  return events
}

/** A 👍/👎 under an assistant's answer: one vote per answer, the last one counts. */
async function recordVote(message: Row): Promise<boolean> {
  const match = /^vote:(up|down):(\d{1,18})$/.exec(message.body ?? '')
  if (!match) return false
  const answer = await db
    .from('messages')
    .where({ conversation_id: message.conversation_id, idempotency_key: `assistant:${match[2]}` })
    .first()
  if (!answer) return false
  const conversation = await db.from('conversations').where('id', message.conversation_id).first()
  const now = clock.now().toJSDate()
  await db.rawQuery(
    `INSERT INTO answer_votes (message_id, conversation_id, team_id, vote, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (message_id) DO UPDATE SET vote = EXCLUDED.vote, updated_at = EXCLUDED.updated_at`,
    [answer.id, message.conversation_id, conversation.team_id, match[1] === 'up' ? 1 : -1, now, now]
  )
  return true
}

/** Stops the button's spinner on the customer's screen; safe to repeat. */
async function answerCallback(message: Row, text?: string) {
  const callbackId = message.metadata?.callbackId as string | undefined
  if (!callbackId || !message.channel_id) return
  const channel = await Channel.find(message.channel_id)
  const adapter = channel ? adapterOf(channel) : undefined
  // An expired callback cannot be answered; nothing is lost by skipping it.
  await adapter?.answerCallback?.(callbackId, text).catch(() => {})
}
