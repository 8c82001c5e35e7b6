/*
| Rules as the API manages them: CRUD, order, JSON export and import,
| the execution log, dry runs and custom events. Condition trees are
| checked here (VineJS has no recursive schemas); every problem names its
| path in the JSON, e.g. `rules.3.conditions.all.0.operator`.
*/
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { errors as vineErrors } from '@vinejs/vine'
import type User from '#models/user'
import Rule from '#models/rule'
import RuleExecution from '#models/rule_execution'
import { memberTeamIds, visibleTeamIds } from '#services/access'
import { assertTeamAllowed, invalidField } from '#services/team_scope'
import { ACTIONS, ACTION_TYPES } from '#validators/rule'
import { pageOf, paginate, type ListParams } from '#services/listing'
import {
  checkConditions,
  clip,
  compileConditions,
  type Condition,
  type ConditionError,
  type ConditionNode,
  type ConditionTrace,
  type Facts,
} from '#automation/conditions'
import { ensureDefaultRules, DEFAULT_RULES } from '#automation/defaults'
import { compileRule, runRules, triggerAccepts } from '#automation/engine'
import { factsOf, loadFacts, needs, render, type FactRows } from '#automation/facts'
import { TEMPLATE_OPTIONS } from '#automation/rule_schema'
import { dispatch } from '#automation/dispatch'
import type { Action, RuleDefinition, RuleEvent, Trigger } from '#automation/types'

type Row = Record<string, any>

export interface RuleInput {
  name?: string
  enabled?: boolean
  priority?: number
  trigger?: Trigger | Record<string, unknown>
  conditions?: unknown
  actions?: Array<Action | Record<string, unknown>>
  stopProcessing?: boolean
  cooldownSeconds?: number
  builtin?: string
}

const EMPTY: ConditionNode = { all: [] }
/** How many of a team's recent events of one trigger type the log searches for misses. */
const MISS_WINDOW = 10_000

/** A miss's [path, result] pairs as the conditions they were, with the values seen. */
function expandTrace(conditions: ConditionNode, trace: Array<[string, boolean]>, facts: Row) {
  return trace.map(([path, result]) => {
    let node: any = conditions
    for (const key of path ? path.split('.') : []) node = node?.[key]
    const field = node?.field as string | undefined
    return {
      path: path ? `conditions.${path}` : 'conditions',
      field,
      operator: node?.operator,
      value: node?.value,
      seen: field !== undefined ? (facts[field] ?? null) : null,
      result,
    }
  })
}
const BUILTINS = DEFAULT_RULES.map((r) => r.builtin)

/**
 * Every condition of a tree with the value it sees now and what it alone
 * answers; `reached` tells whether the evaluation (which stops early) got to it.
 */
function conditionsSeen(tree: ConditionNode | null, facts: Facts, trace: ConditionTrace[]) {
  const reached = new Set(trace.map((t) => t.path))
  const seen: Array<
    Condition & { path: string; seen: unknown; result: boolean; reached: boolean }
  > = []
  const walk = (node: ConditionNode, path: string) => {
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any'
      const children = (node as Record<string, ConditionNode[]>)[key] ?? []
      children.forEach((child, i) => walk(child, `${path}.${key}.${i}`))
      return
    }
    seen.push({
      path,
      field: node.field,
      operator: node.operator,
      value: node.value,
      seen: clip(facts.get(node.field)),
      result: compileConditions(node)(facts, null),
      reached: reached.has(path),
    })
  }
  if (tree) walk(tree, 'conditions')
  return seen
}

/** Every action with its texts as they would be sent, placeholders filled in. */
function actionsRendered(actions: Action[], rows: FactRows, facts: Facts) {
  return actions.map((action, index) => ({
    index,
    type: action.type,
    rendered: Object.fromEntries(
      (TEMPLATE_OPTIONS[action.type] ?? [])
        .filter((option) => typeof action[option] === 'string')
        .map((option) => [option, render(action[option] as string, rows, facts)])
    ),
  }))
}

function fail(errors: ConditionError[]): never {
  throw new vineErrors.E_VALIDATION_ERROR(errors)
}

