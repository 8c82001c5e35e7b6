/*
| Rule conditions: `{all: [...]}` / `{any: [...]}`, nested, of
| `{field, operator, value}`. A tree is checked once (errors name the path
| in the JSON) and compiled to closures, so a team's thousand rules cost
| no parsing per message. Evaluation short-circuits and records what each
| condition it reached saw, which is how a rule explains itself.
|
| `matches` uses RE2 semantics (re2js): matching time is linear in the
| text, so no pattern can stall the worker, and the text is capped.
*/
import { RE2JS } from 're2js'

export const OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'matches',
  'present',
  'absent',
  'gt',
  'lt',
  'in',
] as const
export type Operator = (typeof OPERATORS)[number]

/** Fields a condition may read; `contact.attributes.*` and `event.*` take any sub-key. */
export const FIELDS = [
  'message.text',
  'message.command',
  'message.kind',
  'message.attachments',
  'channel',
  'platform',
  'team',
  'status',
  'owner',
  'assignee',
  'tags',
  'priority',
  'contact.name',
  'contact.email',
  'contact.phone',
  'contact.locale',
  'contact.tags',
  'contact.new',
  'business_hours',
  'minutes_since_customer',
  'minutes_since_operator',
  'message_count',
] as const
const PREFIXES = ['contact.attributes.', 'event.']

export interface Condition {
  field: string
  operator: Operator
  value?: unknown
}
export type ConditionTree = { all: ConditionNode[] } | { any: ConditionNode[] }
export type ConditionNode = ConditionTree | Condition

export interface ConditionError {
  field: string
  rule: string
  message: string
}

/** What a compiled condition reads: `get(field)` answers the value it sees. */
export interface Facts {
  get(field: string): unknown
}

export interface ConditionTrace {
  path: string
  field: string
  operator: Operator
  value?: unknown
  seen: unknown
  result: boolean
}

type Compiled = (facts: Facts, trace: ConditionTrace[] | null) => boolean

const MAX_DEPTH = 6
const MAX_CONDITIONS = 100
/** Regex matching reads at most this much of a text. */
const MATCH_TEXT_LIMIT = 10_000

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function knownField(field: string) {
  return (FIELDS as readonly string[]).includes(field) || PREFIXES.some((p) => field.startsWith(p))
}

/** Every problem of a condition tree, each naming its path below `at`. */
export function checkConditions(tree: unknown, at = 'conditions'): ConditionError[] {
  const errors: ConditionError[] = []
  let count = 0
  const walk = (node: unknown, path: string, depth: number) => {
    if (!isObject(node)) {
      errors.push({ field: path, rule: 'object', message: `${path} must be an object` })
      return
    }
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any'
      if ('all' in node && 'any' in node) {
        errors.push({
          field: path,
          rule: 'group',
          message: `${path} must have "all" or "any", not both`,
        })
        return
      }
      if (depth >= MAX_DEPTH) {
        errors.push({
          field: path,
          rule: 'depth',
          message: `${path} nests deeper than ${MAX_DEPTH} groups`,
        })
        return
      }
      const list = node[key]
      if (!Array.isArray(list)) {
        errors.push({
          field: `${path}.${key}`,
          rule: 'array',
          message: `${path}.${key} must be an array`,
        })
        return
      }
      list.forEach((child, i) => walk(child, `${path}.${key}.${i}`, depth + 1))
      return
    }
    count++
    if (count > MAX_CONDITIONS) {
      if (count === MAX_CONDITIONS + 1) {
        errors.push({
          field: path,
          rule: 'maxConditions',
          message: `A rule has at most ${MAX_CONDITIONS} conditions`,
        })
      }
      return
    }
    const { field, operator, value } = node
    if (typeof field !== 'string' || !knownField(field)) {
      errors.push({
        field: `${path}.field`,
        rule: 'field',
        message: `${path}.field must be one of ${FIELDS.join(', ')}, contact.attributes.<name> or event.<name>`,
      })
    }
    if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
      errors.push({
        field: `${path}.operator`,
        rule: 'operator',
        message: `${path}.operator must be one of ${OPERATORS.join(', ')}`,
      })
      return
    }
    const needsValue = operator !== 'present' && operator !== 'absent'
    if (needsValue && value === undefined) {
      errors.push({
        field: `${path}.value`,
        rule: 'required',
        message: `${path}.value is required for ${operator}`,
      })
    } else if ((operator === 'gt' || operator === 'lt') && typeof value !== 'number') {
      errors.push({
        field: `${path}.value`,
        rule: 'number',
        message: `${path}.value must be a number for ${operator}`,
      })
    } else if (operator === 'in' && !Array.isArray(value)) {
      errors.push({
        field: `${path}.value`,
        rule: 'array',
        message: `${path}.value must be an array for in`,
      })
    } else if (operator === 'matches') {
      if (typeof value !== 'string' || value.length > 500) {
        errors.push({
          field: `${path}.value`,
          rule: 'regex',
          message: `${path}.value must be a pattern of at most 500 characters`,
        })
      } else {
        try {
          RE2JS.compile(value)
        } catch (error) {
          errors.push({
            field: `${path}.value`,
            rule: 'regex',
            message: `${path}.value is not a valid pattern: ${(error as Error).message}`,
          })
        }
      }
    }
  }
  walk(tree, at, 0)
  return errors
}

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : String(value)
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return a.some((item) => same(item, b))
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b)
  return a === b
}

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false
  return !Array.isArray(value) || value.length > 0
}

