/*
| What a rule does. Each action runs in the engine's transaction on the
| locked conversation, through the same desk operations operators use, and
| is idempotent under a job's retry: messages and notes carry a key made of
| the rule, the event and the action's place, and state changes converge.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#services/clock'
import { queueReply } from '#messaging/outbox'
import { handOff } from '#messaging/handoff'
import queue, { ASSIST_QUEUE, RULE_WEBHOOK_QUEUE } from '#messaging/queue'
import { change, displayName, requestMirror, runCommand, type DeskTurn } from '#operators/desk'
import { parseDuration } from '#operators/commands'
import { render, type FactRows } from '#automation/facts'
import type { Facts } from '#automation/conditions'
import type { Action, RuleEvent } from '#automation/types'

type Row = Record<string, any>

export interface ActionContext {
  trx: TransactionClientContract
  rule: Row
  event: RuleEvent
  rows: FactRows
  facts: Facts
  /** Present when the event concerns a conversation (locked by the engine). */
  turn?: DeskTurn
  /** Makes each action's writes unique to this event and this place in the rule. */
  key: (index: number) => string
}

export class ActionSkipped extends Error {}

function needTurn(ctx: ActionContext): DeskTurn {
  if (!ctx.turn) throw new ActionSkipped('no conversation: this event concerns none')
  return ctx.turn
}

/** The desk's answer when it refused ("already resolved", "nobody is assigned"). */
function noticeOf(turn: DeskTurn, before: number) {
  return turn.notices.slice(before).join(' ') || undefined
}

async function members(trx: TransactionClientContract, teamId: number) {
  return (await trx
    .from('team_memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.team_id', teamId)
    .whereNull('u.disabled_at')
    .orderBy('u.id')
    .select('u.id', 'u.email', 'u.full_name')) as Row[]
}

async function pickOperator(ctx: ActionContext, action: Action, teamId: number): Promise<Row> {
  const candidates = await members(ctx.trx, teamId)
  if (action.userId) {
    const user = candidates.find((u) => u.id === action.userId)
    if (!user) throw new Error(`user ${action.userId} is not an active member of team ${teamId}`)
    return user
  }
  if (!candidates.length) throw new Error(`team ${teamId} has no active members`)
  if (action.strategy === 'least_busy') {
    const loads = (await ctx.trx
      .from('conversations')
      .whereIn(
        'assignee_id',
        candidates.map((u) => u.id)
      )
      .whereIn('status', ['open', 'pending'])
      .groupBy('assignee_id')
      .select('assignee_id')
      .count('* as n')) as Row[]
    const load = new Map(loads.map((r) => [r.assignee_id as number, Number(r.n)]))
    return candidates.reduce((best, u) =>
      (load.get(u.id) ?? 0) < (load.get(best.id) ?? 0) ? u : best
    )
  }
  // Round robin: the member after the one this rule picked last, in id order.
  const state = await ctx.trx
    .from('rule_assignments')
    .where('rule_id', ctx.rule.id)
    .forUpdate()
    .first()
  const last = state?.last_user_id as number | undefined
  const next = candidates.find((u) => last === undefined || u.id > last) ?? candidates[0]
  await ctx.trx.rawQuery(
    `INSERT INTO rule_assignments (rule_id, last_user_id) VALUES (?, ?)
     ON CONFLICT (rule_id) DO UPDATE SET last_user_id = EXCLUDED.last_user_id`,
    [ctx.rule.id, next.id]
  )
  return next
}