/** A schedule rule speaks to no conversation: only actions that need none can run. */
const NEEDS_CONVERSATION = new Set<string>(ACTION_TYPES.filter((t) => ACTIONS[t].needsConversation))
const SCHEDULE_ACTIONS = ACTION_TYPES.filter((t) => !NEEDS_CONVERSATION.has(t)).join(' or ')

function checkRule(input: RuleInput, at: string): ConditionError[] {
  const errors =
    input.conditions === undefined ? [] : checkConditions(input.conditions, `${at}conditions`)
  if (input.trigger?.type === 'schedule') {
    input.actions?.forEach((action, i) => {
      if (NEEDS_CONVERSATION.has(String(action.type))) {
        errors.push({
          field: `${at}actions.${i}.type`,
          rule: 'schedule',
          message: `${at}actions.${i}: a schedule rule concerns no conversation; use ${SCHEDULE_ACTIONS}`,
        })
      }
    })
  }
  return errors
}

export function present(rule: Rule) {
  return rule.serialize()
}

/** When each rule last fired: its newest `fired` execution, one index probe per rule. */
async function lastFired(ruleIds: number[]): Promise<Map<number, string>> {
  if (!ruleIds.length) return new Map()
  const { rows } = await db.rawQuery(
    `SELECT r.id,
            (SELECT e.created_at FROM rule_executions e
              WHERE e.rule_id = r.id AND e.outcome = 'fired'
              ORDER BY e.id DESC LIMIT 1) AS fired_at
       FROM unnest(?::int[]) AS r(id)`,
    [ruleIds]
  )
  return new Map(
    (rows as Row[])
      .filter((row) => row.fired_at)
      .map((row) => [Number(row.id), new Date(row.fired_at).toISOString()])
  )
}

/** The portable form: what export writes and import reads. */
function definition(rule: Rule): RuleDefinition & { builtin?: string } {
  return {
    name: rule.name,
    enabled: rule.enabled,
    priority: rule.priority,
    trigger: rule.trigger,
    conditions: rule.conditions,
    actions: rule.actions,
    stopProcessing: rule.stopProcessing,
    cooldownSeconds: rule.cooldownSeconds,
    ...(rule.builtin ? { builtin: rule.builtin } : {}),
  }
}

export default class RuleService {
  /** The team a request means: the one named, or the caller's only team. */
  async teamFor(user: User, teamId?: number): Promise<number> {
    if (teamId) {
      await assertTeamAllowed(user, teamId)
      return teamId
    }
    const teams = await memberTeamIds(user)
    if (teams.length === 1) return teams[0]
    throw invalidField('teamId', 'required', 'teamId is required: you belong to several teams')
  }