function compileTest(operator: Operator, value: unknown): (seen: unknown) => boolean {
  switch (operator) {
    case 'equals':
      return (seen) => same(seen, value)
    case 'not_equals':
      return (seen) => !same(seen, value)
    case 'contains':
    case 'not_contains': {
      const needle = text(value).toLowerCase()
      const test = (seen: unknown) =>
        Array.isArray(seen)
          ? seen.some((item) => same(item, value))
          : text(seen).toLowerCase().includes(needle)
      return operator === 'contains' ? test : (seen) => !test(seen)
    }
    case 'matches': {
      const pattern = RE2JS.compile(text(value))
      return (seen) =>
        Array.isArray(seen)
          ? seen.some((item) => pattern.matcher(text(item).slice(0, MATCH_TEXT_LIMIT)).find())
          : pattern.matcher(text(seen).slice(0, MATCH_TEXT_LIMIT)).find()
    }
    case 'present':
      return present
    case 'absent':
      return (seen) => !present(seen)
    case 'gt':
      return (seen) => seen !== null && seen !== undefined && Number(seen) > Number(value)
    case 'lt':
      return (seen) => seen !== null && seen !== undefined && Number(seen) < Number(value)
    case 'in': {
      const options = value as unknown[]
      return (seen) => options.some((option) => same(seen, option))
    }
  }
}

/** A checked tree as one function; `trace` (when given) receives each condition reached. */
export function compileConditions(tree: ConditionNode | undefined | null): Compiled {
  if (!tree) return () => true
  const build = (node: ConditionNode, path: string): Compiled => {
    if ('all' in node || 'any' in node) {
      const key = 'all' in node ? 'all' : 'any'
      const children = ((node as Record<string, ConditionNode[]>)[key] ?? []).map((child, i) =>
        build(child, `${path}.${key}.${i}`)
      )
      return key === 'all'
        ? (facts, trace) => children.every((child) => child(facts, trace))
        : (facts, trace) => children.length === 0 || children.some((child) => child(facts, trace))
    }
    const condition = node as Condition
    const test = compileTest(condition.operator, condition.value)
    return (facts, trace) => {
      const seen = facts.get(condition.field)
      const result = test(seen)
      trace?.push({
        path,
        field: condition.field,
        operator: condition.operator,
        value: condition.value,
        seen: clip(seen),
        result,
      })
      return result
    }
  }
  return build(tree, 'conditions')
}

/** Long values are cut in the log: it explains, it does not archive. */
function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…`
  return value
}
