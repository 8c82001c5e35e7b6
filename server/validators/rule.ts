import vine from '@vinejs/vine'
import type { FieldContext, SchemaTypes } from '@vinejs/vine/types'
import { CronExpressionParser } from 'cron-parser'
import { id, pageFields, tagName } from '#validators/common'
import { parseDuration } from '#operators/commands'
import { SPAN, WEEKDAYS, validZone } from '#automation/business_hours'
import { CONVERSATION_STATUSES as STATUSES, PRIORITIES } from '#models/conversation'
import type { FactSource } from '#automation/conditions'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const duration = vine.createRule(
  (value: unknown, _: undefined, field: FieldContext) => {
    if (typeof value === 'string' && parseDuration(value) === undefined) {
      field.report(
        'The {{ field }} field must be a duration from 1 minute to 30 days, like 10m, 2h or 1d',
        'duration',
        field
      )
    }
  },
  { toJSONSchema: (schema) => Object.assign(schema, { format: 'duration' }) }
)

const timezone = vine.createRule(
  (value: unknown, _: undefined, field: FieldContext) => {
    if (typeof value === 'string' && !validZone(value)) {
      field.report(
        'The {{ field }} field must be an IANA timezone, like Europe/Berlin',
        'timezone',
        field
      )
    }
  },
  { toJSONSchema: (schema) => Object.assign(schema, { format: 'timezone' }) }
)

const cron = vine.createRule(
  (value: unknown, _: undefined, field: FieldContext) => {
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
  },
  { toJSONSchema: (schema) => Object.assign(schema, { format: 'cron' }) }
)

/** What GET /rules/schema says of an option, beyond what its checks tell. */
export interface OptionNotes {
  description?: string
  /** Its `{{placeholders}}` are filled in when the action runs. */
  template?: boolean
  /** The id names a record of this kind. */
  ref?: 'user' | 'team'
  /** Required only then: when another option is missing, or has a value. */
  requiredIf?: { missing: string } | { option: string; equals: string }
}

// Checks nothing: carries the notes into the field's JSON schema. (VineJS's own `.meta()`
// would also let a required field be null.)
const notes = vine.createRule((_value: unknown, _notes: OptionNotes) => {}, {
  name: 'notes',
  toJSONSchema: (schema, given) => Object.assign(schema, given),
})
const about = (description: string) => notes({ description })

const EVENT_NAME = /^[a-z0-9][a-z0-9_.:-]{0,99}$/i

interface Kind {
  label: string
  description: string
  /** Its options besides `type`, each checked as written here. */
  options: Record<string, SchemaTypes>
}

interface TriggerKind extends Kind {
  /** The rows its events bring, hence which condition fields read something. */
  provides: FactSource[]
  /** Its events' own data, read as `event.<key>`. */
  event: Record<string, string>
}

interface ActionKind extends Kind {
  /** False for the actions that need no conversation, the only ones a schedule rule may use. */
  needsConversation: boolean
}

const MESSAGE_EVENT: FactSource[] = ['message', 'conversation', 'contact']
const CONVERSATION_EVENT: FactSource[] = ['conversation', 'contact']

/**
 * The triggers rules accept, with their options: the one list the
 * validator, the engine's types and GET /api/v1/rules/schema read.
 */
