import { CONVERSATION_SORTS } from '#validators/conversation'
import { ACTION_TYPES, TRIGGER_TYPES } from '#validators/rule'

/*
| The OpenAPI 3.1 description of /api/v1, served at GET /api/v1/openapi.json.
| tests/functional/openapi.spec.ts fails when a route is missing here.
*/

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
const int = { type: 'integer', minimum: 1 }
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra })
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] })
const dateTime = str({ format: 'date-time' })

const queryParam = (name: string, schema: Schema, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description ? { description } : {}),
})
const pathParam = (name: string, schema: Schema = int) => ({
  name,
  in: 'path',
  required: true,
  schema,
})

const pageParams = [
  queryParam('page', { type: 'integer', minimum: 1, default: 1 }),
  queryParam('perPage', { type: 'integer', minimum: 1, maximum: 100, default: 25 }),
]
const sortParam = (fields: string[]) =>
  queryParam(
    'sort',
    { type: 'string', enum: fields.flatMap((f) => [f, `-${f}`]) },
    'Prefix with - for descending'
  )

const json = (schema: Schema) => ({ 'application/json': { schema } })
const one = (schema: Schema) => ({
  type: 'object',
  required: ['data'],
  properties: { data: schema },
})
const list = (schema: Schema) => ({
  type: 'object',
  required: ['data', 'meta'],
  properties: { data: { type: 'array', items: schema }, meta: ref('ListMeta') },
})

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { $ref: `#/components/responses/E${code}` }])
  )

interface Op {
  summary: string
  tags: string[]
  auth?: boolean
  params?: Schema[]
  body?: Schema
  ok: [number, Schema | null]
  errors?: number[]
}

function op({ summary, tags, auth = true, params, body, ok, errors: codes = [] }: Op) {
  const [status, schema] = ok
  return {
    summary,
    tags,
    ...(auth ? {} : { security: [] }),
    ...(params?.length ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
    responses: {
      [String(status)]: schema
        ? { description: 'Success', content: json(schema) }
        : { description: 'Success, no content' },
      ...errors(...(auth ? [401, ...codes] : codes)),
    },
  }
}

/** CRUD operations for a resource, as router.resource().apiOnly() defines them. */
function crud(opts: {
  tag: string
  path: string
  schema: string
  listParams: Schema[]
  create: Schema
  update: Schema
  parentParams?: Schema[]
}) {
  const parent = opts.parentParams ?? []
  const item = ref(opts.schema)
  return {
    [opts.path]: {
      get: op({
        summary: `List ${opts.tag.toLowerCase()}`,
        tags: [opts.tag],
        params: [...parent, ...opts.listParams],
        ok: [200, list(item)],
        errors: [404, 422],
      }),
      post: op({
        summary: `Create`,
        tags: [opts.tag],
        params: parent,
        body: opts.create,
        ok: [201, one(item)],
        errors: [403, 404, 409, 422],
      }),
    },
    [`${opts.path}/{id}`]: {
      get: op({
        summary: 'Show',
        tags: [opts.tag],
        params: [...parent, pathParam('id')],
        ok: [200, one(item)],
        errors: [404],
      }),
      put: op({
        summary: 'Replace fields',
        tags: [opts.tag],
        params: [...parent, pathParam('id')],
        body: opts.update,
        ok: [200, one(item)],
        errors: [403, 404, 409, 422],
      }),
      patch: op({
        summary: 'Update fields',
        tags: [opts.tag],
        params: [...parent, pathParam('id')],
        body: opts.update,
        ok: [200, one(item)],
        errors: [403, 404, 409, 422],
      }),
      delete: op({
        summary: 'Delete',
        tags: [opts.tag],
        params: [...parent, pathParam('id')],
        ok: [204, null],
        errors: [403, 404, 409],
      }),
    },
  }
}

const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  ...(required.length ? { required } : {}),
  additionalProperties: false,
})

const ROLE = { type: 'string', enum: ['admin', 'supervisor', 'operator'] }
const STATUS = { type: 'string', enum: ['open', 'pending', 'snoozed', 'resolved'] }
const OWNER = { type: 'string', enum: ['bot', 'queued', 'human'] }
const PRIORITY = { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }
const TAG = str({
  pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N}_\\-.:]{0,49}$',
  description: 'Lower-cased on input',
})

const reportParams = [
  queryParam('from', str({ format: 'date' }), 'First day, in tz; default: 29 days before today'),
  queryParam('to', str({ format: 'date' }), 'Last day, included; default: today'),
  queryParam('tz', str({ default: 'UTC' }), 'IANA time zone for days and hours'),
  queryParam('teamId', int, 'One of your teams; default: all of them'),
]

