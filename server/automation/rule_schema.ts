/*
| GET /api/v1/rules/schema: what a rule may say, for form builders. Read
| from the lists the validator, the condition checks, the templates and
| the engine use, so it cannot tell a different story from what they accept.
| Options come from the validator's own JSON Schema (VineJS), flattened.
*/
import type { SchemaTypes } from '@vinejs/vine/types'
import {
  ACTIONS,
  ACTION_SCHEMAS,
  ACTION_TYPES,
  TRIGGERS,
  TRIGGER_SCHEMAS,
  TRIGGER_TYPES,
  ruleFields,
  type OptionNotes,
} from '#validators/rule'
import {
  CONDITION_LIMITS,
  FIELDS,
  FIELD_PREFIXES,
  OPERATORS,
  type FactSource,
  type FieldType,
} from '#automation/conditions'
import { TEMPLATE_VARIABLES } from '#automation/facts'
import { LOOP_LIMIT, MAX_CHAIN } from '#automation/engine'
import { MAX_DURATION, MIN_DURATION } from '#operators/commands'

type Json = Record<string, any>

export interface RuleOption extends OptionNotes {
  name: string
  /** string, integer, number, boolean, enum, or a list of one of them (`string[]`). */
  type: string
  required: boolean
  enum?: unknown[]
  /** Bounds of a number. */
  min?: number
  max?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  /** duration (10m, 2h, 1d), timezone, cron, uri. */
  format?: string
}

function jsonOf(schema: SchemaTypes): Json {
  return schema.toJSONSchema() as Json
}

/** VineJS writes a boolean as the enum of what it accepts ("1", "on", true...). */
function isBoolean(schema: Json) {
  return Array.isArray(schema.enum) && schema.enum.includes(true) && schema.enum.includes(false)
}

function typeOf(schema: Json): string {
  if (isBoolean(schema)) return 'boolean'
  if (Array.isArray(schema.enum)) return 'enum'
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`
  return typeof schema.type === 'string' ? schema.type : 'any'
}

const COPIED = [
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'format',
  'description',
  'template',
  'ref',
  'requiredIf',
] as const

function optionOf(name: string, schema: Json, required: boolean): RuleOption {
  const type = typeOf(schema)
  const option: RuleOption = { name, type, required }
  const items = schema.type === 'array' ? (schema.items ?? {}) : undefined
  const enumOf = isBoolean(schema) ? undefined : (schema.enum ?? items?.enum)
  if (enumOf) option.enum = enumOf
  if (schema.minimum !== undefined) option.min = schema.minimum
  if (schema.maximum !== undefined) option.max = schema.maximum
  for (const key of COPIED) if (schema[key] !== undefined) (option as Json)[key] = schema[key]
  // A list's item pattern is what each entry must match.
  if (items?.pattern && option.pattern === undefined) option.pattern = items.pattern
  return option
}

/** The options of one trigger or action: its object's properties but `type`. */
function optionsOf(schema: SchemaTypes): RuleOption[] {
  const json = jsonOf(schema)
  const required = new Set<string>(json.required ?? [])
  return Object.entries<Json>(json.properties ?? {})
    .filter(([name]) => name !== 'type')
    .map(([name, property]) => optionOf(name, property, required.has(name)))
}

function triggersProviding(source: FactSource): string[] | undefined {
  // The team and the event's own data are there for every trigger.
  if (source === 'team' || source === 'event') return undefined
  return TRIGGER_TYPES.filter((t) => (TRIGGERS[t].provides as FactSource[]).includes(source))
}

function operatorsFor(type: FieldType): string[] {
  return Object.entries(OPERATORS)
    .filter(([, spec]) => (spec.types as readonly FieldType[]).includes(type))
    .map(([name]) => name)
}

function boundsOf(schema: SchemaTypes) {
  const json = jsonOf(schema)
  return { min: json.minimum ?? json.minItems ?? null, max: json.maximum ?? json.maxItems ?? null }
}

export function rulesSchema() {
  const triggers = TRIGGER_TYPES.map((type) => {
    const kind = TRIGGERS[type]
    return {
      type,
      label: kind.label,
      description: kind.description,
      options: optionsOf(TRIGGER_SCHEMAS[type]),
      eventFields: Object.entries<string>(kind.event).map(([key, description]) => ({
        name: `event.${key}`,
        description,
      })),
    }
  })

  const conditionFields = [
    ...Object.entries(FIELDS).map(([name, spec]) => {
      const values = 'values' in spec ? spec.values() : undefined
      const triggersFor = triggersProviding(spec.reads)
      return {
        name,
        type: spec.type,
        label: spec.label,
        ...(values && { enum: [...values] }),
        ...(triggersFor && { triggers: triggersFor }),
        operators: operatorsFor(spec.type),
      }
    }),
    ...Object.entries(FIELD_PREFIXES).map(([prefix, spec]) => {
      const triggersFor = triggersProviding(spec.reads)
      return {
        name: `${prefix}*`,
        type: spec.type,
        label: spec.label,
        pattern: true,
        ...(triggersFor && { triggers: triggersFor }),
        operators: operatorsFor(spec.type),
      }
    }),
  ]

  const operators = Object.entries(OPERATORS).map(([name, spec]) => ({
    name,
    label: spec.label,
    valueType: spec.value,
    types: spec.types,
  }))

  const actions = ACTION_TYPES.map((type) => {
    const kind = ACTIONS[type]
    return {
      type,
      label: kind.label,
      description: kind.description,
      options: optionsOf(ACTION_SCHEMAS[type]),
      allowedOnSchedule: !kind.needsConversation,
    }
  })

  const templates = {
    syntax: '{{name}}',
    fallback: '{{name | fallback}}',
    variables: [
      ...Object.entries(FIELDS).map(([name, spec]) => ({ name, label: spec.label })),
      ...Object.entries(TEMPLATE_VARIABLES).map(([name, spec]) => ({ name, label: spec.label })),
    ],
    patterns: Object.keys(FIELD_PREFIXES).map((prefix) => `${prefix}*`),
  }

  const limits = {
    nameLength: { min: jsonOf(ruleFields.name).minLength, max: jsonOf(ruleFields.name).maxLength },
    priority: boundsOf(ruleFields.priority),
    cooldownSeconds: boundsOf(ruleFields.cooldownSeconds),
    actions: boundsOf(ruleFields.actions),
    conditionDepth: CONDITION_LIMITS.maxDepth,
    conditions: CONDITION_LIMITS.maxConditions,
    patternLength: CONDITION_LIMITS.patternMaxLength,
    matchedTextLength: CONDITION_LIMITS.matchTextLimit,
    durationSeconds: { min: MIN_DURATION / 1000, max: MAX_DURATION / 1000 },
    sameRuleInChain: LOOP_LIMIT,
    chainLength: MAX_CHAIN,
  }

  return { triggers, conditionFields, operators, actions, templates, limits }
}

/** Per action type, the options whose placeholders are filled in when it runs. */
export const TEMPLATE_OPTIONS: Record<string, string[]> = Object.fromEntries(
  ACTION_TYPES.map((type) => [
    type,
    optionsOf(ACTION_SCHEMAS[type])
      .filter((o) => o.template)
      .map((o) => o.name),
  ])
)
