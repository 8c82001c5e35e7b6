/*
| The panel's rule builder, form ⇄ JSON: real rules (the built-ins, the
| README's, one per trigger and per action from GET /rules/schema's own
| description) survive the round trip and still pass the validator; empty
| groups are dropped; and every error the API names lands on the form
| field it means, also when a dropped group shifted the indexes.
*/
import { test } from '@japa/runner'
import { createRuleValidator } from '#validators/rule'
import { checkConditions } from '#automation/conditions'
import { DEFAULT_RULES } from '#automation/defaults'
import { rulesSchema } from '#automation/rule_schema'
import {
  changeActionType,
  coerceValue,
  fieldMessage,
  fieldSpec,
  formPathOf,
  fromForm,
  isRequired,
  joinField,
  newCondition,
  parseRuleJson,
  splitField,
  splitImportPath,
  toForm,
  toJsonText,
  type RuleFormValues,
  type RuleSchema,
} from '../../admin/src/resources/rules/rule_form.ts'

type Json = Record<string, any>

const schema = rulesSchema() as unknown as RuleSchema

/** A rule with every key the export writes, so the round trip can be compared whole. */
const full = (rule: Json): Json => ({
  name: rule.name,
  enabled: rule.enabled ?? true,
  ...(rule.priority !== undefined && { priority: rule.priority }),
  trigger: rule.trigger,
  conditions: rule.conditions ?? { all: [] },
  actions: rule.actions,
  stopProcessing: rule.stopProcessing ?? false,
  cooldownSeconds: rule.cooldownSeconds ?? 0,
})

const roundTrip = (rule: Json) => fromForm(toForm(rule)).rule

/** What the API would say of a rule: the validator, then the condition checks. */
async function apiErrors(rule: Json): Promise<Array<{ field: string; message: string }>> {
  try {
    await createRuleValidator.validate(rule)
  } catch (error) {
    return (error as { messages: Array<{ field: string; message: string }> }).messages
  }
  return checkConditions(rule.conditions)
}

/** An option value from nothing but its descriptor (as the schema's own test builds them). */
function sample(option: Json): unknown {
  if (option.enum) return option.type.endsWith('[]') ? [option.enum[0]] : option.enum[0]
  if (option.ref) return 1
  switch (option.format) {
    case 'duration':
      return '2h'
    case 'cron':
      return '0 9 * * 1-5'
    case 'timezone':
      return 'Europe/Berlin'
    case 'uri':
      return 'https://hooks.example.com/desk'
  }
  if (option.type === 'integer' || option.type === 'number') return option.min ?? 1
  if (option.type === 'boolean') return true
  if (option.type === 'string[]') return ['refund']
  return option.template ? 'Hi {{contact.first_name | there}}' : 'sample'
}

/** Every option of a kind, filled in. */
const filled = (kind: Json): Json =>
  Object.fromEntries([['type', kind.type], ...kind.options.map((o: Json) => [o.name, sample(o)])])

