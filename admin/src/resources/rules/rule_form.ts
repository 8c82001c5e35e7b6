/*
| A rule as the builder edits it, and back. The form's name paths are the
| API's JSON paths (`trigger.count`, `conditions.any.0.value`,
| `actions.1.url`), so a 422 lands on the input it names; the few places
| where they differ (empty groups dropped on save, errors about a whole
| condition or action) are mapped here. No React and no antd: the unit
| tests import this file directly.
*/
import type { components } from '../../api/schema.js'

type Schemas = components['schemas']
export type RuleSchema = Schemas['RuleSchema']
export type RuleOption = Schemas['RuleOption']
export type ConditionField = RuleSchema['conditionFields'][number]
export type OperatorSpec = RuleSchema['operators'][number]
export type ValueType = OperatorSpec['valueType']
export type FieldType = ConditionField['type']
export type TriggerKind = RuleSchema['triggers'][number]
export type ActionKind = RuleSchema['actions'][number]

type Json = Record<string, unknown>
/** The API describes triggers and actions as `{type}` plus the options GET /rules/schema lists. */
export type Trigger = Schemas['RuleTrigger'] & Json
export type Action = Schemas['RuleAction'] & Json

/** A condition tree; the API document leaves it an open object, the README describes it. */
export type Condition = { field?: string; operator?: string; value?: unknown }
export type Group = { all: ConditionNode[] } | { any: ConditionNode[] }
export type ConditionNode = Condition | Group
export type GroupKey = 'all' | 'any'

/** The portable rule: what export writes, import reads and the JSON tab shows. */
export type RuleDefinition = Pick<
  Schemas['Rule'],
  'name' | 'enabled' | 'priority' | 'stopProcessing' | 'cooldownSeconds'
> & { trigger: Trigger; conditions: Group; actions: Action[] }

/** What the builder's form holds. The root of the conditions is always a group. */
export interface RuleFormValues {
  name: string
  teamId?: number
  enabled: boolean
  /** Kept for the JSON tab; the list's order sets it. */
  priority?: number
  trigger: Trigger
  conditions: Group
  actions: Action[]
  stopProcessing: boolean
  cooldownSeconds: number | null
}

export type NamePath = Array<string | number>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function isGroup(node: unknown): node is Group {
  return isObject(node) && ('all' in node || 'any' in node)
}

/** `all` unless the group says `any` (a group with both is read as `all`, as the form can show one). */
export function groupKey(node: unknown): GroupKey {
  return isObject(node) && 'any' in node && !('all' in node) ? 'any' : 'all'
}

export function childrenOf(group: unknown): ConditionNode[] {
  if (!isObject(group)) return []
  const list = group[groupKey(group)]
  return Array.isArray(list) ? (list as ConditionNode[]) : []
}

const clone = <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)

function nodeToForm(node: unknown): ConditionNode {
  if (isGroup(node)) {
    const key = groupKey(node)
    return { [key]: childrenOf(node).map(nodeToForm) } as Group
  }
  return isObject(node) ? (clone(node) as Condition) : {}
}

/**
 * A rule (from the API, an export or the JSON tab) as form values. Lenient:
 * whatever is missing gets the default the API would use, and whatever is
 * wrong is kept for the API to name.
 */
export function toForm(rule: unknown): RuleFormValues {
  const r = isObject(rule) ? rule : {}
  const conditions = r.conditions
  const root: Group = isGroup(conditions)
    ? (nodeToForm(conditions) as Group)
    : isObject(conditions)
      ? { all: [nodeToForm(conditions)] }
      : { all: [] }
  return {
    name: typeof r.name === 'string' ? r.name : '',
    ...(typeof r.teamId === 'number' && { teamId: r.teamId }),
    enabled: typeof r.enabled === 'boolean' ? r.enabled : true,
    ...(typeof r.priority === 'number' && { priority: r.priority }),
    trigger: isObject(r.trigger) ? (clone(r.trigger) as Trigger) : ({} as Trigger),
    conditions: root,
    actions: Array.isArray(r.actions)
      ? r.actions.map((a) => (isObject(a) ? clone(a) : {}) as Action)
      : [],
    stopProcessing: typeof r.stopProcessing === 'boolean' ? r.stopProcessing : false,
    cooldownSeconds: typeof r.cooldownSeconds === 'number' ? r.cooldownSeconds : 0,
  }
}