const schemas: Record<string, Schema> = {
  ListMeta: object(
    {
      total: { type: 'integer', description: 'Matches, counted up to 1,000' },
      page: { type: 'integer' },
      perPage: { type: 'integer' },
      totalCapped: { type: 'boolean', description: 'True when there are more matches than total' },
    },
    ['total', 'page', 'perPage', 'totalCapped']
  ),
  Error: {
    type: 'object',
    required: ['errors'],
    properties: {
      errors: {
        type: 'array',
        items: object({ field: str(), rule: str(), message: str() }, ['message']),
      },
    },
  },
  User: object({
    id: int,
    email: str({ format: 'email' }),
    fullName: nullable(str()),
    role: ROLE,
    disabled: { type: 'boolean' },
    disabledAt: nullable(dateTime),
    lastLoginAt: nullable(dateTime),
    teams: { type: 'array', items: object({ id: int, name: str() }) },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Team: object({
    id: int,
    name: str(),
    description: nullable(str()),
    settings: ref('TeamSettings'),
    memberCount: { type: 'integer', description: 'In lists and show' },
    assistantApiKeySet: {
      type: 'boolean',
      description: 'Whether the team has its own model API key (the key is never shown)',
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  TeamSettings: {
    type: 'object',
    description: 'Merged over the stored settings on update; unknown keys are kept',
    properties: {
      welcomeText: str({ maxLength: 4000, description: 'Answers /start' }),
      autoReplyText: str({ maxLength: 4000 }),
      helpText: str({ maxLength: 4000, description: 'Answers /help' }),
      handoffText: str({
        maxLength: 4000,
        description: 'Told to the customer when the conversation is handed to people',
      }),
      businessHours: nullable(ref('BusinessHours')),
      assistant: ref('TeamAssistantSettings'),
    },
  },
  TeamAssistantSettings: object({
    enabled: { type: 'boolean', description: 'Default true' },
    model: nullable(
      str({ minLength: 1, maxLength: 200, description: 'null or absent: OPENAI_MODEL' })
    ),
    baseUrl: nullable(str({ format: 'uri', description: 'null or absent: OPENAI_BASE_URL' })),
    apiKey: nullable(
      str({
        maxLength: 500,
        writeOnly: true,
        description: 'Stored encrypted, never shown; null or "" removes it',
      })
    ),
    prompt: nullable(
      str({
        minLength: 1,
        maxLength: 8000,
        description:
          '{{team}} becomes the team name; null or absent: the built-in prompt. POST /teams/:id/assistant/preview renders it',
      })
    ),
    threshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'Least confidence of the best passage to answer at all (default 0.5)',
    },
    maxTokens: { type: 'integer', minimum: 16, maximum: 8000 },
    deadlineSeconds: { type: 'number', minimum: 1, maximum: 120 },
    historyTokens: { type: 'integer', minimum: 0, maximum: 100000 },
    monthlyTokenBudget: nullable({ type: 'integer', minimum: 0 }),
    allowedHosts: { type: 'array', items: str(), maxItems: 100 },
  }),
  BusinessHours: object(
    {
      timezone: str({ description: 'IANA zone, e.g. Europe/Berlin' }),
      weekly: object(
        Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
            day,
            {
              type: 'array',
              maxItems: 8,
              items: str({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-4]):[0-5]\\d$' }),
              description: 'Open spans, "09:00-17:30"; a day left out is closed',
            },
          ])
        )
      ),
      holidays: {
        type: 'array',
        maxItems: 366,
        items: str({ format: 'date' }),
        description: 'Closed all day (YYYY-MM-DD, in the timezone)',
      },
    },
    ['timezone', 'weekly']
  ),
  Contact: object({
    id: int,
    teamId: int,
    name: nullable(str()),
    email: nullable(str()),
    phone: nullable(str()),
    locale: nullable(str()),
    attributes: { type: 'object' },
    unreachableAt: nullable(dateTime),
    identities: {
      type: 'array',
      items: object({ id: int, platform: str(), externalId: str(), username: nullable(str()) }),
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Conversation: object({
    id: int,
    teamId: int,
    channelId: nullable(int),
    contactId: int,
    contact: { $ref: '#/components/schemas/Contact' },
    subject: nullable(str()),
    status: STATUS,
    owner: OWNER,
    assigneeId: nullable(int),
    priority: PRIORITY,
    tags: { type: 'array', items: str() },
    handoffReason: nullable(str()),
    snoozedUntil: nullable(dateTime),
    resolvedAt: nullable(dateTime),
    lastMessageAt: dateTime,
    lastCustomerMessageAt: nullable(dateTime),
    lastOperatorMessageAt: nullable(dateTime),
    messageCount: { type: 'integer' },
    lastMessage: {
      ...nullable(
        object({
          id: int,
          direction: { type: 'string', enum: ['inbound', 'outbound'] },
          authorKind: { type: 'string', enum: ['contact', 'bot', 'operator', 'system'] },
          kind: str(),
          body: nullable(str({ maxLength: 200 })),
          attachmentCount: { type: 'integer' },
          deliveryStatus: nullable(str({ enum: ['received', 'pending', 'sent', 'failed'] })),
          createdAt: dateTime,
        })
      ),
      description:
        'In lists only: the newest message that is not an internal note, its text cut to 200 characters; null when there is none',
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Message: object({
    id: int,
    conversationId: int,
    channelId: nullable(int),
    direction: { type: 'string', enum: ['inbound', 'outbound', 'internal'] },
    authorKind: { type: 'string', enum: ['contact', 'bot', 'operator', 'system'] },
    authorUserId: nullable(int),
    kind: str(),
    body: nullable(str()),
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: str({ description: 'photo, document, audio, voice, video, sticker, …' }),
          name: str(),
          mimeType: str(),
          size: { type: 'integer' },
          url: str(),
        },
      },
      description: 'Files; each is served by GET /messages/{id}/attachments/{index}',
    },
    metadata: {
      type: 'object',
      properties: {
        assistant: {
          type: 'object',
          description: "An assistant answer's details",
          properties: {
            sources: {
              type: 'array',
              items: object({ n: { type: 'integer' }, title: str(), url: nullable(str()) }),
            },
            confidence: { type: 'number' },
            mode: str({ enum: ['passage', 'model'] }),
            model: str(),
          },
        },
        buttons: {
          type: 'array',
          items: {
            type: 'array',
            items: object({ text: str(), data: str(), url: str() }, ['text']),
          },
        },
        format: str({ enum: ['markdown', 'html'] }),
      },
    },
    externalId: nullable(str()),
    replyToId: nullable(int),
    deliveryStatus: nullable({ type: 'string', enum: ['received', 'pending', 'sent', 'failed'] }),
    failureReason: nullable(str()),
    attempts: { type: 'integer' },
    editedAt: nullable(dateTime),
    deletedAt: nullable(dateTime),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Tag: object({ id: int, teamId: int, name: str(), color: nullable(str()), createdAt: dateTime }),
  Channel: object({
    id: int,
    teamId: int,
    platform: str({ enum: ['telegram', 'api'] }),
    name: str(),
    enabled: { type: 'boolean' },
    status: str({ description: 'starting, running, stopped or error' }),
    statusDetail: nullable(str()),
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'The config without its secrets',
    },
    inboundUrl: nullable(
      str({
        description:
          "Where customer messages arrive: an API channel's POST /api/v1/channels/:id/inbound, a webhook-mode Telegram bot's /webhooks/telegram/:id (registered by the channel); null for polling. Absolute with PUBLIC_URL set, else a path",
      })
    ),
    secrets: {
      ...object({
        inboundKey: str({ description: 'API channel: Bearer key for POST …/inbound' }),
        webhookSecret: str({ description: 'API channel: verifies the signed webhooks' }),
      }),
      description: 'Only in the creation answer: generated secrets, shown once',
    },
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  Workspace: object({
    id: int,
    teamId: int,
    platform: str({ enum: ['slack', 'telegram'] }),
    name: str(),
    enabled: { type: 'boolean' },
    status: str(),
    statusDetail: nullable(str()),
    routing: { $ref: '#/components/schemas/WorkspaceRouting' },
    config: {
      type: 'object',
      additionalProperties: true,
      description: 'The config without its secrets',
    },
    webhookUrl: nullable(
      str({
        description:
          'Slack: the Request URL for events, interactivity and /sb (/webhooks/slack/:id); null for Telegram. Absolute with PUBLIC_URL set, else a path',
      })
    ),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  WorkspaceRouting: object(
    {
      conversations: str({
        enum: ['handoff', 'all'],
        description: 'handoff (default): only conversations handed to people; all: every one',
      }),
      channelIds: { type: 'array', items: int, description: 'Only these channels' },
      tags: { type: 'array', items: TAG, description: 'Only conversations with one of these tags' },
    },
    ['conversations']
  ),
  OperatorIdentity: object({
    id: int,
    userId: int,
    platform: str({ enum: ['slack', 'telegram'] }),
    externalId: str({ description: 'Slack: <team id>:<user id>; Telegram: the user id' }),
    displayName: nullable(str()),
    createdAt: dateTime,
  }),
  Rule: object({
    id: int,
    teamId: int,
    name: str(),
    enabled: { type: 'boolean' },
    priority: { type: 'integer', description: 'Lower runs first' },
    trigger: ref('RuleTrigger'),
    conditions: ref('RuleConditions'),
    actions: { type: 'array', items: ref('RuleAction') },
    stopProcessing: { type: 'boolean' },
    cooldownSeconds: { type: 'integer', minimum: 0 },
    builtin: nullable(str({ enum: ['welcome', 'human', 'after_hours', 'assistant'] })),
    lastFiredAt: nullable(
      str({ format: 'date-time', description: 'GET /rules only: when it last fired; null: never' })
    ),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  RuleTrigger: {
    type: 'object',
    required: ['type'],
    description:
      'type is one of message.received, conversation.created, conversation.status_changed {from?, to?}, message.count {count}, contact.status {status: new|returning|tagged, tag?}, conversation.inactive {waiting: customer|operator, minutes}, escalation {source?: customer|assistant|rule}, custom {name}, schedule {cron, timezone?}. GET /api/v1/rules/schema describes each option.',
    properties: { type: str({ enum: TRIGGER_TYPES }) },
  },
  RuleConditions: {
    type: 'object',
    description:
      '{all: [...]} or {any: [...]}, nestable, of {field, operator, value}. Operators: equals, not_equals, contains, not_contains, matches, present, absent, gt, lt, in. See the README for the fields.',
  },
  RuleAction: {
    type: 'object',
    required: ['type'],
    description:
      'type is one of send_message {text}, ai_answer, hand_off {reason?}, assign_operator {userId | strategy: round_robin|least_busy}, assign_team {teamId}, set_status {status, for?}, add_tags {tags}, remove_tags {tags}, set_priority {priority}, add_note {text}, notify_workspace {text}, webhook {url}, delay {for}. GET /api/v1/rules/schema describes each option.',
    properties: { type: str({ enum: ACTION_TYPES }) },
  },
  RuleOption: object(
    {
      name: str(),
      type: str({
        description: 'string, integer, number, boolean, enum, or a list of one: string[]',
      }),
      required: { type: 'boolean', description: 'Always; see requiredIf for "sometimes"' },
      enum: { type: 'array', description: 'The values an enum (or a list of enums) takes' },
      min: { type: 'number' },
      max: { type: 'number' },
      minLength: { type: 'integer' },
      maxLength: { type: 'integer' },
      minItems: { type: 'integer' },
      maxItems: { type: 'integer' },
      pattern: str({ description: 'A regular expression a string (or each list item) matches' }),
      format: str({ description: 'duration (10m, 2h, 1d), timezone (IANA), cron, uri' }),
      description: str(),
      template: { type: 'boolean', description: 'Its {{placeholders}} are filled in when it runs' },
      ref: str({ enum: ['user', 'team'], description: 'The id names a user or a team' }),
      requiredIf: {
        type: 'object',
        description:
          'Required when another option is missing ({missing}) or has a value ({option, equals})',
      },
    },
    ['name', 'type', 'required']
  ),
  RuleSchema: object(
    {
      triggers: {
        type: 'array',
        items: object(
          {
            type: str(),
            label: str(),
            description: str(),
            options: { type: 'array', items: ref('RuleOption') },
            eventFields: {
              type: 'array',
              description: "The event's own data, for event.* conditions and placeholders",
              items: object({ name: str(), description: str() }),
            },
          },
          ['type', 'label', 'description', 'options', 'eventFields']
        ),
      },
      conditionFields: {
        type: 'array',
        items: object(
          {
            name: str({ description: 'contact.attributes.* and event.* take any sub-key' }),
            type: str({ enum: ['string', 'number', 'boolean', 'enum', 'id', 'string[]', 'any'] }),
            label: str(),
            enum: { type: 'array', items: str() },
            pattern: { type: 'boolean', description: 'The name ends in * : any sub-key' },
            triggers: {
              type: 'array',
              items: str(),
              description: 'The triggers whose events give it a value; absent: all',
            },
            operators: { type: 'array', items: str() },
          },
          ['name', 'type', 'label', 'operators']
        ),
      },
      operators: {
        type: 'array',
        items: object(
          {
            name: str(),
            label: str(),
            valueType: str({ enum: ['any', 'string', 'pattern', 'number', 'list', 'none'] }),
            types: { type: 'array', items: str(), description: 'The field types it suits' },
          },
          ['name', 'label', 'valueType', 'types']
        ),
      },
      actions: {
        type: 'array',
        items: object(
          {
            type: str(),
            label: str(),
            description: str(),
            options: { type: 'array', items: ref('RuleOption') },
            allowedOnSchedule: { type: 'boolean' },
          },
          ['type', 'label', 'description', 'options', 'allowedOnSchedule']
        ),
      },
      templates: object({
        syntax: str(),
        fallback: str(),
        variables: { type: 'array', items: object({ name: str(), label: str() }) },
        patterns: { type: 'array', items: str() },
      }),
      limits: {
        type: 'object',
        description:
          'nameLength, priority, cooldownSeconds, actions, durationSeconds: {min, max}; conditionDepth, conditions, patternLength, matchedTextLength, sameRuleInChain, chainLength: numbers',
      },
    },
    ['triggers', 'conditionFields', 'operators', 'actions', 'templates', 'limits']
  ),
  RuleExecution: object({
    id: int,
    ruleId: int,
    teamId: int,
    conversationId: nullable(int),
    eventKey: str(),
    event: { type: 'object' },
    outcome: str({
      enum: ['fired', 'conditions_failed', 'cooldown', 'loop_prevented', 'waiting', 'failed'],
    }),
    reason: nullable(str()),
    conditions: {
      type: 'array',
      items: object({
        path: str(),
        field: str(),
        operator: str(),
        value: {},
        seen: {},
        result: { type: 'boolean' },
      }),
    },
    actions: {
      type: 'array',
      items: object({ index: { type: 'integer' }, type: str(), outcome: str(), detail: str() }),
    },
    durationMs: { type: 'number' },
    createdAt: dateTime,
  }),
  KnowledgeCollection: object({
    id: int,
    teamId: int,
    name: str(),
    description: nullable(str()),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  KnowledgeDocument: object({
    id: int,
    collectionId: int,
    teamId: int,
    title: str(),
    format: str({ enum: ['markdown', 'text', 'html', 'pdf'] }),
    source: str({ enum: ['text', 'file', 'url'] }),
    sourceUrl: nullable(str()),
    filename: nullable(str()),
    externalId: nullable(str()),
    content: str({ description: 'Cleaned text, headings as Markdown; only in `show`' }),
    contentHash: str(),
    chunkCount: { type: 'integer' },
    size: { type: 'integer', description: 'Bytes of the cleaned text' },
    createdById: nullable(int),
    createdAt: dateTime,
    updatedAt: dateTime,
  }),
  KnowledgeChunk: object(
    {
      id: int,
      ordinal: { type: 'integer', description: 'Position in the document, from 0' },
      heading: nullable(str({ description: 'The heading path, such as "Billing › Refunds"' })),
      text: str(),
    },
    ['id', 'ordinal', 'heading', 'text']
  ),
  KnowledgeHit: object({
    chunkId: int,
    documentId: int,
    collectionId: int,
    title: str(),
    heading: nullable(str()),
    sourceUrl: nullable(str()),
    text: str(),
    score: { type: 'number', description: 'BM25 score (higher is better)' },
    confidence: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description:
        'How well the chunk covers the query; the assistant compares it to its threshold',
    },
    snippet: str({ description: 'HTML-escaped text with matched terms in <mark>' }),
  }),
  UsageRow: object({
    key: { description: 'The day (YYYY-MM-DD), team id, channel id or model name' },
    modelCalls: { type: 'integer' },
    failedCalls: { type: 'integer' },
    promptTokens: { type: 'integer' },
    completionTokens: { type: 'integer' },
    totalTokens: { type: 'integer' },
    costUsd: { type: 'number' },
    retrievals: { type: 'integer' },
    answers: { type: 'integer' },
    handoffs: { type: 'integer' },
    votesUp: { type: 'integer' },
    votesDown: { type: 'integer' },
  }),
  ReportPeriod: object(
    {
      from: str({ format: 'date' }),
      to: str({ format: 'date' }),
      tz: str(),
      teamIds: nullable({
        type: 'array',
        items: int,
        description: 'The teams counted; null for all (admins)',
      }),
    },
    ['from', 'to', 'tz', 'teamIds']
  ),
  ReportOverview: object(
    {
      kpis: object(
        {
          open: { type: 'integer', description: 'Conversations not resolved, now' },
          waitingForPerson: {
            type: 'integer',
            description: 'Of those, the ones handed to people (owner queued), now',
          },
          createdInPeriod: { type: 'integer' },
          resolvedInPeriod: { type: 'integer' },
          firstResponseMedianS: nullable({
            type: 'integer',
            description:
              "Seconds from a conversation's first customer message to the first reply after it by an operator or the assistant (not the automatic acknowledgement or system notices); conversations created in the period that got one",
          }),
          firstResponseP90S: nullable({ type: 'integer' }),
          resolutionMedianS: nullable({
            type: 'integer',
            description:
              'Seconds from creation to resolution, conversations resolved in the period',
          }),
          resolvedWithoutPersonShare: nullable({
            type: 'number',
            minimum: 0,
            maximum: 1,
            description:
              'Resolved in the period with no operator reply ever; null when none resolved',
          }),
          thumbsUpShare: nullable({
            type: 'number',
            minimum: 0,
            maximum: 1,
            description: "👍 among the votes on the assistant's answers written in the period",
          }),
          tokensThisMonth: {
            type: 'integer',
            description: 'Model tokens since the 1st of this month (UTC)',
          },
          costThisMonth: { type: 'number', description: 'Their cost in dollars' },
          budgetThisMonth: nullable({
            type: 'integer',
            description:
              "Sum of the teams' settings.assistant.monthlyTokenBudget (tokens); null when none sets one",
          }),
        },
        [
          'open',
          'waitingForPerson',
          'createdInPeriod',
          'resolvedInPeriod',
          'firstResponseMedianS',
          'firstResponseP90S',
          'resolutionMedianS',
          'resolvedWithoutPersonShare',
          'thumbsUpShare',
          'tokensThisMonth',
          'costThisMonth',
          'budgetThisMonth',
        ]
      ),
      series: object(
        {
          conversationsPerDay: {
            type: 'array',
            description: 'Every day of the period for every platform seen in it',
            items: object(
              {
                day: str({ format: 'date' }),
                channel: str({
                  description: 'Platform (telegram, api, …); none without a channel',
                }),
                count: { type: 'integer' },
              },
              ['day', 'channel', 'count']
            ),
          },
          handoffsPerDay: {
            type: 'array',
            items: object({ day: str({ format: 'date' }), count: { type: 'integer' } }, [
              'day',
              'count',
            ]),
          },
          busiestHours: {
            type: 'array',
            description: 'Customer messages; all 168 cells',
            items: object(
              {
                weekday: { type: 'integer', minimum: 0, maximum: 6, description: '0 = Monday' },
                hour: { type: 'integer', minimum: 0, maximum: 23 },
                count: { type: 'integer' },
              },
              ['weekday', 'hour', 'count']
            ),
          },
          tokensPerDay: {
            type: 'array',
            items: object(
              {
                day: str({ format: 'date' }),
                tokens: { type: 'integer' },
                cost: { type: 'number', description: 'Dollars' },
              },
              ['day', 'tokens', 'cost']
            ),
          },
        },
        ['conversationsPerDay', 'handoffsPerDay', 'busiestHours', 'tokensPerDay']
      ),
    },
    ['kpis', 'series']
  ),
  AuditLog: object({
    id: int,
    actorId: nullable(int),
    action: str({
      examples: ['auth.login', 'auth.login_failed', 'user.role_changed', 'team.member_added'],
    }),
    subjectType: nullable(str()),
    subjectId: nullable(str()),
    ip: nullable(str()),
    userAgent: nullable(str()),
    data: { type: 'object' },
    actor: {
      ...nullable(object({ id: int, email: str(), fullName: nullable(str()) })),
      description: 'In /audit-logs: who acted; null for the system or a deleted user',
    },
    createdAt: dateTime,
  }),
  Token: object({
    id: int,
    name: str(),
    lastUsedAt: nullable(dateTime),
    expiresAt: nullable(dateTime),
    createdAt: dateTime,
  }),
}

const responses = Object.fromEntries(
  (
    [
      [400, 'Malformed request'],
      [401, 'Not authenticated'],
      [403, 'Not allowed, or missing CSRF token on a cookie-authenticated write'],
      [404, 'Not found, or not visible to the caller'],
      [409, 'Conflicts with existing data'],
      [413, 'Request body too large'],
      [422, 'Validation failed; each error names its field'],
      [429, 'Too many attempts; see Retry-After'],
      [502, 'The chat platform failed to answer'],
      [503, 'A dependency is down'],
    ] as const
  ).map(([code, description]) => [`E${code}`, { description, content: json(ref('Error')) }])
)

const credentials = object({ email: str({ format: 'email' }), password: str() }, [
  'email',
  'password',
])

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1.0.0',
      description:
        'Bot-first support desk. Authenticate with a session cookie (POST /auth/login; writes then need the X-XSRF-TOKEN header echoing the XSRF-TOKEN cookie) or a bearer token (POST /auth/tokens).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    tags: [
      'Auth',
      'Users',
      'Teams',
      'Contacts',
      'Conversations',
      'Messages',
      'Tags',
      'Audit',
      'Channels',
      'Webhooks',
      'Live',
      'System',
    ].map((name) => ({ name })),
    paths: {
      '/health': {
        get: {
          ...op({
            summary: 'Health of the server and its dependencies',
            tags: ['System'],
            auth: false,
            ok: [200, { type: 'object' }],
          }),
          responses: {
            '200': {
              description: 'Healthy',
              content: json(object({ status: str({ const: 'ok' }), checks: { type: 'object' } })),
            },
            '503': {
              description: 'A check failed',
              content: json(
                object({ status: str({ const: 'error' }), checks: { type: 'object' } })
              ),
            },
          },
        },
      },
      '/api/v1/openapi.json': {
        get: op({
          summary: 'This document',
          tags: ['System'],
          auth: false,
          ok: [200, { type: 'object' }],
        }),
      },
      '/api/v1/auth/login': {
        post: op({
          summary: 'Log in; sets the session cookie',
          tags: ['Auth'],
          auth: false,
          body: credentials,
          ok: [200, one(ref('User'))],
          errors: [401, 403, 422, 429],
        }),
      },
      '/api/v1/auth/logout': {
        post: op({
          summary: 'Log out; destroys the session (or revokes the bearer token used)',
          tags: ['Auth'],
          ok: [204, null],
          errors: [403],
        }),
      },
      '/api/v1/auth/tokens': {
        post: op({
          summary: 'Create an access token from credentials (shown once)',
          tags: ['Auth'],
          auth: false,
          body: object(
            {
              email: str({ format: 'email' }),
              password: str(),
              name: str({ maxLength: 100 }),
              expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 },
            },
            ['email', 'password', 'name']
          ),
          ok: [
            201,
            one(
              object({
                id: int,
                name: str(),
                token: str(),
                expiresAt: nullable(dateTime),
                createdAt: dateTime,
              })
            ),
          ],
          errors: [401, 403, 422, 429],
        }),
        get: op({
          summary: "The caller's tokens",
          tags: ['Auth'],
          ok: [
            200,
            { type: 'object', properties: { data: { type: 'array', items: ref('Token') } } },
          ],
        }),
      },
      '/api/v1/auth/tokens/{id}': {
        delete: op({
          summary: 'Revoke a token',
          tags: ['Auth'],
          params: [pathParam('id')],
          ok: [204, null],
          errors: [404],
        }),
      },
      '/api/v1/me': {
        get: op({ summary: 'The caller', tags: ['Auth'], ok: [200, one(ref('User'))] }),
        patch: op({
          summary:
            "Change the caller's name, email or password; a new email or password needs currentPassword, and a new password ends the caller's other sessions",
          tags: ['Auth'],
          body: object({
            fullName: nullable(str({ maxLength: 200 })),
            email: str({ format: 'email' }),
            password: str({ minLength: 8, maxLength: 128 }),
            currentPassword: str({ maxLength: 128 }),
          }),
          ok: [200, one(ref('User'))],
          errors: [403, 409, 422, 429],
        }),
      },
      '/api/v1/me/logins': {
        get: op({
          summary: "The caller's login history",
          tags: ['Auth'],
          params: pageParams,
          ok: [200, list(ref('AuditLog'))],
          errors: [422],
        }),
      },
      ...crud({
        tag: 'Users',
        path: '/api/v1/users',
        schema: 'User',
        listParams: [
          ...pageParams,
          sortParam(['id', 'email', 'createdAt']),
          queryParam('role', ROLE),
          queryParam('teamId', int),
          queryParam('q', str()),
        ],
        create: object(
          {
            email: str({ format: 'email' }),
            password: str({ minLength: 8 }),
            fullName: str(),
            role: ROLE,
            teamIds: { type: 'array', items: int },
          },
          ['email', 'password']
        ),
        update: object({
          email: str({ format: 'email' }),
          password: str({ minLength: 8 }),
          fullName: nullable(str()),
          role: ROLE,
          disabled: { type: 'boolean' },
        }),
      }),
      ...crud({
        tag: 'Teams',
        path: '/api/v1/teams',
        schema: 'Team',
        listParams: [...pageParams, sortParam(['id', 'name', 'createdAt']), queryParam('q', str())],
        create: object(
          {
            name: str({ minLength: 1, maxLength: 100 }),
            description: str({ maxLength: 2000 }),
            settings: ref('TeamSettings'),
          },
          ['name']
        ),
        update: object({
          name: str({ minLength: 1, maxLength: 100 }),
          description: nullable(str({ maxLength: 2000 })),
          settings: ref('TeamSettings'),
        }),
      }),
      '/api/v1/teams/{id}/assistant/preview': {
        post: op({
          summary:
            "The system message the team's assistant would get, with sample sources: for the saved prompt, or a draft",
          tags: ['Teams'],
          params: [pathParam('id')],
          body: object({ prompt: str({ minLength: 1, maxLength: 8000 }) }),
          ok: [
            200,
            one(
              object({
                prompt: str({ description: 'The prompt with {{team}} filled in' }),
                system: str({ description: 'The whole system message' }),
                defaults: object({
                  prompt: str(),
                  model: nullable(str()),
                  baseUrl: nullable(str()),
                  threshold: { type: 'number' },
                  maxTokens: { type: 'integer' },
                  deadlineSeconds: { type: 'number' },
                  historyTokens: { type: 'integer' },
                }),
              })
            ),
          ],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/teams/{teamId}/members': {
        get: op({
          summary: 'Members of a team',
          tags: ['Teams'],
          params: [pathParam('teamId'), ...pageParams],
          ok: [200, list(ref('User'))],
          errors: [404, 422],
        }),
        post: op({
          summary: 'Add a member (201 added, 200 already a member)',
          tags: ['Teams'],
          params: [pathParam('teamId')],
          body: object({ userId: int }, ['userId']),
          ok: [201, one(ref('User'))],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/teams/{teamId}/members/{userId}': {
        delete: op({
          summary: 'Remove a member',
          tags: ['Teams'],
          params: [pathParam('teamId'), pathParam('userId')],
          ok: [204, null],
          errors: [403, 404],
        }),
      },
      ...crud({
        tag: 'Contacts',
        path: '/api/v1/contacts',
        schema: 'Contact',
        listParams: [
          ...pageParams,
          sortParam(['id', 'name', 'createdAt', 'updatedAt']),
          queryParam('teamId', int),
          queryParam('q', str(), 'Matches name, email or phone'),
        ],
        create: object(
          {
            teamId: int,
            name: str(),
            email: str({ format: 'email' }),
            phone: str(),
            locale: str(),
            attributes: { type: 'object' },
          },
          ['teamId']
        ),
        update: object({
          name: nullable(str()),
          email: nullable(str()),
          phone: nullable(str()),
          locale: nullable(str()),
          attributes: { type: 'object' },
        }),
      }),
      ...crud({
        tag: 'Conversations',
        path: '/api/v1/conversations',
        schema: 'Conversation',
        listParams: [
          ...pageParams,
          sortParam([...CONVERSATION_SORTS]),
          queryParam(
            'status',
            str(),
            'One or more of open,pending,snoozed,resolved, comma-separated'
          ),
          queryParam('owner', str(), 'One or more of bot,queued,human'),
          queryParam('priority', str(), 'One or more of low,normal,high,urgent'),
          queryParam('teamId', int),
          queryParam('channelId', int),
          queryParam('contactId', int),
          queryParam('assigneeId', { anyOf: [int, str({ enum: ['me', 'none'] })] }),
          queryParam('tag', TAG),
          queryParam(
            'q',
            str({ maxLength: 200 }),
            'Full-text search over message bodies and contact names'
          ),
        ],
        create: object(
          {
            teamId: int,
            contactId: int,
            channelId: int,
            subject: str(),
            priority: PRIORITY,
            tags: { type: 'array', items: TAG },
            assigneeId: nullable(int),
          },
          ['teamId', 'contactId']
        ),
        update: object({
          teamId: int,
          subject: nullable(str()),
          status: STATUS,
          owner: OWNER,
          priority: PRIORITY,
          assigneeId: nullable(int),
          tags: { type: 'array', items: TAG },
          snoozedUntil: dateTime,
        }),
      }),
      '/api/v1/conversations/{id}/tags': {
        post: op({
          summary: 'Add tags',
          tags: ['Conversations'],
          params: [pathParam('id')],
          body: object({ tags: { type: 'array', items: TAG, minItems: 1 } }, ['tags']),
          ok: [200, one(object({ tags: { type: 'array', items: str() } }))],
          errors: [404, 422],
        }),
      },
      '/api/v1/conversations/{id}/tags/{tag}': {
        delete: op({
          summary: 'Remove a tag',
          tags: ['Conversations'],
          params: [pathParam('id'), pathParam('tag', TAG)],
          ok: [200, one(object({ tags: { type: 'array', items: str() } }))],
          errors: [404, 422],
        }),
      },
      ...crud({
        tag: 'Messages',
        path: '/api/v1/conversations/{conversation_id}/messages',
        schema: 'Message',
        parentParams: [pathParam('conversation_id')],
        listParams: [...pageParams, sortParam(['id'])],
        create: {
          ...object({
            text: str({ minLength: 1, maxLength: 20000 }),
            internal: {
              type: 'boolean',
              description: 'An internal note (text only), never sent to the customer',
            },
            format: {
              type: 'string',
              enum: ['plain', 'markdown', 'html'],
              description: 'plain unless set; markdown: **bold**, _italic_, `code`, [text](url)',
            },
            attachments: {
              type: 'array',
              minItems: 1,
              maxItems: 10,
              description: 'Files by URL, fetched by the platform; sent before the text',
              items: object(
                {
                  kind: { type: 'string', enum: ['photo', 'document'] },
                  url: str({ format: 'uri', maxLength: 2000 }),
                  name: str({ maxLength: 255 }),
                },
                ['kind', 'url']
              ),
            },
            buttons: {
              type: 'array',
              description: 'Rows of buttons; a press arrives as a message of kind callback',
              items: {
                type: 'array',
                minItems: 1,
                maxItems: 8,
                items: object(
                  {
                    text: str({ minLength: 1, maxLength: 64 }),
                    data: str({ minLength: 1, maxLength: 64 }),
                    url: str({ format: 'uri' }),
                  },
                  ['text']
                ),
              },
            },
          }),
          anyOf: [{ required: ['text'] }, { required: ['attachments'] }],
        },
        update: object({ text: str({ minLength: 1, maxLength: 20000 }) }, ['text']),
      }),
      ...crud({
        tag: 'Tags',
        path: '/api/v1/tags',
        schema: 'Tag',
        listParams: [...pageParams, sortParam(['name', 'id']), queryParam('teamId', int)],
        create: object({ teamId: int, name: TAG, color: str({ pattern: '^#[0-9a-fA-F]{6}$' }) }, [
          'teamId',
          'name',
        ]),
        update: object({ name: TAG, color: nullable(str({ pattern: '^#[0-9a-fA-F]{6}$' })) }),
      }),
      ...crud({
        tag: 'Channels',
        path: '/api/v1/channels',
        schema: 'Channel',
        listParams: [
          ...pageParams,
          sortParam(['name', 'id', 'createdAt']),
          queryParam('teamId', int),
          queryParam('platform', str()),
        ],
        create: object(
          {
            platform: str({ enum: ['telegram', 'api'] }),
            name: str({ minLength: 1, maxLength: 100 }),
            teamId: int,
            config: {
              type: 'object',
              description:
                'telegram: {token, mode: "webhook"|"polling", apiRoot?}; api: {webhookUrl}',
            },
          },
          ['platform', 'name', 'teamId', 'config']
        ),
        update: object({ name: str({ minLength: 1, maxLength: 100 }), config: { type: 'object' } }),
      }),
      ...Object.fromEntries(
        (['start', 'stop'] as const).map((action) => [
          `/api/v1/channels/{id}/${action}`,
          {
            post: op({
              summary: action === 'start' ? 'Start the channel' : 'Stop the channel',
              tags: ['Channels'],
              params: [pathParam('id')],
              ok: [200, one(ref('Channel'))],
              errors: [403, 404],
            }),
          },
        ])
      ),
      '/api/v1/channels/{id}/inbound': {
        post: op({
          summary:
            'API channel: a customer message from your app (Bearer <inboundKey>, Idempotency-Key header)',
          tags: ['Webhooks'],
          auth: false,
          params: [
            pathParam('id'),
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: str({ maxLength: 255 }),
            },
          ],
          body: object(
            {
              contact: object({ externalId: str(), name: str() }, ['externalId']),
              message: object(
                {
                  id: str(),
                  text: str({ maxLength: 65536 }),
                  attachments: {
                    type: 'array',
                    items: object({ url: str({ format: 'uri' }), name: str(), mimeType: str() }, [
                      'url',
                    ]),
                  },
                },
                ['id']
              ),
            },
            ['contact', 'message']
          ),
          ok: [
            202,
            one(object({ duplicate: { type: 'boolean' }, conversationId: int, messageId: int })),
          ],
          errors: [401, 404, 422],
        }),
      },
      '/webhooks/telegram/{channelId}': {
        post: op({
          summary: 'Telegram webhook (X-Telegram-Bot-Api-Secret-Token)',
          tags: ['Webhooks'],
          auth: false,
          params: [pathParam('channelId')],
          body: { type: 'object', description: 'A Telegram Update' },
          ok: [200, object({ ok: { type: 'boolean' } })],
          errors: [400, 401, 404],
        }),
      },
      ...crud({
        tag: 'Workspaces',
        path: '/api/v1/workspaces',
        schema: 'Workspace',
        listParams: [
          ...pageParams,
          sortParam(['name', 'id', 'createdAt']),
          queryParam('teamId', int),
          queryParam('platform', str({ enum: ['slack', 'telegram'] })),
        ],
        create: object(
          {
            platform: str({ enum: ['slack', 'telegram'] }),
            name: str({ minLength: 1, maxLength: 100 }),
            teamId: int,
            config: {
              type: 'object',
              description:
                'slack: {botToken, signingSecret, channelId, apiUrl?}; telegram: {channelId (a Telegram channel of the team), chatId (the forum group)}',
            },
            routing: ref('WorkspaceRouting'),
            enabled: { type: 'boolean' },
          },
          ['platform', 'name', 'teamId', 'config']
        ),
        update: object({
          name: str({ minLength: 1, maxLength: 100 }),
          config: { type: 'object' },
          routing: ref('WorkspaceRouting'),
          enabled: { type: 'boolean' },
        }),
      }),
      ...crud({
        tag: 'Knowledge',
        path: '/api/v1/knowledge/collections',
        schema: 'KnowledgeCollection',
        listParams: [
          ...pageParams,
          sortParam(['name', 'id', 'createdAt']),
          queryParam('teamId', int),
        ],
        create: object(
          {
            teamId: int,
            name: str({ minLength: 1, maxLength: 100 }),
            description: nullable(str({ maxLength: 1000 })),
          },
          ['teamId', 'name']
        ),
        update: object({
          name: str({ minLength: 1, maxLength: 100 }),
          description: nullable(str({ maxLength: 1000 })),
        }),
      }),
      ...crud({
        tag: 'Knowledge',
        path: '/api/v1/knowledge/documents',
        schema: 'KnowledgeDocument',
        listParams: [
          ...pageParams,
          sortParam(['title', 'id', 'createdAt', 'updatedAt']),
          queryParam('teamId', int),
          queryParam('collectionId', int),
          queryParam('q', str(), 'Words in the title'),
        ],
        create: object(
          {
            collectionId: int,
            title: str({ maxLength: 200 }),
            format: str({ enum: ['markdown', 'text', 'html'], description: 'Of `content`' }),
            content: str({ maxLength: 1000000 }),
            url: str({ format: 'uri', description: 'An http(s) page or file to import' }),
            externalId: str({
              maxLength: 512,
              description: 'Your stable key: saving it again updates the document',
            }),
            file: str({
              format: 'binary',
              description:
                'As multipart/form-data: a .md, .txt, .html or .pdf file (20 MB at most)',
            }),
          },
          ['collectionId']
        ),
        update: object({
          title: str({ maxLength: 200 }),
          format: str({ enum: ['markdown', 'text', 'html'] }),
          content: str({ maxLength: 1000000 }),
        }),
      }),
      '/api/v1/knowledge/documents/{id}/chunks': {
        get: op({
          summary: 'The chunks a document is indexed as, in order, with their heading paths',
          tags: ['Knowledge'],
          params: [pathParam('id'), ...pageParams],
          ok: [200, list(ref('KnowledgeChunk'))],
          errors: [404, 422],
        }),
      },
      '/api/v1/knowledge/search': {
        get: op({
          summary: "Search a team's knowledge as the assistant does",
          tags: ['Knowledge'],
          params: [
            queryParam('q', str({ minLength: 1, maxLength: 500 })),
            queryParam(
              'teamId',
              int,
              'Required unless you belong to one team or give collectionId'
            ),
            queryParam('collectionId', int),
            queryParam('limit', { type: 'integer', minimum: 1, maximum: 50 }),
          ],
          ok: [200, list(ref('KnowledgeHit'))],
          errors: [404, 422],
        }),
      },
      '/api/v1/usage': {
        get: op({
          summary: "The assistant's model calls, tokens, cost, answers, handoffs and votes",
          tags: ['Usage'],
          params: [
            queryParam('from', str({ format: 'date' }), 'First day (UTC); default: start of month'),
            queryParam('to', str({ format: 'date' }), 'Last day, included; default: today'),
            queryParam('groupBy', str({ enum: ['day', 'team', 'channel', 'model'] })),
            queryParam('teamId', int),
          ],
          ok: [
            200,
            object(
              {
                data: { type: 'array', items: ref('UsageRow') },
                meta: object(
                  {
                    from: str({ format: 'date' }),
                    to: str({ format: 'date' }),
                    groupBy: str({ enum: ['day', 'team', 'channel', 'model'] }),
                    totals: { ...ref('UsageRow'), description: 'The sums over every row (no key)' },
                  },
                  ['from', 'to', 'groupBy', 'totals']
                ),
              },
              ['data', 'meta']
            ),
          ],
          errors: [404, 422],
        }),
      },
      '/api/v1/reports/overview': {
        get: op({
          summary:
            "The dashboard: the desk's numbers and series over a period (members read their teams')",
          tags: ['Reports'],
          params: reportParams,
          ok: [
            200,
            object({ data: ref('ReportOverview'), meta: ref('ReportPeriod') }, ['data', 'meta']),
          ],
          errors: [404, 422],
        }),
      },
      '/api/v1/reports/conversations.csv': {
        get: {
          summary: 'The conversations created in the period as CSV, oldest first, streamed',
          tags: ['Reports'],
          parameters: reportParams,
          description:
            'Columns: id, created_at, team, channel, platform, status, owner, assignee_email, tags (space-separated), message_count, first_response_s, resolved_at, resolution_s. Times are ISO 8601 in `tz`. Cells starting with = + - @ (or a tab or carriage return) are prefixed with a single quote.',
          responses: {
            '200': {
              description: 'Content-Disposition: attachment; filename="conversations-FROM-TO.csv"',
              content: { 'text/csv': { schema: str() } },
            },
            ...errors(401, 404, 422),
          },
        },
      },
      '/api/v1/operator-identities': {
        get: op({
          summary: 'Workspace accounts linked to users',
          tags: ['Workspaces'],
          params: [
            ...pageParams,
            queryParam('userId', int),
            queryParam('platform', str({ enum: ['slack', 'telegram'] })),
          ],
          ok: [200, list(ref('OperatorIdentity'))],
          errors: [422],
        }),
        post: op({
          summary: 'Link a workspace account to a user (admins; supervisors for their teams)',
          tags: ['Workspaces'],
          body: object(
            {
              userId: int,
              platform: str({ enum: ['slack', 'telegram'] }),
              externalId: str({ pattern: '^[A-Za-z0-9:_-]{1,255}$' }),
              displayName: str({ maxLength: 200 }),
            },
            ['userId', 'platform', 'externalId']
          ),
          ok: [201, one(ref('OperatorIdentity'))],
          errors: [409, 422],
        }),
      },
      '/api/v1/operator-identities/{id}': {
        delete: op({
          summary: 'Unlink a workspace account',
          tags: ['Workspaces'],
          params: [pathParam('id')],
          ok: [204, null],
          errors: [404],
        }),
      },
      '/webhooks/slack/{workspaceId}': {
        post: op({
          summary:
            'Slack Events API, interactivity and the /sb slash command (X-Slack-Signature, 5-minute window)',
          tags: ['Webhooks'],
          auth: false,
          params: [pathParam('workspaceId')],
          body: { type: 'object', description: 'A Slack request, JSON or form-encoded' },
          ok: [
            200,
            object({
              challenge: str({ description: 'Only for url_verification' }),
              response_type: str({ description: 'Only for a slash command: ephemeral' }),
              text: str({ description: "Only for a slash command: the command's answer" }),
            }),
          ],
          errors: [400, 401, 404],
        }),
      },
      ...crud({
        tag: 'Rules',
        path: '/api/v1/rules',
        schema: 'Rule',
        listParams: [
          ...pageParams,
          sortParam(['priority', 'id', 'name', 'createdAt']),
          queryParam('teamId', int),
          queryParam('enabled', { type: 'boolean' }),
          queryParam('triggerType', str()),
        ],
        create: object(
          {
            teamId: int,
            name: str({ minLength: 1, maxLength: 200 }),
            enabled: { type: 'boolean' },
            priority: { type: 'integer', minimum: 0 },
            trigger: ref('RuleTrigger'),
            conditions: ref('RuleConditions'),
            actions: { type: 'array', minItems: 1, maxItems: 20, items: ref('RuleAction') },
            stopProcessing: { type: 'boolean' },
            cooldownSeconds: { type: 'integer', minimum: 0 },
          },
          ['name', 'trigger', 'actions']
        ),
        update: object(
          {
            name: str({ minLength: 1, maxLength: 200 }),
            enabled: { type: 'boolean' },
            priority: { type: 'integer', minimum: 0 },
            trigger: ref('RuleTrigger'),
            conditions: ref('RuleConditions'),
            actions: { type: 'array', minItems: 1, maxItems: 20, items: ref('RuleAction') },
            stopProcessing: { type: 'boolean' },
            cooldownSeconds: { type: 'integer', minimum: 0 },
          },
          []
        ),
      }),
      ...Object.fromEntries(
        (['enable', 'disable'] as const).map((action) => [
          `/api/v1/rules/{id}/${action}`,
          {
            post: op({
              summary: action === 'enable' ? 'Switch the rule on' : 'Switch the rule off',
              tags: ['Rules'],
              params: [pathParam('id')],
              ok: [200, one(ref('Rule'))],
              errors: [403, 404],
            }),
          },
        ])
      ),
      '/api/v1/rules/reorder': {
        post: op({
          summary: "Set the order of the team's rules (priorities 10, 20, ...)",
          tags: ['Rules'],
          body: object({ teamId: int, ids: { type: 'array', items: int } }, ['ids']),
          ok: [200, one({ type: 'array', items: ref('Rule') })],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/rules/schema': {
        get: op({
          summary: 'What a rule may say: triggers, condition fields, operators, actions, limits',
          tags: ['Rules'],
          ok: [200, one(ref('RuleSchema'))],
        }),
      },
      '/api/v1/rules/export': {
        get: op({
          summary: "The team's rules as portable JSON",
          tags: ['Rules'],
          params: [queryParam('teamId', int)],
          ok: [
            200,
            object({ format: str(), version: { type: 'integer' }, rules: { type: 'array' } }),
          ],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/rules/signing-secret': {
        get: op({
          summary: "The secret the team's rule webhooks are signed with (Standard Webhooks)",
          tags: ['Rules'],
          params: [queryParam('teamId', int)],
          ok: [200, one(object({ teamId: int, secret: str({ pattern: '^whsec_' }) }))],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/rules/import': {
        post: op({
          summary: 'Import rules from JSON (all or nothing; errors name the path)',
          tags: ['Rules'],
          body: object(
            {
              teamId: int,
              mode: str({ enum: ['merge', 'replace'] }),
              rules: { type: 'array', items: { type: 'object' } },
            },
            ['rules']
          ),
          ok: [201, one(object({ created: { type: 'integer' }, updated: { type: 'integer' } }))],
          errors: [403, 404, 422],
        }),
      },
      '/api/v1/rules/{id}/executions': {
        get: op({
          summary: "The rule's evaluations, newest first, each explained",
          tags: ['Rules'],
          params: [
            pathParam('id'),
            ...pageParams,
            queryParam('outcome', str()),
            queryParam('conversationId', int),
          ],
          ok: [200, list(ref('RuleExecution'))],
          errors: [404, 422],
        }),
      },
      '/api/v1/rules/{id}/dry-run': {
        post: op({
          summary: 'What the rule would do now, with no side effects',
          tags: ['Rules'],
          params: [pathParam('id')],
          body: object({
            conversationId: int,
            event: object({ type: str(), conversationId: int, data: { type: 'object' } }, ['type']),
          }),
          ok: [
            200,
            one(
              object({
                event: { type: 'object' },
                evaluation: {
                  type: 'object',
                  description:
                    'As in the log: outcome (would_fire, conditions_failed, cooldown, trigger_mismatch...), the conditions reached, each action would_run with its filled-in text as detail',
                },
                conditions: {
                  type: 'array',
                  description:
                    'Every condition of the rule, reached or not, with the value it sees now',
                  items: object({
                    path: str(),
                    field: str(),
                    operator: str(),
                    value: {},
                    seen: {},
                    result: { type: 'boolean', description: 'What this condition alone answers' },
                    reached: { type: 'boolean', description: 'Whether the evaluation got to it' },
                  }),
                },
                actions: {
                  type: 'array',
                  description: 'Every action, its texts with the placeholders filled in',
                  items: object({
                    index: { type: 'integer' },
                    type: str(),
                    rendered: {
                      type: 'object',
                      additionalProperties: str(),
                      description: 'Option name → text as it would be sent',
                    },
                  }),
                },
              })
            ),
          ],
          errors: [404, 422],
        }),
      },
      '/api/v1/events': {
        post: op({
          summary: "A custom event: runs the team's custom rules of that name",
          tags: ['Rules'],
          body: object(
            {
              id: str({ description: 'Your id for the event; the same id runs once' }),
              name: str({ pattern: '^[a-z0-9][a-z0-9_.:-]{0,99}$' }),
              teamId: int,
              conversationId: int,
              contact: object({ id: int, email: str(), phone: str() }),
              data: { type: 'object' },
            },
            ['name']
          ),
          ok: [
            202,
            one(
              object({
                key: str(),
                conversationId: nullable(int),
                evaluations: { type: 'array', items: { type: 'object' } },
              })
            ),
          ],
          errors: [404, 422],
        }),
      },
      '/api/v1/messages/{id}/retry': {
        post: op({
          summary: 'Queue a failed outbound message again',
          tags: ['Messages'],
          params: [pathParam('id')],
          ok: [200, one(ref('Message'))],
          errors: [404, 409],
        }),
      },
      '/api/v1/messages/{id}/attachments/{index}': {
        get: {
          ...op({
            summary: 'An attachment, fetched from the platform',
            tags: ['Messages'],
            params: [pathParam('id'), pathParam('index')],
            ok: [200, null],
            errors: [404, 502],
          }),
        },
      },
      '/__transmit/events': {
        get: {
          ...op({
            summary: 'Live updates: a Server-Sent Events stream',
            tags: ['Live'],
            params: [
              {
                name: 'uid',
                in: 'query',
                required: true,
                schema: str({ pattern: '^[\\w-]{1,64}$' }),
                description: 'A random id for this stream, chosen by the client (a UUID)',
              },
            ],
            ok: [200, null],
            errors: [409, 422],
          }),
          description:
            'Each event is `data: {"channel":"teams/<id>","payload":{"event","data"}}`: message.created and message.updated with data {conversationId, messageId}, conversation.updated with data {conversationId}. Follow teams with POST /__transmit/subscribe. 409: the uid is in use by another user\'s stream.',
          responses: {
            '200': {
              description: 'The stream; stays open, with a ping every 30 s',
              content: { 'text/event-stream': { schema: str() } },
            },
            ...errors(401, 409, 422),
          },
        },
      },
      ...Object.fromEntries(
        (['subscribe', 'unsubscribe'] as const).map((action) => [
          `/__transmit/${action}`,
          {
            post: op({
              summary:
                action === 'subscribe'
                  ? "Follow a team's channel `teams/<id>` on an open stream (members of the team and admins)"
                  : "Stop following a team's channel on an open stream",
              tags: ['Live'],
              body: object(
                {
                  uid: str({ pattern: '^[\\w-]{1,64}$' }),
                  channel: str({ pattern: '^teams/[1-9][0-9]*$' }),
                },
                ['uid', 'channel']
              ),
              ok: [204, null],
              // 404: no stream of the caller's with this uid is open on this server.
              errors: [403, 404, 422],
            }),
          },
        ])
      ),
      '/api/v1/audit-logs': {
        get: op({
          summary: 'Audit log (admins)',
          tags: ['Audit'],
          params: [
            ...pageParams,
            queryParam('action', str()),
            queryParam('actorId', int),
            queryParam('subjectType', str()),
            queryParam('subjectId', str()),
          ],
          ok: [200, list(ref('AuditLog'))],
          errors: [403, 422],
        }),
      },
    },
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from POST /api/v1/auth/tokens',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'switchboard-session' },
      },
    },
  }
}
