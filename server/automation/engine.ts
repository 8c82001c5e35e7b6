/*
| The rules engine. For one event it takes the team's enabled rules whose
| trigger matches, in priority order, and for each: loop guard, conditions,
| cooldown, then the actions, in the caller's transaction. Every
| evaluation is logged with what each condition saw: those that acted in
| rule_executions (with each action's outcome), unique per (event, rule),
| so a job that runs again finds them and repeats nothing; the misses in
| one rule_evaluations row per event. One statement writes both.
|
| A team's rules are compiled once and cached by the team's rules_version,
| which a trigger bumps on every change, so any process sees edits at once.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type db from '@adonisjs/lucid/services/db'
import clock from '#services/clock'
import { parseDuration } from '#operators/commands'
import type { DeskTurn } from '#operators/desk'
import { compileConditions, type ConditionTrace } from '#automation/conditions'
import { factsOf, loadFacts, needs, render, templateFields, type FactRows } from '#automation/facts'
import { ActionSkipped, runAction } from '#automation/actions'
import { ensureDefaultRules } from '#automation/defaults'
import type { ActionOutcome, Evaluation, RuleEvent, Trigger, TriggerType } from '#automation/types'

type Row = Record<string, any>

/** A rule may be re-triggered by its own actions' consequences at most this often. */
export const LOOP_LIMIT = 2
/** And no chain of rule-caused events grows longer than this. */
export const MAX_CHAIN = 10

export interface CompiledRule {
  row: Row
  test: ReturnType<typeof compileConditions>
  fields: Set<string>
}

interface TeamRules {
  version: number
  byTrigger: Map<TriggerType, CompiledRule[]>
}

const cache = new Map<number, TeamRules>()

function fieldsOf(node: unknown, into: Set<string>) {
  if (!node || typeof node !== 'object') return
  const n = node as Record<string, unknown>
  for (const key of ['all', 'any']) {
    if (Array.isArray(n[key])) for (const child of n[key] as unknown[]) fieldsOf(child, into)
  }
  if (typeof n.field === 'string') into.add(n.field)
}

export function compileRule(row: Row): CompiledRule {
  const fields = new Set<string>()
  fieldsOf(row.conditions, fields)
  for (const action of row.actions as Row[]) {
    if (typeof action.text === 'string') for (const f of templateFields(action.text)) fields.add(f)
  }
  return { row, test: compileConditions(row.conditions), fields }
}

/** The team's enabled rules by trigger type, priority order; built-ins written on first use. */
export async function teamRules(
  client: TransactionClientContract | typeof db,
  team: { id: number; rules_version?: number; rules_seeded_at?: Date | null }
): Promise<TeamRules> {
  let version = team.rules_version
  let seeded = team.rules_seeded_at
  if (version === undefined || seeded === undefined) {
    const row = await client
      .from('teams')
      .where('id', team.id)
      .select('rules_version', 'rules_seeded_at')
      .first()
    version = row?.rules_version ?? 0
    seeded = row?.rules_seeded_at ?? null
  }
  if (!seeded) {
    await ensureDefaultRules(client, team.id)
    const row = await client.from('teams').where('id', team.id).select('rules_version').first()
    version = row?.rules_version ?? 0
  }
  const cached = cache.get(team.id)
  if (cached && cached.version === version) return cached
  const rows = (await client
    .from('rules')
    .where({ team_id: team.id, enabled: true })
    .orderBy('priority')
    .orderBy('id')) as Row[]
  const byTrigger = new Map<TriggerType, CompiledRule[]>()
  for (const row of rows) {
    const type = (row.trigger as Trigger).type
    if (!byTrigger.has(type)) byTrigger.set(type, [])
    byTrigger.get(type)!.push(compileRule(row))
  }
  const built = { version: version!, byTrigger }
  cache.set(team.id, built)
  return built
}

