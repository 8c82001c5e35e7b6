/*
| The work the clock starts. Each sweep reads "now" from the clock service
| (tests move it), finds what fell due in rows, and acts on each in its
| own transaction. Running a sweep twice, or in two processes at once,
| fires nothing twice: schedule ticks and inactivity matches are unique
| rows, waits and timers are taken with SKIP LOCKED or checked against
| the row's due time.
*/
import db from '@adonisjs/lucid/services/db'
import { CronExpressionParser } from 'cron-parser'
import clock from '#services/clock'
import env from '#start/env'
import { runTimer } from '#operators/timers'
import { dispatch, drainRuleEvents, resumeDueWaits } from '#automation/dispatch'

type Row = Record<string, any>

/** How late a missed schedule tick may still fire (the scheduler was down). */
const SCHEDULE_CATCH_UP_MS = 24 * 3600_000
/** How long after the threshold a waiting conversation still counts as newly inactive. */
const INACTIVE_WINDOW_MINUTES = 24 * 60

/** The latest tick of a cron expression at or before `at`, in the rule's timezone. */
export function latestTick(cron: string, timezone: string | undefined, at: Date): Date {
  return CronExpressionParser.parse(cron, {
    currentDate: new Date(at.getTime() + 1),
    tz: timezone ?? 'UTC',
  })
    .prev()
    .toDate()
}

/** Fires each schedule rule's latest tick once, across every process. */
export async function scheduleSweep(): Promise<number> {
  const now = clock.now().toJSDate()
  const rules = (await db
    .from('rules')
    .where('enabled', true)
    .whereRaw("trigger->>'type' = 'schedule'")) as Row[]
  let fired = 0
  for (const rule of rules) {
    let tick: Date
    try {
      tick = latestTick(rule.trigger.cron, rule.trigger.timezone, now)
    } catch {
      continue
    }
    // A rule does not fire for ticks from before it existed, nor for ones long missed.
    if (tick < new Date(rule.created_at) || now.getTime() - tick.getTime() > SCHEDULE_CATCH_UP_MS) {
      continue
    }
    const result = await dispatch(
      {
        type: 'schedule',
        key: `tick:${rule.id}:${tick.toISOString()}`,
        teamId: rule.team_id,
        data: {
          tick: tick.toISOString(),
          cron: rule.trigger.cron,
          timezone: rule.trigger.timezone ?? 'UTC',
        },
        chain: [],
        ruleId: rule.id,
      },
      async (trx) => {
        const inserted = await trx.rawQuery(
          'INSERT INTO rule_schedule_ticks (rule_id, tick_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING rule_id',
          [rule.id, tick]
        )
        return inserted.rows.length > 0
      },
      { ruleRow: rule }
    )
    if (result) fired++
  }
  return fired
}

/**
 * Conversations waiting N minutes: for a person's answer (`customer`: the
 * customer wrote last) or for the customer (`operator`: a person wrote
 * last). Each waiting spell matches a rule once.
 */
export async function inactivitySweep(): Promise<number> {
  const now = clock.now().toJSDate()
  const rules = (await db
    .from('rules')
    .where('enabled', true)
    .whereRaw("trigger->>'type' = 'conversation.inactive'")) as Row[]
  let fired = 0
  for (const rule of rules) {
    const minutes = Number(rule.trigger.minutes)
    const [anchor, other] =
      rule.trigger.waiting === 'operator'
        ? ['last_operator_message_at', 'last_customer_message_at']
        : ['last_customer_message_at', 'last_operator_message_at']
    const matches = await db.rawQuery(
      `SELECT c.id, (extract(epoch FROM c.${anchor}) * 1000)::bigint AS since
         FROM conversations c,
              LATERAL (SELECT 'inactive:${rule.id}:' || c.id || ':'
                         || (extract(epoch FROM c.${anchor}) * 1000)::bigint AS key) k
        WHERE c.team_id = ? AND c.status IN ('open', 'pending')
          AND c.${anchor} <= ?::timestamptz - make_interval(mins => ?)
          AND c.${anchor} > ?::timestamptz - make_interval(mins => ?)
          AND (c.${other} IS NULL OR c.${other} < c.${anchor})
          AND NOT EXISTS (SELECT 1 FROM rule_executions e WHERE e.rule_id = ? AND e.event_key = k.key)
          AND NOT EXISTS (SELECT 1 FROM rule_evaluations v WHERE v.team_id = c.team_id AND v.event_key = k.key)
        ORDER BY c.${anchor} LIMIT 500`,
      [rule.team_id, now, minutes, now, minutes + INACTIVE_WINDOW_MINUTES, rule.id]
    )
    for (const match of matches.rows as Row[]) {
      await dispatch(
        {
          type: 'conversation.inactive',
          key: `inactive:${rule.id}:${match.id}:${match.since}`,
          teamId: rule.team_id,
          conversationId: match.id,
          data: {
            waiting: rule.trigger.waiting,
            minutes: Math.floor((now.getTime() - Number(match.since)) / 60_000),
            since: new Date(Number(match.since)).toISOString(),
          },
          chain: [],
          ruleId: rule.id,
        },
        // Checked again under the lock: a reply may have landed since the search.
        async (_, conversation) =>
          Boolean(conversation) &&
          ['open', 'pending'].includes(conversation!.status) &&
          Math.abs(new Date(conversation![anchor]).getTime() - Number(match.since)) < 1,
        { ruleRow: rule }
      )
      fired++
    }
  }
  return fired
}