export const TRIGGERS = {
  'message.received': {
    label: 'Message received',
    description: 'A customer message arrives.',
    options: {},
    provides: MESSAGE_EVENT,
    event: { messageId: 'The message id' },
  },
  'conversation.created': {
    label: 'Conversation started',
    description: "A conversation's first customer message arrives.",
    options: {},
    provides: MESSAGE_EVENT,
    event: {},
  },
  'conversation.status_changed': {
    label: 'Status changed',
    description: 'The status changes, whoever changed it (API, an operator, a timer, a rule).',
    options: {
      from: vine.enum(STATUSES).use(about('Only changes from this status')).optional(),
      to: vine.enum(STATUSES).use(about('Only changes to this status')).optional(),
    },
    provides: CONVERSATION_EVENT,
    event: { from: 'The status before', to: 'The status after' },
  },
  'message.count': {
    label: 'Nth customer message',
    description: "The conversation's Nth customer message arrives.",
    options: {
      count: vine
        .number()
        .withoutDecimals()
        .min(1)
        .max(100000)
        .use(about('Which message: 1 for the first')),
    },
    provides: MESSAGE_EVENT,
    event: { count: "The message's place in the conversation" },
  },
  'contact.status': {
    label: 'Contact status',
    description:
      'A first conversation from a new or a returning contact, or a tag added to the contact (no message then).',
    options: {
      status: vine
        .enum(['new', 'returning', 'tagged'] as const)
        .use(about('new, returning, or tagged (a tag was added)')),
      tag: tagName().use(about('With tagged: only this tag')).optional(),
    },
    provides: MESSAGE_EVENT,
    event: {
      status: 'new, returning or tagged',
      tag: 'The tag added',
      contactId: 'The contact id',
    },
  },
  'conversation.inactive': {
    label: 'Conversation inactive',
    description:
      "The customer has waited that long for a person's answer, or a person for the customer; once per waiting spell.",
    options: {
      waiting: vine
        .enum(['customer', 'operator'] as const)
        .use(
          about('Who is waiting: the customer (for a person) or the operator (for the customer)')
        ),
      minutes: vine.number().withoutDecimals().min(1).max(43200).use(about('How long, in minutes')),
    },
    provides: CONVERSATION_EVENT,
    event: {
      waiting: 'customer or operator',
      minutes: 'Minutes waited',
      since: 'When the wait began (ISO time)',
    },
  },
  'escalation': {
    label: 'Handed to people',
    description: 'The conversation is handed to people (owner queued).',
    options: {
      source: vine
        .enum(['customer', 'assistant', 'rule'] as const)
        .use(about('Only hand-offs asked for by the customer, the assistant or a rule'))
        .optional(),
    },
    provides: CONVERSATION_EVENT,
    event: { source: 'customer, assistant or rule', reason: 'Why it was handed over' },
  },
  'custom': {
    label: 'Custom event',
    description: 'POST /api/v1/events from your systems, with this name.',
    options: {
      name: vine
        .string()
        .trim()
        .regex(EVENT_NAME)
        .use(about('The event name, like payment.failed')),
    },
    provides: CONVERSATION_EVENT,
    event: { name: 'The event name', data: 'The data sent: event.data.<key>' },
  },
  'schedule': {
    label: 'Schedule',
    description:
      'A cron schedule. Concerns no conversation: only actions allowed on schedule can run.',
    options: {
      cron: vine
        .string()
        .trim()
        .maxLength(100)
        .use(cron())
        .use(about('Five fields: minute hour day month weekday, like 0 9 * * 1-5')),
      timezone: vine
        .string()
        .trim()
        .maxLength(64)
        .use(timezone())
        .use(about('IANA timezone; UTC when absent'))
        .optional(),
    },
    provides: [],
    event: {
      tick: 'When the tick was due (ISO time)',
      cron: 'The cron expression',
      timezone: 'The timezone',
    },
  },
} satisfies Record<string, TriggerKind>

export const TRIGGER_TYPES = Object.keys(TRIGGERS) as Array<keyof typeof TRIGGERS>

/** A text whose `{{placeholders}}` are filled in when the action runs. */
const text = (description: string) =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(4000)
    .use(notes({ description, template: true }))
const tags = (description: string) =>
  vine.array(tagName()).minLength(1).maxLength(20).use(about(description))

