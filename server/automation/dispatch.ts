/*
| Events that reach the engine outside a customer message: rows the
| database triggers wrote (status changes, hand-offs, contact tags), waits
| of `delay` actions falling due, schedule ticks, inactivity, and custom
| events from the API. Each is handled in its own transaction with its
| conversation locked, and marked done in that transaction, so a crash
| repeats it at most as a no-op (rule_executions is unique per event).
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#services/clock'
import { publish } from '#messaging/live'
import { lockConversation } from '#operators/desk'
import { compileRule, runRules, type RunResult } from '#automation/engine'
import type { RuleEvent } from '#automation/types'

type Row = Record<string, any>

/** Runs one event's rules in a transaction; live updates go out after the commit. */
export async function dispatch(
  event: RuleEvent,
  before?: (trx: TransactionClientContract, conversation: Row | undefined) => Promise<boolean>,
  options: { fromAction?: number; ruleRow?: Row } = {}
): Promise<RunResult | undefined> {
  const result = await db.transaction(async (trx) => {
    const conversation = event.conversationId
      ? await lockConversation(trx, event.conversationId)
      : undefined
    if (event.conversationId && !conversation) return undefined
    if (before && !(await before(trx, conversation))) return undefined
    const team = await trx.from('teams').where('id', event.teamId).first()
    if (!team) return undefined
    return runRules(
      trx,
      event,
      { team, conversation },
      {
        fromAction: options.fromAction,
        rules: options.ruleRow ? [compileRule(options.ruleRow)] : undefined,
      }
    )
  })
  for (const [name, data] of result?.events ?? []) publish(event.teamId, name, data)
  return result
}

let draining: Promise<number> | undefined

/**
 * Handles the rule events the triggers wrote, oldest first. Several workers
 * may drain at once: each event is taken by one (SKIP LOCKED).
 */
export function drainRuleEvents(limit = 500): Promise<number> {
  draining ??= (async () => {
    let handled = 0
    try {
      while (handled < limit) {
        const took = await db.transaction(async (trx) => {
          const row = (await trx
            .from('rule_events')
            .whereNull('processed_at')
            .orderBy('id')
            .forUpdate()
            .skipLocked()
            .first()) as Row | null
          if (!row) return false
          const event: RuleEvent = {
            type: row.type,
            key: `event:${row.id}`,
            teamId: row.team_id,
            conversationId: row.conversation_id,
            data: row.data ?? {},
            chain: row.chain ?? [],
          }
          const conversation = row.conversation_id
            ? await lockConversation(trx, row.conversation_id)
            : undefined
          const team = await trx.from('teams').where('id', row.team_id).first()
          const run = team
            ? await runRules(trx, event, { team, conversation: conversation ?? null })
            : undefined
          await trx
            .from('rule_events')
            .where('id', row.id)
            .update({ processed_at: clock.now().toJSDate() })
          return { teamId: row.team_id as number, events: run?.events ?? [] }
        })
        if (!took) break
        for (const [name, data] of took.events) publish(took.teamId, name, data)
        handled++
      }
    } finally {
      draining = undefined
    }
    return handled
  })()
  return draining
}

/** Runs the remaining actions of waits that fell due, after checking the conditions again. */
export async function resumeDueWaits(limit = 200): Promise<number> {
  let resumed = 0
  while (resumed < limit) {
    const wait = await db.transaction(async (trx) => {
      const row = (await trx
        .from('rule_waits')
        .where('status', 'pending')
        .where('due_at', '<=', clock.now().toJSDate())
        .orderBy('due_at')
        .forUpdate()
        .skipLocked()
        .first()) as Row | null
      if (!row) return undefined
      await trx.from('rule_waits').where('id', row.id).update({ status: 'done' })
      const rule = await trx.from('rules').where('id', row.rule_id).first()
      // A rule switched off or deleted meanwhile does not finish its work.
      if (!rule?.enabled) return row
      const original = row.event as RuleEvent
      const event: RuleEvent = {
        ...original,
        key: `${original.key}#wait${row.id}`,
        chain: row.chain ?? [],
        ruleId: rule.id,
      }
      const conversation = row.conversation_id
        ? await lockConversation(trx, row.conversation_id)
        : undefined
      if (row.conversation_id && !conversation) return row
      const team = await trx.from('teams').where('id', row.team_id).first()
      const run = await runRules(
        trx,
        event,
        { team, conversation: conversation ?? null },
        {
          rules: [compileRule(rule)],
          fromAction: row.next_action,
        }
      )
      return { ...row, events: run.events }
    })
    if (!wait) break
    for (const [name, data] of wait.events ?? []) publish(wait.team_id, name, data)
    resumed++
  }
  return resumed
}
