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
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES, PRIORITIES } from '#models/conversation'
import { MESSAGE_KINDS } from '#channels/port'
import { channelPlatforms } from '#channels/registry'

/** What a field reads: the rows an event brings (a schedule tick brings only the team). */
export type FactSource = 'message' | 'conversation' | 'contact' | 'team' | 'event'

/** The kind of value a field holds; `id` is a record's number, `any` whatever was stored. */
export type FieldType = 'string' | 'number' | 'boolean' | 'enum' | 'id' | 'string[]' | 'any'

interface FieldSpec {
  type: FieldType
  label: string
  reads: FactSource
  /** The values an `enum` field takes (platforms: those this install speaks). */
  values?: () => readonly string[]
}

/**
 * Fields a condition (and a template) may read, as facts.ts answers them.
 * GET /api/v1/rules/schema describes rules from this list.
 */
export const FIELDS = {
  'message.text': { type: 'string', label: 'Message text', reads: 'message' },
  'message.command': { type: 'string', label: 'Command (without /)', reads: 'message' },
  'message.kind': {
    type: 'enum',
    label: 'Message kind',
    reads: 'message',
    values: () => MESSAGE_KINDS,
  },
  'message.attachments': { type: 'number', label: 'Number of files', reads: 'message' },
  'channel': { type: 'id', label: 'Channel', reads: 'conversation' },
  'platform': {
    type: 'enum',
    label: 'Platform',
    reads: 'conversation',
    values: () => channelPlatforms(),
  },
  'team': { type: 'id', label: 'Team', reads: 'team' },
  'status': {
    type: 'enum',
    label: 'Status',
    reads: 'conversation',
    values: () => CONVERSATION_STATUSES,
  },
  'owner': {
    type: 'enum',
    label: 'Owner',
    reads: 'conversation',
    values: () => CONVERSATION_OWNERS,
  },
  'assignee': { type: 'id', label: 'Assignee (user id)', reads: 'conversation' },
  'tags': { type: 'string[]', label: 'Conversation tags', reads: 'conversation' },
  'priority': { type: 'enum', label: 'Priority', reads: 'conversation', values: () => PRIORITIES },
  'contact.name': { type: 'string', label: 'Contact name', reads: 'contact' },
  'contact.email': { type: 'string', label: 'Contact email', reads: 'contact' },
  'contact.phone': { type: 'string', label: 'Contact phone', reads: 'contact' },
  'contact.locale': { type: 'string', label: 'Contact language', reads: 'contact' },
  'contact.tags': { type: 'string[]', label: 'Contact tags', reads: 'contact' },
  'contact.new': { type: 'boolean', label: 'First conversation of the contact', reads: 'contact' },
  'business_hours': { type: 'boolean', label: 'Within business hours', reads: 'team' },
  'minutes_since_customer': {
    type: 'number',
    label: 'Minutes since the customer wrote',
    reads: 'conversation',
  },
  'minutes_since_operator': {
    type: 'number',
    label: 'Minutes since a person replied',
    reads: 'conversation',
  },
  'message_count': { type: 'number', label: 'Customer messages', reads: 'conversation' },
} satisfies Record<string, FieldSpec>
export type Field = keyof typeof FIELDS

/** Field families that take any sub-key: `contact.attributes.plan`, `event.data.amount`. */
export const FIELD_PREFIXES = {
  'contact.attributes.': { type: 'any', label: 'Contact attribute', reads: 'contact' },
  'event.': { type: 'any', label: "The event's data", reads: 'event' },
} satisfies Record<string, FieldSpec>

/** What an operator's `value` must be; `none`: it takes no value. */
export type ValueType = 'any' | 'string' | 'pattern' | 'number' | 'list' | 'none'

interface OperatorSpec {
  label: string
  value: ValueType
  /** The field types the operator makes sense for (any operator is accepted on any field). */
  types: readonly FieldType[]
}

const ALL_TYPES: readonly FieldType[] = [
  'string',
  'number',
  'boolean',
  'enum',
  'id',
  'string[]',
  'any',
]
const SCALARS: readonly FieldType[] = ['string', 'number', 'boolean', 'enum', 'id', 'any']
const TEXTS: readonly FieldType[] = ['string', 'string[]', 'any']
const NUMBERS: readonly FieldType[] = ['number', 'any']

export const OPERATORS = {
  equals: { label: 'is', value: 'any', types: SCALARS },
  not_equals: { label: 'is not', value: 'any', types: SCALARS },
  contains: { label: 'contains', value: 'string', types: TEXTS },
  not_contains: { label: 'does not contain', value: 'string', types: TEXTS },
  matches: { label: 'matches the pattern (RE2)', value: 'pattern', types: TEXTS },
  present: { label: 'is present', value: 'none', types: ALL_TYPES },
  absent: { label: 'is absent', value: 'none', types: ALL_TYPES },
  gt: { label: 'is greater than', value: 'number', types: NUMBERS },
  lt: { label: 'is less than', value: 'number', types: NUMBERS },
  in: {
    label: 'is one of',
    value: 'list',
    types: ['string', 'number', 'enum', 'id', 'any'],
  },
} satisfies Record<string, OperatorSpec>
export type Operator = keyof typeof OPERATORS
const OPERATOR_NAMES = Object.keys(OPERATORS) as Operator[]

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

export const CONDITION_LIMITS = {
  /** Groups (`all` / `any`) nest at most this deep, the outermost included. */
  maxDepth: 6,
  maxConditions: 100,
  patternMaxLength: 500,
  /** Regex matching reads at most this much of a text. */
  matchTextLimit: 10_000,
}
const {
  maxDepth: MAX_DEPTH,
  maxConditions: MAX_CONDITIONS,
  patternMaxLength: MAX_PATTERN,
  matchTextLimit: MATCH_TEXT_LIMIT,
} = CONDITION_LIMITS

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function knownField(field: string) {
  return (
    Object.hasOwn(FIELDS, field) || Object.keys(FIELD_PREFIXES).some((p) => field.startsWith(p))
  )
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
        message: `${path}.field must be one of ${Object.keys(FIELDS).join(', ')}, contact.attributes.<name> or event.<name>`,
      })
    }
    if (typeof operator !== 'string' || !Object.hasOwn(OPERATORS, operator)) {
      errors.push({
        field: `${path}.operator`,
        rule: 'operator',
        message: `${path}.operator must be one of ${OPERATOR_NAMES.join(', ')}`,
      })
      return
    }
    const expects = OPERATORS[operator as Operator].value
    if (expects !== 'none' && value === undefined) {
      errors.push({
        field: `${path}.value`,
        rule: 'required',
        message: `${path}.value is required for ${operator}`,
      })
    } else if (expects === 'number' && typeof value !== 'number') {
      errors.push({
        field: `${path}.value`,
        rule: 'number',
        message: `${path}.value must be a number for ${operator}`,
      })
    } else if (expects === 'list' && !Array.isArray(value)) {
      errors.push({
        field: `${path}.value`,
        rule: 'array',
        message: `${path}.value must be an array for ${operator}`,
      })
    } else if (expects === 'pattern') {
      if (typeof value !== 'string' || value.length > MAX_PATTERN) {
        errors.push({
          field: `${path}.value`,
          rule: 'regex',
          message: `${path}.value must be a pattern of at most ${MAX_PATTERN} characters`,
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
export function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 200)}…`
  return value
}