  async list(
    user: User,
    params: ListParams & { teamId?: number; enabled?: boolean; triggerType?: string }
  ) {
    const teamIds = params.teamId ? [params.teamId] : await visibleTeamIds(user)
    const seed =
      teamIds ??
      ((await db.from('teams').whereNull('rules_seeded_at').select('id')) as Row[]).map((t) => t.id)
    for (const teamId of seed) await ensureDefaultRules(db, teamId)
    const query = Rule.query()
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.enabled !== undefined) query.where('enabled', params.enabled)
    if (params.triggerType) query.whereRaw("trigger->>'type' = ?", [params.triggerType])
    const page = await paginate(query, params, 'priority')
    const fired = await lastFired(page.data.map((rule) => rule.id))
    return {
      ...page,
      data: page.data.map((rule) => ({
        ...present(rule),
        lastFiredAt: fired.get(rule.id) ?? null,
      })),
    }
  }

  async create(
    teamId: number,
    input: RuleInput & { name: string; trigger: Trigger; actions: Action[] }
  ) {
    const errors = checkRule(input, '')
    if (errors.length) fail(errors)
    await ensureDefaultRules(db, teamId)
    const priority = input.priority ?? (await this.nextPriority(teamId))
    return Rule.create({
      teamId,
      name: input.name,
      enabled: input.enabled ?? true,
      priority,
      trigger: input.trigger,
      conditions: (input.conditions as ConditionNode) ?? EMPTY,
      actions: input.actions,
      stopProcessing: input.stopProcessing ?? false,
      cooldownSeconds: input.cooldownSeconds ?? 0,
    })
  }

  private async nextPriority(teamId: number) {
    // After the team's own rules, before the assistant's built-in catch-all (1000).
    const row = await db
      .from('rules')
      .where('team_id', teamId)
      .where('priority', '<', 1000)
      .max('priority as p')
      .first()
    return Math.min(999, (row?.p ?? 90) + 10)
  }

  async update(rule: Rule, input: RuleInput) {
    const merged = {
      trigger: input.trigger ?? rule.trigger,
      actions: input.actions ?? rule.actions,
      conditions: input.conditions,
    }
    const errors = checkRule(merged as RuleInput, '')
    if (errors.length) fail(errors)
    rule.merge({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.trigger !== undefined && { trigger: input.trigger as Trigger }),
      ...(input.conditions !== undefined && { conditions: input.conditions as ConditionNode }),
      ...(input.actions !== undefined && { actions: input.actions as Action[] }),
      ...(input.stopProcessing !== undefined && { stopProcessing: input.stopProcessing }),
      ...(input.cooldownSeconds !== undefined && { cooldownSeconds: input.cooldownSeconds }),
    })
    await rule.save()
    return rule
  }

  /** Gives the team's rules priorities 10, 20, ... in the order given; every rule must be named. */
  async reorder(teamId: number, ids: number[]) {
    const rules = await Rule.query().where('team_id', teamId).select('id')
    const known = new Set(rules.map((r) => r.id))
    const unknown = ids.find((id) => !known.has(id))
    if (unknown !== undefined)
      throw invalidField('ids', 'exists', `Rule ${unknown} is not one of this team's rules`)
    const missing = [...known].filter((id) => !ids.includes(id))
    if (missing.length) {
      throw invalidField(
        'ids',
        'complete',
        `Name every rule of the team; missing: ${missing.join(', ')}`
      )
    }
    // Spaced by ten, so a rule can later be slotted between two without renumbering.
    await db.rawQuery(
      `UPDATE rules SET priority = x.position * 10, updated_at = now()
         FROM unnest(?::int[]) WITH ORDINALITY AS x(id, position)
        WHERE rules.id = x.id AND rules.team_id = ?`,
      [ids, teamId]
    )
    return Rule.query().where('team_id', teamId).orderBy('priority').orderBy('id')
  }

  async export(teamId: number) {
    await ensureDefaultRules(db, teamId)
    const rules = await Rule.query().where('team_id', teamId).orderBy('priority').orderBy('id')
    return { format: 'switchboard.rules', version: 1, rules: rules.map(definition) }
  }

  /**
   * Imports rules in one transaction: all or nothing. A rule carrying a
   * built-in's key updates that built-in; `replace` first deletes the
   * team's own rules.
   */
  async import(teamId: number, rules: RuleInput[], mode: 'merge' | 'replace' = 'merge') {
    const errors = rules.flatMap((rule, i) => {
      const problems = checkRule(rule, `rules.${i}.`)
      if (rule.builtin !== undefined && !BUILTINS.includes(rule.builtin)) {
        problems.push({
          field: `rules.${i}.builtin`,
          rule: 'enum',
          message: `rules.${i}.builtin must be one of ${BUILTINS.join(', ')}`,
        })
      }
      return problems
    })
    if (errors.length) fail(errors)
    await ensureDefaultRules(db, teamId)
    let created = 0
    let updated = 0
    await db.transaction(async (trx) => {
      if (mode === 'replace')
        await trx.from('rules').where('team_id', teamId).whereNull('builtin').delete()
      for (const input of rules) {
        const values = {
          name: input.name!,
          enabled: input.enabled ?? true,
          priority: input.priority ?? 100,
          trigger: JSON.stringify(input.trigger),
          conditions: JSON.stringify(input.conditions ?? EMPTY),
          actions: JSON.stringify(input.actions),
          stop_processing: input.stopProcessing ?? false,
          cooldown_seconds: input.cooldownSeconds ?? 0,
          updated_at: new Date(),
        }
        if (input.builtin) {
          const changed = await trx
            .from('rules')
            .where({ team_id: teamId, builtin: input.builtin })
            .update(values)
          if (Number(changed)) {
            updated++
            continue
          }
        }
        await trx
          .table('rules')
          .insert({ ...values, team_id: teamId, builtin: input.builtin ?? null })
        created++
      }
    })
    return { created, updated }
  }

  /**
   * The rule's log, newest first: its executions (fired, cooldown, loop
   * prevented, waiting, failed) and the events whose conditions it did not
   * meet, the latter from the team's last MISS_WINDOW events of the rule's
   * trigger type. Each entry shows what every condition reached saw.
   */
  async log(rule: Rule, params: ListParams & { outcome?: string; conversationId?: number }) {
    const { page, perPage, offset } = pageOf(params)
    const want = offset + perPage
    const wantsMisses = !params.outcome || params.outcome === 'conditions_failed'
    const wantsActed = params.outcome !== 'conditions_failed'

    const acted = RuleExecution.query().where('rule_id', rule.id)
    if (params.outcome) acted.where('outcome', params.outcome)
    if (params.conversationId) acted.where('conversation_id', params.conversationId)
    const [executions, actedCount] = wantsActed
      ? await Promise.all([
          acted.clone().orderBy('id', 'desc').limit(want),
          acted.clone().count('* as n').first(),
        ])
      : [[], null]

    let misses: Row[] = []
    let missCount = 0
    if (wantsMisses) {
      const found = await db.rawQuery(
        `SELECT e.id, e.conversation_id, e.event_key, e.event, e.facts, e.created_at,
                e.misses::jsonb -> ?::text AS trace, count(*) OVER () AS total
           FROM (SELECT * FROM rule_evaluations WHERE team_id = ? AND event_type = ?
                  ORDER BY id DESC LIMIT ${MISS_WINDOW}) e
          WHERE ? = ANY(e.rule_ids) ${params.conversationId ? 'AND e.conversation_id = ?' : ''}
          ORDER BY e.id DESC LIMIT ?`,
        [
          String(rule.id),
          rule.teamId,
          rule.trigger.type,
          rule.id,
          ...(params.conversationId ? [params.conversationId] : []),
          want,
        ]
      )
      misses = found.rows
      missCount = Number(misses[0]?.total ?? 0)
    }

    const all: Row[] = [
      ...(executions as RuleExecution[]).map((e) => ({ ...e.serialize(), source: 'execution' })),
      ...misses.map((m) => ({
        id: null,
        evaluationId: Number(m.id),
        ruleId: rule.id,
        teamId: rule.teamId,
        conversationId: m.conversation_id,
        eventKey: m.event_key,
        event: m.event,
        outcome: 'conditions_failed',
        reason: 'the conditions did not hold',
        conditions: expandTrace(rule.conditions, m.trace ?? [], m.facts ?? {}),
        actions: [],
        durationMs: null,
        createdAt: new Date(m.created_at).toISOString(),
        source: 'evaluation',
      })),
    ]
    const entries = all
      .sort((x, y) => Date.parse(String(y.createdAt)) - Date.parse(String(x.createdAt)))
      .slice(offset, offset + perPage)
    const total = Number(actedCount?.$extras?.n ?? 0) + missCount
    return { data: entries, meta: { total, page, perPage, totalCapped: false } }
  }

  /**
   * What the rule would do now: for a conversation (its latest customer
   * message as the event, unless an event is given) or for an event alone.
   * Runs in a transaction that is rolled back, and the engine writes
   * nothing in a dry run anyway.
   */
  async dryRun(
    rule: Rule,
    input: {
      conversationId?: number
      event?: { type: string; conversationId?: number; data?: Record<string, unknown> }
    }
  ) {
    const conversationId = input.conversationId ?? input.event?.conversationId
    const trx = await db.transaction()
    try {
      const team = await trx.from('teams').where('id', rule.teamId).first()
      const conversation = conversationId
        ? await trx
            .from('conversations')
            .where({ id: conversationId, team_id: rule.teamId })
            .first()
        : null
      if (conversationId && !conversation) {
        throw invalidField(
          input.conversationId ? 'conversationId' : 'event.conversationId',
          'exists',
          "No such conversation in this rule's team"
        )
      }
      const message = conversation
        ? await trx
            .from('messages')
            .where({ conversation_id: conversation.id, direction: 'inbound' })
            .orderBy('id', 'desc')
            .first()
        : null
      const type = (input.event?.type ?? rule.trigger.type) as RuleEvent['type']
      const event: RuleEvent = {
        type,
        key: `dry-run:${randomUUID()}`,
        teamId: rule.teamId,
        conversationId: conversation?.id ?? null,
        data: input.event?.data ?? (message ? { messageId: message.id } : {}),
        chain: [],
      }
      const rows: FactRows = { team, conversation, message }
      const compiled = compileRule(this.rowOf(rule))
      let evaluation: Record<string, any>
      if (type !== rule.trigger.type || !triggerAccepts(rule.trigger, event)) {
        evaluation = {
          ruleId: rule.id,
          ruleName: rule.name,
          outcome: 'trigger_mismatch',
          reason:
            type !== rule.trigger.type
              ? `the rule listens for ${rule.trigger.type}, not ${type}`
              : `the event's data does not match the trigger ${JSON.stringify(rule.trigger)}`,
          conditions: [],
          actions: [],
        }
      } else {
        const result = await runRules(trx, event, rows, { dryRun: true, rules: [compiled] })
        evaluation = {
          ...result.evaluations[0],
          ...(!rule.enabled && { note: 'The rule is disabled: it would not run until enabled.' }),
        }
      }
      // The engine loaded what the rule reads unless the trigger did not match.
      await loadFacts(trx, rows, needs(compiled.fields))
      const facts = factsOf(rows, event)
      return {
        event,
        evaluation,
        conditions: conditionsSeen(rule.conditions, facts, evaluation.conditions),
        actions: actionsRendered(rule.actions, rows, facts),
      }
    } finally {
      await trx.rollback()
    }
  }

  private rowOf(rule: Rule): Row {
    return {
      id: rule.id,
      team_id: rule.teamId,
      name: rule.name,
      enabled: rule.enabled,
      trigger: rule.trigger,
      conditions: rule.conditions,
      actions: rule.actions,
      stop_processing: rule.stopProcessing,
      cooldown_seconds: rule.cooldownSeconds,
    }
  }

  /**
   * A custom event from an integration: runs the team's `custom` rules whose
   * name matches, now. The same `id` twice runs them once.
   */
  async customEvent(
    user: User,
    input: {
      id?: string
      name: string
      teamId?: number
      conversationId?: number
      contact?: { id?: number; email?: string; phone?: string }
      data?: Record<string, unknown>
    }
  ) {
    let teamId: number
    let conversationId: number | null = null
    if (input.conversationId) {
      const conversation = await db.from('conversations').where('id', input.conversationId).first()
      const visible = await visibleTeamIds(user)
      if (!conversation || (visible !== null && !visible.includes(conversation.team_id))) {
        throw invalidField('conversationId', 'exists', 'No such conversation among your teams')
      }
      teamId = conversation.team_id
      conversationId = conversation.id
    } else {
      teamId = await this.teamFor(user, input.teamId)
      const c = input.contact ?? {}
      const query = db.from('contacts').where('team_id', teamId)
      if (c.id) query.where('id', c.id)
      else if (c.email) query.whereRaw('lower(email) = ?', [c.email])
      else if (c.phone) query.where('phone', c.phone)
      else throw invalidField('contact', 'required', 'Name the contact by id, email or phone')
      const contact = await query.first()
      if (!contact) throw invalidField('contact', 'exists', 'No such contact in this team')
      const latest = await db
        .from('conversations')
        .where('contact_id', contact.id)
        .orderBy('last_message_at', 'desc')
        .orderBy('id', 'desc')
        .first()
      conversationId = latest?.id ?? null
    }
    const key = `custom:${teamId}:${input.id ?? randomUUID()}`
    const result = await dispatch({
      type: 'custom',
      key,
      teamId,
      conversationId,
      data: { name: input.name, data: input.data ?? {} },
      chain: [],
    })
    return {
      key,
      conversationId,
      evaluations: (result?.evaluations ?? []).map((e) => ({
        ruleId: e.ruleId,
        ruleName: e.ruleName,
        outcome: e.outcome,
        reason: e.reason,
      })),
    }
  }
}
