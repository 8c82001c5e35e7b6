import vine from '@vinejs/vine'
import type { FieldContext, SchemaTypes } from '@vinejs/vine/types'
import { CronExpressionParser } from 'cron-parser'
import { id, pageFields, tagName } from '#validators/common'
import { parseDuration } from '#operators/commands'
import { SPAN, WEEKDAYS, validZone } from '#automation/business_hours'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const duration = vine.createRule((value: unknown, _: undefined, field: FieldContext) => {
  if (typeof value === 'string' && parseDuration(value) === undefined) {
    field.report(
      'The {{ field }} field must be a duration from 1 minute to 30 days, like 10m, 2h or 1d',
      'duration',
      field
    )
  }
})

const timezone = vine.createRule((value: unknown, _: undefined, field: FieldContext) => {
  if (typeof value === 'string' && !validZone(value)) {
    field.report(
      'The {{ field }} field must be an IANA timezone, like Europe/Berlin',
      'timezone',
      field
    )
  }
})

const cron = vine.createRule((value: unknown, _: undefined, field: FieldContext) => {
  if (typeof value !== 'string') return
  try {
    if (value.trim().split(/\s+/).length !== 5) throw new Error('five fields expected')
    CronExpressionParser.parse(value)
  } catch (error) {
    field.report(
      `The {{ field }} field must be a cron expression of five fields (minute hour day month weekday): ${(error as Error).message}`,
      'cron',
      field
    )
  }
})

const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
const EVENT_NAME = /^[a-z0-9][a-z0-9_.:-]{0,99}$/i

export const TRIGGER_TYPES = [
  'message.received',
  'conversation.created',
  'conversation.status_changed',
  'message.count',
  'contact.status',
  'conversation.inactive',
  'escalation',
  'custom',
  'schedule',
] as const

export const ACTION_TYPES = [
  'send_message',
  'ai_answer',
  'hand_off',
  'assign_operator',
  'assign_team',
  'set_status',
  'add_tags',
  'remove_tags',
  'set_priority',
  'add_note',
  'notify_workspace',
  'webhook',
  'delay',
] as const

/** A union over objects told apart by their `type`; an unknown type names the choices. */
function byType(what: string, schemas: Record<string, SchemaTypes>) {
  return vine
    .union(
      Object.entries(schemas).map(([type, schema]) =>
        vine.union.if((value) => isObject(value) && value.type === type, schema)
      )
    )
    .otherwise((_, field) => {
      field.report(
        `The {{ field }} field must be an object whose type is one of: ${Object.keys(schemas).join(', ')}`,
        `${what}Type`,
        field
      )
    })
}

const trigger = byType('trigger', {
  'message.received': vine.object({ type: vine.literal('message.received') }),
  'conversation.created': vine.object({ type: vine.literal('conversation.created') }),
  'conversation.status_changed': vine.object({
    type: vine.literal('conversation.status_changed'),
    from: vine.enum(STATUSES).optional(),
    to: vine.enum(STATUSES).optional(),
  }),
  'message.count': vine.object({
    type: vine.literal('message.count'),
    count: vine.number().withoutDecimals().min(1).max(100000),
  }),
  'contact.status': vine.object({
    type: vine.literal('contact.status'),
    status: vine.enum(['new', 'returning', 'tagged'] as const),
    tag: tagName().optional(),
  }),
  'conversation.inactive': vine.object({
    type: vine.literal('conversation.inactive'),
    waiting: vine.enum(['customer', 'operator'] as const),
    minutes: vine.number().withoutDecimals().min(1).max(43200),
  }),
  'escalation': vine.object({
    type: vine.literal('escalation'),
    source: vine.enum(['customer', 'assistant', 'rule'] as const).optional(),
  }),
  'custom': vine.object({
    type: vine.literal('custom'),
    name: vine.string().trim().regex(EVENT_NAME),
  }),
  'schedule': vine.object({
    type: vine.literal('schedule'),
    cron: vine.string().trim().maxLength(100).use(cron()),
    timezone: vine.string().trim().maxLength(64).use(timezone()).optional(),
  }),
})

const text = () => vine.string().trim().minLength(1).maxLength(4000)
const tags = () => vine.array(tagName()).minLength(1).maxLength(20)