const README_RULES: Json[] = [
  {
    name: 'Refund keyword',
    enabled: true,
    priority: 100,
    trigger: { type: 'message.received' },
    conditions: {
      all: [
        { field: 'message.text', operator: 'matches', value: '(?i)\\brefunds?\\b' },
        {
          any: [
            { field: 'owner', operator: 'equals', value: 'bot' },
            { field: 'tags', operator: 'contains', value: 'vip' },
          ],
        },
      ],
    },
    actions: [
      {
        type: 'send_message',
        text: 'Hi {{contact.first_name | there}}, refunds take 5 to 10 days.',
      },
      { type: 'add_tags', tags: ['refund'] },
    ],
    stopProcessing: false,
    cooldownSeconds: 3600,
  },
  {
    name: 'Escalate after 10 minutes',
    trigger: { type: 'conversation.inactive', waiting: 'customer', minutes: 10 },
    conditions: { all: [{ field: 'owner', operator: 'in', value: ['queued', 'human'] }] },
    actions: [
      { type: 'set_priority', priority: 'urgent' },
      { type: 'assign_operator', strategy: 'least_busy' },
      { type: 'notify_workspace', text: '{{contact.name}} has waited {{event.minutes}} minutes' },
    ],
  },
  {
    name: 'Daily digest',
    trigger: { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    actions: [{ type: 'webhook', url: 'https://hooks.example.com/desk-digest' }],
  },
  {
    name: 'Deep and mixed',
    trigger: { type: 'custom', name: 'payment.failed' },
    conditions: {
      any: [
        {
          all: [
            { field: 'event.data.amount', operator: 'gt', value: 100 },
            { any: [{ field: 'contact.attributes.plan', operator: 'equals', value: 'pro' }] },
          ],
        },
        { field: 'contact.attributes.vip', operator: 'equals', value: true },
        { field: 'assignee', operator: 'absent' },
        { field: 'assignee', operator: 'equals', value: null },
      ],
    },
    actions: [{ type: 'hand_off', reason: 'Payment failed' }],
  },
]

test.group('Panel rule builder: form and JSON', () => {
  test('the built-in rules and the README rules come back unchanged', async ({ assert }) => {
    const rules = [...DEFAULT_RULES.map(({ builtin: _, ...rule }) => rule as Json), ...README_RULES]
    assert.isAbove(rules.length, 6)
    for (const rule of rules) {
      const whole = full(rule)
      assert.deepEqual(roundTrip(whole), whole, rule.name)
      assert.deepEqual(await apiErrors(roundTrip(whole)), [], rule.name)
    }
  })

  test('every trigger and every action the schema lists survives, and is accepted', async ({
    assert,
  }) => {
    const onSchedule = schema.actions.filter((a) => a.allowedOnSchedule)
    for (const trigger of schema.triggers) {
      const actions = (trigger.type === 'schedule' ? onSchedule : schema.actions).map(filled)
      // assign_operator with both a member and a strategy is valid; keep one so it reads plainly.
      for (const a of actions) if (a.type === 'assign_operator') delete a.strategy
      const rule = full({
        name: `On ${trigger.type}`,
        trigger: filled(trigger),
        conditions: {
          all: [newCondition(schema, trigger.type)].map((c) => ({ ...c, value: 'x' })),
        },
        actions: actions.slice(0, 20),
      })
      assert.deepEqual(roundTrip(rule), rule, trigger.type)
      assert.deepEqual(await apiErrors(roundTrip(rule)), [], trigger.type)
    }
    assert.lengthOf(schema.actions, 13)
  })

  test('JSON text → form → JSON text is the same text', ({ assert }) => {
    for (const rule of README_RULES) {
      const text = JSON.stringify(full(rule), null, 2)
      const parsed = parseRuleJson(text)
      assert.isTrue(parsed.ok)
      if (parsed.ok) assert.equal(toJsonText(parsed.values), text)
    }
  })

  test('what cannot be a rule is refused with the reason; what is missing gets defaults', ({
    assert,
  }) => {
    const broken = parseRuleJson('{ "name": "x", ')
    assert.isFalse(broken.ok)
    if (!broken.ok) assert.match(broken.error, /^Not valid JSON/)
    const list = parseRuleJson('[1, 2]')
    assert.isFalse(list.ok)
    const exported = parseRuleJson(JSON.stringify({ format: 'switchboard.rules', rules: [] }))
    assert.isFalse(exported.ok)
    if (!exported.ok) assert.include(exported.error, 'Import')

    const bare = parseRuleJson('{"name": "Bare"}')
    assert.isTrue(bare.ok)
    if (!bare.ok) return
    assert.deepInclude(bare.values, {
      name: 'Bare',
      enabled: true,
      conditions: { all: [] },
      actions: [],
      stopProcessing: false,
      cooldownSeconds: 0,
    })
    // A single condition at the root becomes a group of one.
    const leaf = toForm({ conditions: { field: 'status', operator: 'equals', value: 'open' } })
    assert.deepEqual(leaf.conditions, {
      all: [{ field: 'status', operator: 'equals', value: 'open' }],
    })
    // The form never shares objects with the record it was made from.
    const record = full(README_RULES[0])
    const values = toForm(record)
    ;(values.actions[1].tags as string[]).push('changed')
    assert.deepEqual(record.actions[1].tags, ['refund'])
  })

  test('emptied options and values are left out; null stays a value', ({ assert }) => {
    const values = toForm(
      full({
        name: 'Blank',
        trigger: { type: 'conversation.status_changed', from: undefined, to: '' },
        conditions: {
          all: [
            { field: 'assignee', operator: 'equals', value: null },
            { field: 'message.text', operator: 'contains', value: '' },
          ],
        },
        actions: [{ type: 'hand_off', reason: '', source: null }],
      })
    )
    values.cooldownSeconds = null
    const { rule } = fromForm(values)
    assert.deepEqual(rule.trigger, { type: 'conversation.status_changed' })
    assert.deepEqual(rule.actions, [{ type: 'hand_off' }])
    assert.deepEqual(rule.conditions, {
      all: [
        { field: 'assignee', operator: 'equals', value: null },
        { field: 'message.text', operator: 'contains' },
      ],
    })
    assert.equal(rule.cooldownSeconds, 0)
  })

  test('empty groups are dropped, however deep; an empty root holds always', ({ assert }) => {
    const values = toForm({
      name: 'Groups',
      trigger: { type: 'message.received' },
      conditions: {
        any: [
          { all: [] },
          { all: [{ any: [] }, { all: [{ any: [] }] }] },
          { field: 'status', operator: 'equals', value: 'open' },
        ],
      },
      actions: [{ type: 'ai_answer' }],
    })
    assert.deepEqual(fromForm(values).rule.conditions, {
      any: [{ field: 'status', operator: 'equals', value: 'open' }],
    })
    values.conditions = { any: [{ all: [] }] }
    assert.deepEqual(fromForm(values).rule.conditions, { all: [] })
  })
})

test.group('Panel rule builder: API errors on their fields', () => {
  /** The form value a name path points at. */
  const at = (values: RuleFormValues, path: Array<string | number>) =>
    path.reduce<any>((node, key) => node?.[key], values)

  test("the API's own errors land on the form input they name", async ({ assert }) => {
    const values = toForm({
      name: 'Errors',
      trigger: { type: 'message.received' },
      conditions: {
        any: [
          { all: [] },
          { field: 'message.text', operator: 'gt', value: 'x' },
          {
            all: [{ any: [] }, { field: 'contact.attributes.plan', operator: 'in', value: 'pro' }],
          },
          { field: 'message.mood', operator: 'equals', value: 'sad' },
        ],
      },
      actions: [{ type: 'add_tags', tags: ['refund'] }],
    })
    const { rule, paths } = fromForm(values)
    const errors = await apiErrors(rule)
    assert.sameMembers(
      errors.map((e) => e.field),
      ['conditions.any.0.value', 'conditions.any.1.all.0.value', 'conditions.any.2.field']
    )
    const placed = Object.fromEntries(errors.map((e) => [e.field, formPathOf(e.field, paths)]))
    assert.deepEqual(placed['conditions.any.0.value'], ['conditions', 'any', 1, 'value'])
    assert.deepEqual(placed['conditions.any.1.all.0.value'], [
      'conditions',
      'any',
      2,
      'all',
      1,
      'value',
    ])
    assert.deepEqual(placed['conditions.any.2.field'], ['conditions', 'any', 3, 'field'])
    // Each points at the very value the API complained about.
    assert.equal(at(values, placed['conditions.any.0.value']), 'x')
    assert.equal(at(values, placed['conditions.any.1.all.0.value']), 'pro')
    assert.equal(at(values, placed['conditions.any.2.field']), 'message.mood')
  })

  test('validator errors on options keep their path; whole-action and trigger errors go to the type', async ({
    assert,
  }) => {
    const values = toForm({
      name: 'Actions',
      trigger: { type: 'message.count' },
      actions: [
        { type: 'add_tags', tags: ['x'] },
        { type: 'webhook', url: 'ftp://nope' },
        { type: 'send_sms', text: 'hi' },
      ],
    })
    const { rule, paths } = fromForm(values)
    const fields = (await apiErrors(rule)).map((e) => e.field)
    assert.includeMembers(fields, ['trigger.count', 'actions.1.url', 'actions.2'])
    assert.deepEqual(formPathOf('actions.1.url', paths), ['actions', 1, 'url'])
    assert.deepEqual(formPathOf('actions.2', paths), ['actions', 2, 'type'])
    assert.deepEqual(formPathOf('trigger.count', paths), ['trigger', 'count'])
    assert.deepEqual(formPathOf('trigger', paths), ['trigger', 'type'])
    assert.deepEqual(formPathOf('name', paths), ['name'])
  })

  test('an error about a whole condition goes to its field; about a group, to the group', ({
    assert,
  }) => {
    const values = toForm({
      conditions: { all: [{ all: [] }, { field: 'status' }, { any: [{ field: 'tags' }] }] },
    })
    const { paths } = fromForm(values)
    assert.deepEqual(formPathOf('conditions.all.0', paths), ['conditions', 'all', 1, 'field'])
    assert.deepEqual(formPathOf('conditions.all.1', paths), ['conditions', 'all', 2])
    assert.deepEqual(formPathOf('conditions.all.1.any.0.operator', paths), [
      'conditions',
      'all',
      2,
      'any',
      0,
      'operator',
    ])
    assert.deepEqual(formPathOf('conditions', paths), ['conditions'])
  })

  test('messages lose the path they start with; import paths name their rule', ({ assert }) => {
    assert.equal(
      fieldMessage('conditions.any.0.value', 'conditions.any.0.value must be a number for gt'),
      'Must be a number for gt'
    )
    assert.equal(
      fieldMessage('actions.0.type', 'actions.0: a schedule rule concerns no conversation'),
      'A schedule rule concerns no conversation'
    )
    assert.equal(
      fieldMessage('name', 'The name field must be defined'),
      'The name field must be defined'
    )
    assert.deepEqual(splitImportPath('rules.3.conditions.all.0.operator'), {
      rule: 3,
      path: 'conditions.all.0.operator',
    })
    assert.deepEqual(splitImportPath('rules.0'), { rule: 0, path: '' })
    assert.deepEqual(splitImportPath('teamId'), { rule: null, path: 'teamId' })
  })
})

test.group('Panel rule builder: fields, operators and values', () => {
  test('pattern fields take a key; the schema knows the family', ({ assert }) => {
    assert.equal(fieldSpec(schema, 'contact.attributes.plan')?.name, 'contact.attributes.*')
    assert.equal(fieldSpec(schema, 'event.data.amount')?.name, 'event.*')
    assert.equal(fieldSpec(schema, 'message.text')?.type, 'string')
    assert.isUndefined(fieldSpec(schema, 'message.mood'))
    assert.deepEqual(splitField(schema, 'contact.attributes.plan'), {
      family: 'contact.attributes.*',
      key: 'plan',
    })
    assert.deepEqual(splitField(schema, 'status'), { family: 'status', key: '' })
    assert.equal(joinField('event.*', 'data.amount'), 'event.data.amount')
    assert.equal(joinField('status', 'ignored'), 'status')
    const condition = newCondition(schema, 'conversation.status_changed')
    assert.notEqual(fieldSpec(schema, condition.field)?.name.split('.')[0], 'message')
  })

  test('a value is refitted when the operator or the field changes', ({ assert }) => {
    const field = (name: string) => fieldSpec(schema, name)
    assert.deepEqual(coerceValue('open', 'list', field('status')), ['open'])
    assert.deepEqual(coerceValue(['open', 'nope'], 'list', field('status')), ['open'])
    assert.deepEqual(coerceValue(['3', 'x', 4], 'list', field('assignee')), [3, 4])
    assert.equal(coerceValue('12', 'number', field('message_count')), 12)
    assert.isUndefined(coerceValue('twelve', 'number', field('message_count')))
    assert.isUndefined(coerceValue('refund', 'none', field('message.text')))
    assert.equal(coerceValue(['a', 'b'], 'string', field('message.text')), 'a')
    assert.equal(coerceValue(5, 'pattern', field('message.text')), '5')
    assert.equal(coerceValue('false', 'any', field('business_hours')), false)
    assert.isUndefined(coerceValue('refund', 'any', field('status')))
    assert.equal(coerceValue(true, 'any', field('contact.attributes.vip')), true)
  })

  test('requiredIf and a change of action type follow the schema', ({ assert }) => {
    const assign = schema.actions.find((a) => a.type === 'assign_operator')!
    const userId = assign.options.find((o) => o.name === 'userId')!
    assert.isTrue(isRequired(userId, {}))
    assert.isFalse(isRequired(userId, { strategy: 'least_busy' }))
    const status = schema.actions.find((a) => a.type === 'set_status')!
    const snooze = status.options.find((o) => o.name === 'for')!
    assert.isTrue(isRequired(snooze, { status: 'snoozed' }))
    assert.isFalse(isRequired(snooze, { status: 'open' }))

    const note = schema.actions.find((a) => a.type === 'add_note')
    assert.deepEqual(changeActionType({ type: 'send_message', text: 'Hi' }, 'add_note', note), {
      type: 'add_note',
      text: 'Hi',
    })
    const tags = schema.actions.find((a) => a.type === 'add_tags')
    assert.deepEqual(changeActionType({ type: 'send_message', text: 'Hi' }, 'add_tags', tags), {
      type: 'add_tags',
    })
  })
})