/** An option left empty is not sent: the API then uses its default, or names it as missing. */
const blank = (value: unknown) => value === undefined || value === null || value === ''

function cleanOptions<T extends Json>(body: T | undefined): T {
  const out: Json = {}
  for (const [key, value] of Object.entries(body ?? {})) {
    if (!blank(value)) out[key] = clone(value)
  }
  return out as T
}

/** API path prefix → form name path, for conditions that moved when empty groups were dropped. */
export type PathMap = Array<[api: string, form: NamePath]>

function cleanCondition(node: Condition): Condition {
  const out: Condition = {}
  for (const [key, value] of Object.entries(node)) {
    // An emptied value is missing (the API says so on the input); null is a value.
    if (value === undefined || (key === 'value' && value === '')) continue
    ;(out as Json)[key] = clone(value)
  }
  return out
}

/**
 * The tree the API gets. Groups left empty are dropped (they say nothing,
 * and `any` of nothing never holds); the map remembers where each kept node
 * sits in the form.
 */
function cleanTree(root: Group, paths: PathMap): Group {
  const walk = (node: ConditionNode, api: string, form: NamePath): ConditionNode | null => {
    if (!isGroup(node)) {
      paths.push([api, form])
      return cleanCondition(node)
    }
    const key = groupKey(node)
    const kept: ConditionNode[] = []
    childrenOf(node).forEach((child, i) => {
      const cleaned = walk(child, `${api}.${key}.${kept.length}`, [...form, key, i])
      if (cleaned) kept.push(cleaned)
    })
    if (!kept.length && api !== 'conditions') return null
    paths.push([api, form])
    return { [key]: kept } as Group
  }
  const cleaned = walk(isGroup(root) ? root : { all: [] }, 'conditions', ['conditions'])
  const group = cleaned && isGroup(cleaned) ? cleaned : { all: [] }
  // An empty root holds always; `any: []` would never hold.
  return childrenOf(group).length ? group : { all: [] }
}

/** The rule the API gets from the form, and where its conditions came from. */
export function fromForm(values: RuleFormValues): { rule: RuleDefinition; paths: PathMap } {
  const paths: PathMap = []
  const rule: RuleDefinition = {
    name: values.name ?? '',
    enabled: values.enabled ?? true,
    ...(typeof values.priority === 'number' && { priority: values.priority }),
    trigger: cleanOptions(values.trigger) as Trigger,
    conditions: cleanTree(values.conditions, paths),
    actions: (values.actions ?? []).map((a) => cleanOptions(a) as Action),
    stopProcessing: values.stopProcessing ?? false,
    cooldownSeconds: typeof values.cooldownSeconds === 'number' ? values.cooldownSeconds : 0,
  }
  return { rule, paths }
}

export function toJsonText(values: RuleFormValues): string {
  return JSON.stringify(fromForm(values).rule, null, 2)
}

export type ParsedRule = { ok: true; values: RuleFormValues } | { ok: false; error: string }