const action = byType('action', {
  send_message: vine.object({ type: vine.literal('send_message'), text: text() }),
  ai_answer: vine.object({ type: vine.literal('ai_answer') }),
  hand_off: vine.object({
    type: vine.literal('hand_off'),
    reason: vine.string().trim().minLength(1).maxLength(500).optional(),
    source: vine.enum(['customer', 'rule'] as const).optional(),
  }),
  assign_operator: vine.object({
    type: vine.literal('assign_operator'),
    userId: id().optional().requiredIfMissing('strategy'),
    strategy: vine.enum(['round_robin', 'least_busy'] as const).optional(),
  }),
  assign_team: vine.object({ type: vine.literal('assign_team'), teamId: id() }),
  set_status: vine.object({
    type: vine.literal('set_status'),
    status: vine.enum(STATUSES),
    // How long a snooze lasts.
    for: vine.string().trim().use(duration()).optional().requiredWhen('status', '=', 'snoozed'),
  }),
  add_tags: vine.object({ type: vine.literal('add_tags'), tags: tags() }),
  remove_tags: vine.object({ type: vine.literal('remove_tags'), tags: tags() }),
  set_priority: vine.object({
    type: vine.literal('set_priority'),
    priority: vine.enum(PRIORITIES),
  }),
  add_note: vine.object({ type: vine.literal('add_note'), text: text() }),
  notify_workspace: vine.object({ type: vine.literal('notify_workspace'), text: text() }),
  webhook: vine.object({
    type: vine.literal('webhook'),
    url: vine
      .string()
      .trim()
      .maxLength(2000)
      .url({ protocols: ['http', 'https'], require_tld: false }),
  }),
  delay: vine.object({
    type: vine.literal('delay'),
    for: vine.string().trim().use(duration()),
  }),
})

/** One rule as the API and the JSON export write it. */
export const ruleFields = {
  name: vine.string().trim().minLength(1).maxLength(200),
  enabled: vine.boolean().optional(),
  priority: vine.number().withoutDecimals().min(0).max(1_000_000).optional(),
  trigger,
  // Checked in depth (with paths) by the automation module: VineJS has no recursive schemas.
  conditions: vine.any().optional(),
  actions: vine.array(action).minLength(1).maxLength(20),
  stopProcessing: vine.boolean().optional(),
  cooldownSeconds: vine
    .number()
    .withoutDecimals()
    .min(0)
    .max(30 * 86400)
    .optional(),
}

export const createRuleValidator = vine.create({ teamId: id().optional(), ...ruleFields })

export const updateRuleValidator = vine.create({
  name: ruleFields.name.optional(),
  enabled: vine.boolean().optional(),
  priority: ruleFields.priority,
  trigger: trigger.optional(),
  conditions: vine.any().optional(),
  actions: vine.array(action).minLength(1).maxLength(20).optional(),
  stopProcessing: vine.boolean().optional(),
  cooldownSeconds: ruleFields.cooldownSeconds,
})

export const listRulesValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  enabled: vine.boolean().optional(),
  triggerType: vine.enum(TRIGGER_TYPES).optional(),
})

export const teamQueryValidator = vine.create({ teamId: id().optional() })

export const reorderRulesValidator = vine.create({
  teamId: id().optional(),
  // The team's rule ids, first to run first.
  ids: vine.array(id()).minLength(1).maxLength(5000).distinct(),
})

export const importRulesValidator = vine.create({
  teamId: id().optional(),
  // replace: the team's own rules are deleted first (built-ins are updated by name).
  mode: vine.enum(['merge', 'replace'] as const).optional(),
  rules: vine
    .array(vine.object({ ...ruleFields, builtin: vine.string().trim().maxLength(40).optional() }))
    .minLength(1)
    .maxLength(5000),
})

export const dryRunValidator = vine.create({
  conversationId: id().optional().requiredIfMissing('event'),
  event: vine
    .object({
      type: vine.enum(TRIGGER_TYPES),
      conversationId: id().optional(),
      data: vine.record(vine.any()).optional(),
    })
    .optional(),
})

export const listExecutionsValidator = vine.create({
  ...pageFields,
  outcome: vine.string().trim().maxLength(24).optional(),
  conversationId: id().optional(),
})

export const customEventValidator = vine.create({
  // The sender's own id for the event: sending it again runs nothing twice.
  id: vine.string().trim().minLength(1).maxLength(100).optional(),
  name: vine.string().trim().regex(EVENT_NAME),
  conversationId: id().optional().requiredIfMissing('contact'),
  // A contact by id, or by email or phone within the team.
  contact: vine
    .object({
      id: id().optional(),
      email: vine.string().trim().toLowerCase().email().optional(),
      phone: vine.string().trim().maxLength(40).optional(),
    })
    .optional(),
  teamId: id().optional(),
  data: vine.record(vine.any()).optional(),
})

export const businessHoursSchema = vine
  .object({
    timezone: vine.string().trim().use(timezone()),
    weekly: vine.object(
      Object.fromEntries(
        WEEKDAYS.map((day) => [
          day,
          vine.array(vine.string().trim().regex(SPAN)).maxLength(8).optional(),
        ])
      )
    ),
    holidays: vine
      .array(
        vine
          .string()
          .trim()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
      )
      .maxLength(366)
      .optional(),
  })
  .nullable()