/** The actions rules accept, with their options: the one list, as for triggers. */
export const ACTIONS = {
  send_message: {
    label: 'Send a message',
    description: 'Sends the customer a message.',
    options: { text: text('The message') },
    needsConversation: true,
  },
  ai_answer: {
    label: 'Assistant answers',
    description:
      'Asks the assistant to answer (only while the bot owns the conversation, checked again when it sends).',
    options: {},
    needsConversation: true,
  },
  hand_off: {
    label: 'Hand to people',
    description: 'Hands the conversation to people (owner queued), with the reason as a note.',
    options: {
      reason: vine
        .string()
        .trim()
        .minLength(1)
        .maxLength(500)
        .use(about("Why; the rule's name when absent"))
        .optional(),
      source: vine
        .enum(['customer', 'rule'] as const)
        .use(about('Whom the hand-off is recorded as asked by; rule when absent'))
        .optional(),
    },
    needsConversation: true,
  },
  assign_operator: {
    label: 'Assign an operator',
    description:
      'Assigns a member of the team (owner human): a named one, the next in turn, or the least busy.',
    options: {
      userId: id()
        .use(
          notes({ description: 'This member', ref: 'user', requiredIf: { missing: 'strategy' } })
        )
        .optional()
        .requiredIfMissing('strategy'),
      strategy: vine
        .enum(['round_robin', 'least_busy'] as const)
        .use(
          about('Instead of userId: the next in turn, or the one with fewest open conversations')
        )
        .optional(),
    },
    needsConversation: true,
  },
  assign_team: {
    label: 'Move to a team',
    description: 'Moves the conversation to another team.',
    options: { teamId: id().use(notes({ description: 'The team', ref: 'team' })) },
    needsConversation: true,
  },
  set_status: {
    label: 'Set the status',
    description: 'Sets the status; snoozed needs for how long.',
    options: {
      status: vine.enum(STATUSES).use(about('The new status')),
      for: vine
        .string()
        .trim()
        .use(duration())
        .use(
          notes({
            description: 'How long a snooze lasts, like 2h or 1d',
            requiredIf: { option: 'status', equals: 'snoozed' },
          })
        )
        .optional()
        .requiredWhen('status', '=', 'snoozed'),
    },
    needsConversation: true,
  },
  add_tags: {
    label: 'Add tags',
    description: 'Tags the conversation.',
    options: { tags: tags('The tags to add') },
    needsConversation: true,
  },
  remove_tags: {
    label: 'Remove tags',
    description: 'Removes tags from the conversation.',
    options: { tags: tags('The tags to remove') },
    needsConversation: true,
  },
  set_priority: {
    label: 'Set the priority',
    description: 'Sets the priority.',
    options: { priority: vine.enum(PRIORITIES).use(about('The new priority')) },
    needsConversation: true,
  },
  add_note: {
    label: 'Add a note',
    description: 'An internal note operators see; never sent to the customer.',
    options: { text: text('The note') },
    needsConversation: true,
  },
  notify_workspace: {
    label: "Notify the operators' workspace",
    description:
      "A note flagged for the operators' Slack thread or Telegram topic of the conversation.",
    options: { text: text('The notice') },
    needsConversation: true,
  },
  webhook: {
    label: 'Call a webhook',
    description:
      'POSTs the rule, the event, the conversation and the contact as JSON, signed per Standard Webhooks; retried with backoff.',
    options: {
      url: vine
        .string()
        .trim()
        .maxLength(2000)
        .url({ protocols: ['http', 'https'], require_tld: false })
        .use(about('http or https URL')),
    },
    needsConversation: false,
  },
  delay: {
    label: 'Wait',
    description:
      'Waits, then checks the conditions again and runs the remaining actions only if they still hold.',
    options: {
      for: vine
        .string()
        .trim()
        .use(duration())
        .use(about('How long: 1 minute to 30 days, like 10m, 2h or 1d')),
    },
    needsConversation: false,
  },
} satisfies Record<string, ActionKind>

export const ACTION_TYPES = Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>

/** Each kind as the object the validator checks: `{type, ...options}`. */
function objectsOf<K extends string>(kinds: Record<K, Kind>): Record<K, SchemaTypes> {
  const objects = {} as Record<K, SchemaTypes>
  for (const type of Object.keys(kinds) as K[]) {
    objects[type] = vine.object({ type: vine.literal(type), ...kinds[type].options })
  }
  return objects
}

export const TRIGGER_SCHEMAS = objectsOf(TRIGGERS)
export const ACTION_SCHEMAS = objectsOf(ACTIONS)

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

const trigger = byType('trigger', TRIGGER_SCHEMAS)
const action = byType('action', ACTION_SCHEMAS)

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