/** Timed closes and snoozes that fell due (a backstop for their queued jobs, and the clock's test seam). */
export async function timersSweep(): Promise<number> {
  const now = clock.now().toJSDate()
  const found = await db.rawQuery(
    `SELECT id, close_at, snoozed_until, status FROM conversations
    WHERE (close_at IS NOT NULL AND close_at <= ?)
       OR (status = 'snoozed' AND snoozed_until IS NOT NULL AND snoozed_until <= ?)
    LIMIT 500`,
    [now, now]
  )
  const due = found.rows as Row[]
  for (const c of due) {
    // A timed close that fell due wins over a snooze: closing also ends the snooze.
    const closing = c.close_at !== null && new Date(c.close_at) <= now
    await runTimer({
      conversationId: c.id,
      kind: closing ? 'close' : 'wake',
      due: new Date(closing ? c.close_at : c.snoozed_until).toISOString(),
    })
  }
  return due.length
}

/** Everything that falls due by the minute: waits, timers, and any undrained rule events. */
export async function dueSweep() {
  const waits = await resumeDueWaits()
  const timers = await timersSweep()
  const events = await drainRuleEvents()
  return { waits, timers, events }
}

/** Rolls usage_events up into usage_daily for yesterday and today (UTC), rewriting both. */
export async function usageRollup(): Promise<number> {
  const today = clock.now().toUTC().startOf('day')
  const from = today.minus({ days: 1 })
  const result = await db.rawQuery(
    `INSERT INTO usage_daily (team_id, day, kind, events, quantity, prompt_tokens, completion_tokens)
     SELECT team_id, (occurred_at AT TIME ZONE 'UTC')::date, kind, count(*), sum(quantity),
            COALESCE(sum((data->>'promptTokens')::bigint), 0),
            COALESCE(sum((data->>'completionTokens')::bigint), 0)
       FROM usage_events
      WHERE team_id IS NOT NULL AND occurred_at >= ? AND occurred_at < ?
      GROUP BY 1, 2, 3
     ON CONFLICT (team_id, day, kind) DO UPDATE SET events = EXCLUDED.events,
       quantity = EXCLUDED.quantity, prompt_tokens = EXCLUDED.prompt_tokens,
       completion_tokens = EXCLUDED.completion_tokens`,
    [from.toJSDate(), today.plus({ days: 1 }).toJSDate()]
  )
  return result.rowCount ?? 0
}

/**
 * Deletes what is only kept for a while (RETENTION_DAYS, default 30): the
 * rules' log and handled events, finished waits, old schedule ticks, and
 * the inbound ledger, whose only use is recognising a platform's retries.
 */
export async function retentionPurge(): Promise<Record<string, number>> {
  const days = env.get('RETENTION_DAYS') ?? 30
  const before = clock.now().minus({ days }).toJSDate()
  const purged: Record<string, number> = {}
  const run = async (name: string, sql: string) => {
    const result = await db.rawQuery(sql, [before])
    purged[name] = result.rowCount ?? 0
  }
  await run('rule_executions', 'DELETE FROM rule_executions WHERE created_at < ?')
  await run('rule_evaluations', 'DELETE FROM rule_evaluations WHERE created_at < ?')
  await run('rule_events', 'DELETE FROM rule_events WHERE processed_at < ?')
  await run('rule_waits', "DELETE FROM rule_waits WHERE status <> 'pending' AND due_at < ?")
  await run('rule_schedule_ticks', 'DELETE FROM rule_schedule_ticks WHERE tick_at < ?')
  await run('inbound_events', 'DELETE FROM inbound_events WHERE received_at < ?')
  return purged
}

export const SWEEPS = {
  schedule: scheduleSweep,
  inactivity: inactivitySweep,
  due: dueSweep,
  usage_rollup: usageRollup,
  retention_purge: retentionPurge,
} as const
export type SweepName = keyof typeof SWEEPS
