/*
| The "process conversation" job: decides what happens after a customer
| message. Until the rules engine and the assistant take over, it knows the
| customer commands (/start, /help, /human, /reset) and the team's automatic
| acknowledgement. Every reply it queues carries the message's key, so a job
| that runs twice answers once.
*/
import db from '@adonisjs/lucid/services/db'
import Channel from '#models/channel'
import clock from '#services/clock'
import type { TeamSettings } from '#models/team'
import { adapterOf } from '#messaging/channels'
import { queueReply } from '#messaging/outbox'
import { publish, type LiveEvent } from '#messaging/live'
import { requestMirror } from '#operators/desk'
import { handOff } from '#messaging/handoff'
import queue, { ASSIST_QUEUE } from '#messaging/queue'

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

    // Each command's answer: the team's own text where it has one.
    const answers: Record<string, string> = {
      start: settings.welcomeText || DEFAULT_TEXTS.welcome,
      help: settings.helpText || DEFAULT_TEXTS.help,
      human: DEFAULT_TEXTS.human,
      reset: DEFAULT_TEXTS.reset,
    }
    if (command && command in answers) {
      if (command === 'human') {
        const note = await handOff(
          trx,
          { id: conversation.id, teamId: conversation.team_id, channelId: conversation.channel_id },
          'the customer asked for a person (/human)',
          key('handoff-note')
        )
        if (note) {
          events.push(['conversation.updated', ids])
          events.push(['message.created', { ...ids, messageId: note }])
        }
      }
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

    // The assistant answers in its own job: a model call must not hold this transaction.
    if (conversation.owner === 'bot' && message.kind !== 'callback' && message.body) {
      await queue.send(ASSIST_QUEUE, { conversationId: conversation.id }, { trx })
    }

    // The automatic acknowledgement: once per conversation, while the bot owns it.
    if (settings.autoReplyText && conversation.owner === 'bot' && message.kind !== 'callback') {
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