/** Whether a rule's trigger (beyond its type) accepts the event. */
export function triggerAccepts(trigger: Trigger, event: RuleEvent): boolean {
  const d = event.data
  switch (trigger.type) {
    case 'conversation.status_changed':
      return (!trigger.from || trigger.from === d.from) && (!trigger.to || trigger.to === d.to)
    case 'message.count':
      return Number(trigger.count) === Number(d.count)
    case 'contact.status':
      return trigger.status === d.status && (!trigger.tag || trigger.tag === d.tag)
    case 'escalation':
      return !trigger.source || trigger.source === d.source
    case 'custom':
      return trigger.name === d.name
    default:
      return true
  }
}

export interface RunOptions {
  /** Evaluate and describe; change nothing, record nothing. */
  dryRun?: boolean
  /** Rules to evaluate instead of the team's cached set (a dry run of a disabled rule). */
  rules?: CompiledRule[]
  /** Start at this action (a wait that fell due). */
  fromAction?: number
}

export interface RunResult {
  evaluations: Evaluation[]
  /** Live updates to publish after the commit. */
  events: DeskTurn['events']
}

/**
 * Runs the rules for one event inside `trx`. `rows.conversation` must be
 * locked by the caller when the event concerns a conversation.
 */
export async function runRules(
  trx: TransactionClientContract,
  event: RuleEvent,
  rows: FactRows,
  options: RunOptions = {}
): Promise<RunResult> {
  const result: RunResult = { evaluations: [], events: [] }
  let candidates = options.rules
  if (!candidates) {
    const rules = await teamRules(trx, rows.team as never)
    candidates = rules.byTrigger.get(event.type) ?? []
  }
  candidates = candidates.filter(
    (r) =>
      (event.ruleId === undefined || r.row.id === event.ruleId) &&
      triggerAccepts(r.row.trigger, event)
  )
  if (!candidates.length) return result

  const fields = new Set<string>()
  for (const r of candidates) for (const f of r.fields) fields.add(f)
  await loadFacts(trx, rows, needs(fields))
  const facts = factsOf(rows, event)
  const conversationId = rows.conversation?.id as number | undefined

  /*
  | What a rule about to fire must know: whether a run of this job already
  | fired it for this event (the job ran before), and when it last fired on
  | this conversation (cooldown). Read once, when the first rule passes its
  | conditions: most events fire nothing and need neither.
  */
  let memory: { done: Set<number>; cooled: Map<number, number> } | undefined
  const remember = async () => {
    if (memory) return memory
    memory = { done: new Set(), cooled: new Map() }
    const cooling = candidates!.filter((r) => r.row.cooldown_seconds > 0).map((r) => r.row.id)
    const found = await trx.rawQuery(
      `SELECT rule_id, NULL::timestamptz AS fired_at FROM rule_executions WHERE event_key = ?
       UNION ALL
       SELECT rule_id, fired_at FROM rule_cooldowns
        WHERE conversation_id = ? AND rule_id = ANY(?::int[])`,
      [event.key, conversationId ?? 0, cooling]
    )
    for (const row of found.rows) {
      if (row.fired_at === null) memory.done.add(row.rule_id)
      else memory.cooled.set(row.rule_id, new Date(row.fired_at).getTime())
    }
    return memory
  }

  const turn: DeskTurn | undefined = rows.conversation
    ? {
        trx,
        conversation: rows.conversation,
        user: { id: null, name: 'Automation' },
        events: [],
        notices: [],
      }
    : undefined
  const nowMs = clock.nowMs()

  for (const rule of candidates) {
    const started = performance.now()
    const evaluation: Evaluation = {
      ruleId: rule.row.id,
      ruleName: rule.row.name,
      outcome: 'conditions_failed',
      conditions: [],
      actions: [],
      durationMs: 0,
    }
    result.evaluations.push(evaluation)
    const finish = () => (evaluation.durationMs = performance.now() - started)

    const repeats = event.chain.filter((id) => id === rule.row.id).length
    if (repeats >= LOOP_LIMIT || event.chain.length >= MAX_CHAIN) {
      evaluation.outcome = 'loop_prevented'
      evaluation.reason =
        repeats >= LOOP_LIMIT
          ? `this event was caused by this rule's own actions ${repeats} times in a row`
          : `this event ends a chain of ${event.chain.length} rule-caused events`
      finish()
      continue
    }
    const trace: ConditionTrace[] = []
    if (turn) rows.conversation = turn.conversation
    const passed = rule.test(facts, trace)
    evaluation.conditions = trace
    if (!passed) {
      evaluation.reason = 'the conditions did not hold'
      finish()
      continue
    }
    const known = options.dryRun ? undefined : await remember()
    if (known?.done.has(rule.row.id)) {
      // Fired by an earlier run of this job: its log entry stands, nothing is repeated.
      result.evaluations.pop()
      continue
    }
    const lastFired = (known ?? (await remember())).cooled.get(rule.row.id)
    // A wait resuming is the same firing, not a new one.
    if (
      !options.fromAction &&
      lastFired !== undefined &&
      nowMs - lastFired < rule.row.cooldown_seconds * 1000
    ) {
      evaluation.outcome = 'cooldown'
      evaluation.reason = `fired ${Math.round((nowMs - lastFired) / 1000)} s ago; cooldown is ${rule.row.cooldown_seconds} s`
      finish()
      continue
    }

    if (options.dryRun) {
      evaluation.outcome = 'would_fire'
      evaluation.actions = (rule.row.actions as Row[])
        .slice(options.fromAction ?? 0)
        .map((a, i) => ({
          index: i + (options.fromAction ?? 0),
          type: a.type,
          outcome: 'would_run',
          // What a message or note would say, variables filled in.
          ...(typeof a.text === 'string' && { detail: render(a.text, rows, facts) }),
        }))
    } else {
      await fire(trx, rule.row, event, rows, facts, turn, evaluation, options.fromAction ?? 0)
      if (conversationId && rule.row.cooldown_seconds > 0) {
        await trx.rawQuery(
          `INSERT INTO rule_cooldowns (rule_id, conversation_id, fired_at) VALUES (?, ?, ?)
           ON CONFLICT (rule_id, conversation_id) DO UPDATE SET fired_at = EXCLUDED.fired_at`,
          [rule.row.id, conversationId, new Date(nowMs)]
        )
      }
    }
    finish()
    if (rule.row.stop_processing) break
  }

  if (turn) result.events.push(...turn.events)
  if (!options.dryRun) await record(trx, event, conversationId, result.evaluations)
  return result
}