/** Runs one action; answers what happened in a few words. */
export async function runAction(
  ctx: ActionContext,
  action: Action,
  index: number
): Promise<string> {
  const text = (template: unknown) => render(String(template ?? ''), ctx.rows, ctx.facts)
  switch (action.type) {
    case 'send_message': {
      const turn = needTurn(ctx)
      const c = turn.conversation
      if (!c.channel_id) throw new ActionSkipped('the conversation has no channel to send on')
      const body = text(action.text).trim()
      if (!body) throw new ActionSkipped('the message is empty once its variables are filled in')
      const id = await queueReply(
        ctx.trx,
        { id: c.id, channelId: c.channel_id },
        { text: body, authorKind: 'system', idempotencyKey: ctx.key(index) }
      )
      turn.events.push(['message.created', { conversationId: c.id, messageId: id }])
      return `message ${id} queued`
    }
    case 'ai_answer': {
      const turn = needTurn(ctx)
      // The assistant checks again that the bot owns the conversation when it sends.
      await queue.send(ASSIST_QUEUE, { conversationId: turn.conversation.id }, { trx: ctx.trx })
      return 'the assistant was asked to answer'
    }
    case 'hand_off': {
      const turn = needTurn(ctx)
      const c = turn.conversation
      const note = await handOff(
        ctx.trx,
        { id: c.id, teamId: c.team_id, channelId: c.channel_id },
        String(action.reason ?? `rule "${ctx.rule.name}"`),
        ctx.key(index),
        action.source === 'customer' ? 'customer' : 'rule'
      )
      if (!note) return 'already with people'
      turn.conversation = await ctx.trx.from('conversations').where('id', c.id).first()
      turn.events.push(['conversation.updated', { conversationId: c.id }])
      turn.events.push(['message.created', { conversationId: c.id, messageId: note }])
      return 'handed to people'
    }
    case 'assign_operator': {
      const turn = needTurn(ctx)
      const user = await pickOperator(ctx, action, turn.conversation.team_id)
      if (turn.conversation.assignee_id === user.id && turn.conversation.owner === 'human') {
        return `already assigned to ${displayName(user)}`
      }
      const before = turn.notices.length
      await runCommand(turn, { name: 'assign', target: { handle: user.email } })
      const refused = noticeOf(turn, before)
      if (refused) throw new Error(refused)
      return `assigned to ${displayName(user)} (user ${user.id})`
    }
    case 'assign_team': {
      const turn = needTurn(ctx)
      const teamId = Number(action.teamId)
      const team = await ctx.trx.from('teams').where('id', teamId).first()
      if (!team) throw new Error(`team ${teamId} does not exist`)
      const c = turn.conversation
      if (c.team_id === teamId) return `already with ${team.name}`
      const stays = c.assignee_id
        ? await ctx.trx
            .from('team_memberships')
            .where({ team_id: teamId, user_id: c.assignee_id })
            .first()
        : undefined
      await change(turn, { team_id: teamId, assignee_id: stays ? c.assignee_id : null })
      return `moved to team ${team.name}`
    }
    case 'set_status': {
      const turn = needTurn(ctx)
      const c = turn.conversation
      const before = turn.notices.length
      if (action.status === 'resolved') await runCommand(turn, { name: 'close' })
      else if (action.status === 'snoozed') {
        await runCommand(turn, { name: 'snooze', forMs: parseDuration(String(action.for))! })
      } else if (c.status === action.status) return `already ${c.status}`
      else {
        await change(turn, { status: action.status, resolved_at: null, snoozed_until: null })
      }
      return noticeOf(turn, before) ?? `status ${action.status}`
    }
    case 'add_tags':
    case 'remove_tags': {
      const turn = needTurn(ctx)
      const tags = action.tags as string[]
      await runCommand(turn, { name: action.type === 'add_tags' ? 'tag' : 'untag', tags })
      return `${action.type === 'add_tags' ? 'tagged' : 'untagged'} ${tags.join(', ')}`
    }
    case 'set_priority': {
      const turn = needTurn(ctx)
      if (turn.conversation.priority === action.priority) return `already ${action.priority}`
      await change(turn, { priority: action.priority })
      return `priority ${action.priority}`
    }
    case 'add_note':
    case 'notify_workspace': {
      const turn = needTurn(ctx)
      const body = text(action.text).trim()
      if (!body) throw new ActionSkipped('the note is empty once its variables are filled in')
      const id = await internalNote(
        ctx,
        turn,
        body,
        ctx.key(index),
        action.type === 'notify_workspace'
      )
      if (action.type === 'notify_workspace') {
        await requestMirror(ctx.trx, {
          id: turn.conversation.id,
          teamId: turn.conversation.team_id,
        })
      }
      return id ? `note ${id}` : 'already written'
    }
    case 'webhook': {
      await queue.send(
        RULE_WEBHOOK_QUEUE,
        { ruleId: ctx.rule.id, eventKey: ctx.event.key, index, url: String(action.url) },
        { trx: ctx.trx }
      )
      return 'queued'
    }
  }
  throw new Error(`unknown action ${action.type}`)
}

async function internalNote(
  ctx: ActionContext,
  turn: DeskTurn,
  body: string,
  key: string,
  notify: boolean
) {
  const c = turn.conversation
  const now = clock.now().toJSDate()
  const result = await ctx.trx.rawQuery(
    `INSERT INTO messages (conversation_id, channel_id, direction, author_kind, kind, body,
       metadata, idempotency_key, created_at, updated_at)
     VALUES (?, ?, 'internal', 'system', 'note', ?, ?, ?, ?, ?)
     ON CONFLICT (conversation_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      c.id,
      c.channel_id,
      body,
      JSON.stringify({
        rule: { id: ctx.rule.id, name: ctx.rule.name },
        ...(notify && { notify: true }),
      }),
      key,
      now,
      now,
    ]
  )
  const id = result.rows[0]?.id as number | undefined
  if (id) turn.events.push(['message.created', { conversationId: c.id, messageId: id }])
  return id
}
