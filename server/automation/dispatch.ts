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
import { compileRule, runRules, type RunOptions, type RunResult } from '#automation/engine'
import type { RuleEvent } from '#automation/types'

type Row = Record<string, any>

type Before = (trx: TransactionClientContract, conversation: Row | undefined) => Promise<boolean>

/**
 * Runs one event's rules in `trx`: its conversation locked, then `before`
 * (a check that may still call it off), then the engine. Undefined when the
 * conversation or the team is gone, or `before` said no.
 */
async function runLocked(
  trx: TransactionClientContract,
  event: RuleEvent,
  options: RunOptions & { before?: Before } = {}
): Promise<RunResult | undefined> {
  const conversation = event.conversationId
    ? await lockConversation(trx, event.conversationId)
    : null
  if (event.conversationId && !conversation) return undefined
  if (options.before && !(await options.before(trx, conversation ?? undefined))) return undefined
  const team = await trx.from('teams').where('id', event.teamId).first()
  if (!team) return undefined
  return runRules(trx, event, { team, conversation }, options)
}

/** Live updates go out after the commit, never for work that rolled back. */
function publishAll(teamId: number, events: RunResult['events'] | undefined) {
  for (const [name, data] of events ?? []) publish(teamId, name, data)
}

/** Runs one event's rules in a transaction of its own. */
export async function dispatch(
  event: RuleEvent,
  before?: Before,
  options: { ruleRow?: Row } = {}
): Promise<RunResult | undefined> {
  const result = await db.transaction((trx) =>
    runLocked(trx, event, {
      before,
      rules: options.ruleRow ? [compileRule(options.ruleRow)] : undefined,
    })
  )
  publishAll(event.teamId, result?.events)
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
          const run = await runLocked(trx, event)
          await trx
            .from('rule_events')
            .where('id', row.id)
            .update({ processed_at: clock.now().toJSDate() })
          return { teamId: row.team_id as number, events: run?.events ?? [] }
        })
        if (!took) break
        publishAll(took.teamId, took.events)
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
      const run = await runLocked(trx, event, {
        rules: [compileRule(rule)],
        fromAction: row.next_action,
      })
      return { ...row, events: run?.events }
    })
    if (!wait) break
    publishAll(wait.team_id, wait.events)
    resumed++
  }
  return resumed
}