/** Runs a rule's actions from `from`; a `delay` parks the rest in rule_waits. */
async function fire(
  trx: TransactionClientContract,
  rule: Row,
  event: RuleEvent,
  rows: FactRows,
  facts: ReturnType<typeof factsOf>,
  turn: DeskTurn | undefined,
  evaluation: Evaluation,
  from: number
) {
  evaluation.outcome = 'fired'
  const actions = rule.actions as Row[]
  // Events the actions cause (a status change, a hand-off) carry this rule in their chain.
  const causes = actions.slice(from).some((a) => CAUSES_EVENTS.has(a.type))
  if (causes) await setChain(trx, [...event.chain, rule.id])
  const ctx = {
    trx,
    rule,
    event,
    rows,
    facts,
    turn,
    key: (index: number) => `rule:${rule.id}:${event.key}:${index}`,
  }
  for (let index = from; index < actions.length; index++) {
    const action = actions[index] as { type: string } & Row
    const outcome: ActionOutcome = { index, type: action.type, outcome: 'done' }
    evaluation.actions.push(outcome)
    if (action.type === 'delay') {
      const due = new Date(clock.nowMs() + parseDuration(String(action.for))!)
      await trx.table('rule_waits').insert({
        rule_id: rule.id,
        team_id: rule.team_id,
        conversation_id: rows.conversation?.id ?? null,
        event: JSON.stringify(event),
        next_action: index + 1,
        chain: `{${event.chain.join(',')}}`,
        due_at: due,
      })
      outcome.outcome = 'waiting'
      outcome.detail = `until ${due.toISOString()}; the conditions are checked again then`
      evaluation.outcome = 'waiting'
      break
    }
    try {
      // A savepoint per action: one that fails leaves the others' work standing. Queueing
      // a job is one insert that only fails when the database does, so it needs none.
      outcome.detail = QUEUE_ONLY.has(action.type)
        ? await runAction(ctx, action, index)
        : await trx.transaction((sp) =>
            runAction({ ...ctx, trx: sp, turn: turn && withTrx(turn, sp) }, action, index)
          )
    } catch (error) {
      outcome.outcome = error instanceof ActionSkipped ? 'skipped' : 'failed'
      outcome.detail = error instanceof Error ? error.message : String(error)
      if (outcome.outcome === 'failed') evaluation.outcome = 'failed'
    }
  }
  if (causes) await setChain(trx, event.chain)
}