/** The JSON tab's text as form values, or why it cannot be. */
export function parseRuleJson(text: string): ParsedRule {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` }
  }
  if (isObject(parsed) && Array.isArray(parsed.rules)) {
    return {
      ok: false,
      error: 'This is an export of several rules: use Import on the rules list instead.',
    }
  }
  if (!isObject(parsed)) return { ok: false, error: 'A rule is a JSON object: { "name": ... }' }
  return { ok: true, values: toForm(parsed) }
}

const toPath = (dotted: string): NamePath =>
  dotted
    .split('.')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))

/**
 * Where an API error's `field` shows in the form. Paths inside the
 * conditions are translated through the map from `fromForm`; an error about
 * a whole condition goes to its field picker, about a whole action or the
 * trigger to its type.
 */
export function formPathOf(field: string, paths: PathMap = []): NamePath {
  let path = toPath(field)
  if (path[0] === 'conditions') {
    let best: [string, NamePath] | undefined
    for (const entry of paths) {
      const [api] = entry
      if ((field === api || field.startsWith(`${api}.`)) && api.length > (best?.[0].length ?? -1))
        best = entry
    }
    if (best) path = [...best[1], ...toPath(field.slice(best[0].length))]
    const last = path[path.length - 1]
    const isConditionLevel =
      typeof last === 'number' && paths.some(([api]) => api === field) && !isGroupPath(field, paths)
    if (isConditionLevel) path = [...path, 'field']
  }
  if (path[0] === 'actions' && path.length === 2 && typeof path[1] === 'number') {
    path = [...path, 'type']
  }
  if (path.length === 1 && path[0] === 'trigger') path = ['trigger', 'type']
  return path
}

function isGroupPath(field: string, paths: PathMap): boolean {
  // A group's children are recorded below it.
  return paths.some(([api]) => api.startsWith(`${field}.all.`) || api.startsWith(`${field}.any.`))
}

export type ApiFieldError = { field?: string; message: string }

/** `rules.3.actions.0.url` → rule 3's `actions.0.url`; for the import's error list. */
export function splitImportPath(field: string): { rule: number | null; path: string } {
  const match = /^rules\.(\d+)(?:\.(.*))?$/.exec(field)
  if (!match) return { rule: null, path: field }
  return { rule: Number(match[1]), path: match[2] ?? '' }
}

/** The condition field a name means: `contact.attributes.plan` is the `contact.attributes.*` family. */
export function fieldSpec(
  schema: Pick<RuleSchema, 'conditionFields'>,
  name: string | undefined
): ConditionField | undefined {
  if (!name) return undefined
  const exact = schema.conditionFields.find((f) => f.name === name && !f.pattern)
  if (exact) return exact
  return schema.conditionFields.find(
    (f) => f.pattern && name.startsWith(f.name.slice(0, -1)) && name.length >= f.name.length - 1
  )
}

/** `contact.attributes.plan` → [`contact.attributes.*`, `plan`]; a plain field has no key. */
export function splitField(
  schema: Pick<RuleSchema, 'conditionFields'>,
  name: string | undefined
): { family: string | undefined; key: string } {
  const spec = fieldSpec(schema, name)
  if (!spec || !spec.pattern || !name) return { family: spec?.name ?? name, key: '' }
  return { family: spec.name, key: name.slice(spec.name.length - 1) }
}

export function joinField(family: string, key: string): string {
  return family.endsWith('*') ? `${family.slice(0, -1)}${key}` : family
}

export function operatorSpec(
  schema: Pick<RuleSchema, 'operators'>,
  name: string | undefined
): OperatorSpec | undefined {
  return schema.operators.find((o) => o.name === name)
}

const NUMERIC = /^-?\d+(\.\d+)?$/

function scalarFor(value: unknown, type: FieldType | undefined, choices?: unknown[]): unknown {
  if (Array.isArray(value)) return scalarFor(value[0], type, choices)
  if (value === undefined || value === null || value === '') return undefined
  switch (type) {
    case 'number':
    case 'id':
      if (typeof value === 'number') return value
      return typeof value === 'string' && NUMERIC.test(value.trim()) ? Number(value) : undefined
    case 'boolean':
      if (typeof value === 'boolean') return value
      return value === 'true' ? true : value === 'false' ? false : undefined
    case 'enum':
      return choices?.includes(value) ? value : undefined
    case 'string':
    case 'string[]':
      return typeof value === 'object' ? undefined : String(value)
    default:
      return typeof value === 'object' ? undefined : value
  }
}

/**
 * A condition's value made fit for its operator and field after either
 * changed: a list for `in`, a number for `gt`, nothing for `present`; what
 * cannot be carried over is dropped so the input starts empty.
 */
export function coerceValue(
  value: unknown,
  valueType: ValueType | undefined,
  field: Pick<ConditionField, 'type' | 'enum'> | undefined
): unknown {
  const type = field?.type
  switch (valueType) {
    case 'none':
      return undefined
    case 'list': {
      const items = Array.isArray(value) ? value : value === undefined ? [] : [value]
      return items
        .map((item) => scalarFor(item, type === 'string[]' ? 'string' : type, field?.enum))
        .filter((item) => item !== undefined)
    }
    case 'number':
      return scalarFor(value, 'number')
    case 'string':
    case 'pattern':
      return scalarFor(value, 'string')
    default:
      return scalarFor(value, type, field?.enum)
  }
}

/** Whether an option is due given its siblings (`requiredIf`: another missing, or equal to a value). */
export function isRequired(option: RuleOption, siblings: Json | undefined): boolean {
  if (option.required) return true
  const when = option.requiredIf as
    { missing?: string; option?: string; equals?: unknown } | undefined
  if (!when) return false
  if (when.missing !== undefined) return blank(siblings?.[when.missing])
  return when.option !== undefined && siblings?.[when.option] === when.equals
}

/** A new action of a type, keeping the options the old one had that the new type also takes. */
export function changeActionType(
  previous: Action | undefined,
  type: string,
  kind?: ActionKind
): Action {
  const keep = new Set(kind?.options.map((o) => o.name) ?? [])
  const carried: Json = {}
  for (const [key, value] of Object.entries(previous ?? {})) {
    if (key !== 'type' && keep.has(key)) carried[key] = value
  }
  return { type, ...carried } as Action
}

/** A new condition: the first field this trigger gives a value to, and its first operator. */
export function newCondition(schema: RuleSchema, triggerType?: string): Condition {
  const field =
    schema.conditionFields.find(
      (f) => !f.pattern && (!triggerType || !f.triggers || f.triggers.includes(triggerType))
    ) ?? schema.conditionFields[0]
  const operator = field?.operators.includes('contains') ? 'contains' : field?.operators[0]
  return { field: field?.name, operator }
}

/** The number of conditions (not groups) in a tree. */
export function countConditions(node: unknown): number {
  if (isGroup(node)) return childrenOf(node).reduce((n, child) => n + countConditions(child), 0)
  return isObject(node) ? 1 : 0
}

/** How deep groups nest, the root counting as 1. */
export function groupDepth(node: unknown): number {
  if (!isGroup(node)) return 0
  return 1 + Math.max(0, ...childrenOf(node).map(groupDepth))
}

/** `userId` → "User id", `cooldownSeconds` → "Cooldown seconds". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map(shown).join(', ')
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** "Status changed · to: resolved" for the rules list. */
export function triggerSummary(trigger: unknown, schema?: Pick<RuleSchema, 'triggers'>): string {
  const t = isObject(trigger) ? trigger : {}
  const kind = schema?.triggers.find((k) => k.type === t.type)
  const label = kind?.label ?? String(t.type ?? 'No trigger')
  const details = Object.entries(t)
    .filter(([key, value]) => key !== 'type' && !blank(value))
    .map(([key, value]) => `${key}: ${shown(value)}`)
  return details.length ? `${label} · ${details.join(', ')}` : label
}

/** `message.text contains "refund"` */
export function conditionText(
  condition: Condition,
  schema?: Pick<RuleSchema, 'operators' | 'conditionFields'>
): string {
  const operator = schema ? operatorSpec(schema, condition.operator) : undefined
  const parts = [condition.field ?? '?', operator?.label ?? condition.operator ?? '?']
  if (condition.value !== undefined && operator?.valueType !== 'none') {
    parts.push(JSON.stringify(condition.value))
  }
  return parts.join(' ')
}

/**
 * Values a dry run's event may carry for a trigger: its options as the
 * event would say them (`{to: "resolved"}`), so the trigger matches.
 */
export function sampleEventData(trigger: unknown): Json | undefined {
  const t = isObject(trigger) ? trigger : {}
  switch (t.type) {
    case 'message.received':
    case 'conversation.created':
      return undefined
    case 'custom':
      return { name: t.name, data: {} }
    default: {
      const data: Json = {}
      for (const [key, value] of Object.entries(t)) if (key !== 'type') data[key] = value
      return data
    }
  }
}

/**
 * An API message as it reads under its input: the path it starts with is
 * where it already shows. "conditions.any.0.value must be a number for gt"
 * → "Must be a number for gt".
 */
export function fieldMessage(field: string, message: string): string {
  const match = /^([\w.*-]+?)(?::)?\s+(\S.*)$/s.exec(message)
  if (!match || !match[1].includes('.') || !field.startsWith(match[1])) return message
  return match[2].charAt(0).toUpperCase() + match[2].slice(1)
}