const QUEUE_ONLY = new Set(['ai_answer', 'webhook'])

/** Actions whose changes the database triggers turn into rule events. */
const CAUSES_EVENTS = new Set(['hand_off', 'assign_operator', 'set_status'])

function setChain(trx: TransactionClientContract, chain: number[]) {
  return trx.rawQuery("SELECT set_config('switchboard.rule_chain', ?, true)", [
    `{${chain.join(',')}}`,
  ])
}

/** The turn, acting in a savepoint; its changes show on the outer turn as they happen. */
function withTrx(turn: DeskTurn, trx: TransactionClientContract): DeskTurn {
  return new Proxy(turn, {
    get: (target, prop) => (prop === 'trx' ? trx : Reflect.get(target, prop)),
  })
}

async function record(
  trx: TransactionClientContract,
  event: RuleEvent,
  conversationId: number | undefined,
  evaluations: Evaluation[]
) {
  const eventJson = JSON.stringify({
    type: event.type,
    key: event.key,
    data: event.data,
    chain: event.chain,
  })
  const now = clock.now().toJSDate()
  const acted = evaluations.filter((e) => e.outcome !== 'conditions_failed')
  const missed = evaluations.filter((e) => e.outcome === 'conditions_failed')
  // Both logs in one statement: one round trip per event.
  const parts: string[] = []
  const bindings: unknown[] = []
  if (acted.length) {
    const rows = acted.map((e) => ({
      rule_id: e.ruleId,
      outcome: e.outcome,
      reason: e.reason ?? null,
      conditions: e.conditions,
      actions: e.actions,
      duration_ms: Math.round(e.durationMs * 1000) / 1000,
    }))
    parts.push(`acted AS (
      INSERT INTO rule_executions (rule_id, team_id, conversation_id, event_key, event, outcome, reason,
        conditions, actions, duration_ms, created_at)
      SELECT x.rule_id, ?::int, ?::int, ?, ?::jsonb, x.outcome, x.reason, x.conditions, x.actions,
             x.duration_ms, ?::timestamptz
        FROM jsonb_to_recordset(?::jsonb) AS x(rule_id int, outcome text, reason text,
          conditions jsonb, actions jsonb, duration_ms real)
      ON CONFLICT (rule_id, event_key) DO NOTHING RETURNING 1)`)
    bindings.push(
      event.teamId,
      conversationId ?? null,
      event.key,
      eventJson,
      now,
      JSON.stringify(rows)
    )
  }
  if (missed.length) {
    // One row for the event: each value seen once, each rule's conditions as [path, result].
    const facts: Record<string, unknown> = {}
    const misses: Record<number, Array<[string, boolean]>> = {}
    for (const e of missed) {
      misses[e.ruleId] = (e.conditions as ConditionTrace[]).map((t) => {
        facts[t.field] = t.seen
        return [t.path.slice('conditions.'.length), t.result]
      })
    }
    parts.push(`missed AS (
      INSERT INTO rule_evaluations (team_id, conversation_id, event_key, event_type, event, rule_ids,
        facts, misses, created_at)
      VALUES (?::int, ?::int, ?, ?, ?::jsonb, ?::int[], ?::jsonb, ?, ?::timestamptz)
      ON CONFLICT (team_id, event_key) DO NOTHING RETURNING 1)`)
    bindings.push(
      event.teamId,
      conversationId ?? null,
      event.key,
      event.type,
      eventJson,
      `{${missed.map((e) => e.ruleId).join(',')}}`,
      JSON.stringify(facts),
      JSON.stringify(misses),
      now
    )
  }
  if (parts.length) await trx.rawQuery(`WITH ${parts.join(', ')} SELECT 1`, bindings as never)
}
