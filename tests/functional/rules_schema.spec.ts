/*
| GET /api/v1/rules/schema: who may read it, and that it tells the truth
| about the validator: it lists exactly the trigger and action types the
| validator accepts, rules built only from what it says are accepted (and
| rules that break what it says are not), every condition field it lists
| passes the condition checks with its operators, and its limits are the
| ones enforced.
*/
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { createRuleValidator } from '#validators/rule'
import { checkConditions } from '#automation/conditions'
import { makeUser, tokenFor } from '#tests/support/fixtures'
import { rulesDesk, type Desk } from '#tests/support/rules_desk'

type Json = Record<string, any>

/** A value an option accepts, from nothing but the schema's description of it. */
function sample(option: Json, desk: Desk): unknown {
  if (option.enum) return option.type.endsWith('[]') ? [option.enum[0]] : option.enum[0]
  if (option.ref === 'team') return desk.team.id
  if (option.ref === 'user') return desk.supervisor.id
  switch (option.format) {
    case 'duration':
      return '10m'
    case 'cron':
      return '0 9 * * 1-5'
    case 'timezone':
      return 'Europe/Berlin'
    case 'uri':
      return 'https://hooks.example.com/desk'
  }
  switch (option.type) {
    case 'integer':
    case 'number':
      return option.min ?? 1
    case 'boolean':
      return true
    case 'string[]':
      return ['sample']
    default:
      return 'sample'
  }
}

/** Adds the options that `requiredIf` makes due for what the body already says. */
function complete(kind: Json, body: Json, desk: Desk): Json {
  const done = { ...body }
  for (const option of kind.options) {
    const when = option.requiredIf
    if (!when || option.name in done) continue
    if ('missing' in when ? !(when.missing in done) : done[when.option] === when.equals) {
      done[option.name] = sample(option, desk)
    }
  }
  return done
}

/** The options a kind needs: the required ones, and the conditionally required when due. */
function minimal(kind: Json, desk: Desk): Json {
  const body: Json = { type: kind.type }
  for (const option of kind.options) if (option.required) body[option.name] = sample(option, desk)
  return complete(kind, body, desk)
}

/** A value of an operator's value type, fit for the field. */
function valueFor(operator: Json, field: Json): unknown {
  const scalar = field.enum?.[0] ?? { boolean: true, number: 1, id: 1 }[field.type as string] ?? 'x'
  switch (operator.valueType) {
    case 'none':
      return undefined
    case 'number':
      return 1
    case 'list':
      return [scalar]
    case 'string':
    case 'pattern':
      return 'x'
    default:
      return scalar
  }
}

/** A concrete field for a pattern (`event.*` → `event.data.amount`). */
const concrete = (field: Json) =>
  field.pattern
    ? field.name.replace('*', field.name.startsWith('event') ? 'data.amount' : 'plan')
    : field.name

async function schemaOf(client: ApiClient, token: string) {
  const response = await client.get('/api/v1/rules/schema').bearerToken(token)
  response.assertStatus(200)
  return response.body().data as Json
}

/** What the validator itself checks, read from its own JSON Schema (not from the endpoint). */
function validatorTypes() {
  const json = createRuleValidator.toJSONSchema() as Json
  const types = (union: Json) => union.anyOf.map((o: Json) => o.properties.type.enum[0])
  return {
    triggers: types(json.properties.trigger),
    actions: types(json.properties.actions.items),
  }
}

test.group('Rules schema', () => {
  test('anonymous callers get a 401; an operator reads it', async ({ client, assert }) => {
    ;(await client.get('/api/v1/rules/schema')).assertStatus(401)
    const desk = await rulesDesk()
    const operator = await tokenFor(await makeUser('operator', [desk.team]))
    const schema = await schemaOf(client, operator)
    assert.containsSubset(Object.keys(schema), [
      'triggers',
      'conditionFields',
      'operators',
      'actions',
      'limits',
    ])
    const statusChanged = schema.triggers.find(
      (t: Json) => t.type === 'conversation.status_changed'
    )
    assert.deepEqual(
      statusChanged.options.map((o: Json) => [o.name, o.type, o.required]),
      [
        ['from', 'enum', false],
        ['to', 'enum', false],
      ]
    )
    assert.sameMembers(statusChanged.options[0].enum, ['open', 'pending', 'snoozed', 'resolved'])
    const cron = schema.triggers.find((t: Json) => t.type === 'schedule').options[0]
    assert.include(cron, { name: 'cron', type: 'string', required: true, format: 'cron' })
    const send = schema.actions.find((a: Json) => a.type === 'send_message')
    assert.include(send.options[0], { name: 'text', template: true, maxLength: 4000 })
    assert.isFalse(send.allowedOnSchedule)
    assert.isTrue(schema.actions.find((a: Json) => a.type === 'webhook').allowedOnSchedule)
    assert.include(
      schema.templates.variables.map((v: Json) => v.name),
      'contact.first_name'
    )
    // A boolean is a boolean, not VineJS's enum of what it accepts.
    for (const kind of [...schema.triggers, ...schema.actions]) {
      for (const option of kind.options) {
        assert.notInclude(option.enum ?? [], 'on', `${kind.type}.${option.name}`)
        assert.isString(option.description, `${kind.type}.${option.name} has a description`)
      }
    }
  })

  test('it lists exactly the trigger and action types the validator accepts', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const schema = await schemaOf(client, desk.token)
    const accepted = validatorTypes()
    assert.deepEqual(
      schema.triggers.map((t: Json) => t.type),
      accepted.triggers
    )
    assert.deepEqual(
      schema.actions.map((a: Json) => a.type),
      accepted.actions
    )
    assert.lengthOf(accepted.triggers, 9)
    assert.lengthOf(accepted.actions, 13)
  })

  test('a rule built from what it says is accepted, for every trigger and every action', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const schema = await schemaOf(client, desk.token)
    const post = (body: Json) => client.post('/api/v1/rules').bearerToken(desk.token).json(body)
    const onSchedule = schema.actions.find((a: Json) => a.allowedOnSchedule)

    for (const trigger of schema.triggers) {
      const action = trigger.type === 'schedule' ? onSchedule : schema.actions[0]
      const response = await post({
        name: `When ${trigger.type}`,
        trigger: minimal(trigger, desk),
        actions: [minimal(action, desk)],
      })
      assert.equal(response.status(), 201, `${trigger.type}: ${JSON.stringify(response.body())}`)
    }
    for (const action of schema.actions) {
      const response = await post({
        name: `Do ${action.type}`,
        trigger: { type: 'message.received' },
        actions: [minimal(action, desk)],
      })
      assert.equal(response.status(), 201, `${action.type}: ${JSON.stringify(response.body())}`)
      // allowedOnSchedule is what the schedule check enforces.
      const scheduled = await post({
        name: `Scheduled ${action.type}`,
        trigger: minimal(
          schema.triggers.find((t: Json) => t.type === 'schedule'),
          desk
        ),
        actions: [minimal(action, desk)],
      })
      assert.equal(scheduled.status(), action.allowedOnSchedule ? 201 : 422, action.type)
    }

    // Types it does not list are refused.
    const unknownAction = await post({
      name: 'Text them',
      trigger: { type: 'message.received' },
      actions: [{ type: 'send_sms', text: 'hi' }],
    })
    unknownAction.assertStatus(422)
    assert.equal(unknownAction.body().errors[0].field, 'actions.0')
    const unknownTrigger = await post({
      name: 'On a whim',
      trigger: { type: 'moon.phase' },
      actions: [minimal(schema.actions[0], desk)],
    })
    unknownTrigger.assertStatus(422)
  })

  test('its options are what the validator checks: required, enums, bounds, conditions', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const schema = await schemaOf(client, desk.token)
    const valid = async (trigger: Json, action: Json) => {
      try {
        await createRuleValidator.validate({ name: 'r', trigger, actions: [action] })
        return true
      } catch {
        return false
      }
    }
    const anAction = minimal(schema.actions[0], desk)
    const aTrigger = { type: 'message.received' }
    const kinds = [
      ...schema.triggers.map((kind: Json) => ({ kind, as: 'trigger' })),
      ...schema.actions.map((kind: Json) => ({ kind, as: 'action' })),
    ]
    for (const { kind, as } of kinds) {
      const check = (body: Json) =>
        as === 'trigger' ? valid(body, anAction) : valid(aTrigger, body)
      const base = minimal(kind, desk)
      assert.isTrue(await check(base), `${kind.type} minimal`)
      for (const option of kind.options) {
        const at = `${kind.type}.${option.name}`
        if (option.required) {
          const without = { ...base }
          delete without[option.name]
          assert.isFalse(await check(without), `${at} is required`)
        }
        for (const value of option.type === 'enum' ? option.enum : []) {
          const body = complete(kind, { ...base, [option.name]: value }, desk)
          assert.isTrue(await check(body), `${at} = ${value}`)
        }
        if (option.type === 'enum') {
          assert.isFalse(await check({ ...base, [option.name]: 'not-a-choice' }), `${at} enum`)
        }
        if (option.max !== undefined) {
          assert.isTrue(await check({ ...base, [option.name]: option.max }), `${at} max`)
          assert.isFalse(await check({ ...base, [option.name]: option.max + 1 }), `${at} > max`)
        }
        if (option.min !== undefined) {
          assert.isFalse(await check({ ...base, [option.name]: option.min - 1 }), `${at} < min`)
        }
        if (option.maxLength !== undefined) {
          const long = 'a'.repeat(option.maxLength + 1)
          assert.isFalse(await check({ ...base, [option.name]: long }), `${at} maxLength`)
        }
      }
    }

    // Conditionally required options.
    const assign = schema.actions.find((a: Json) => a.type === 'assign_operator')
    assert.deepEqual(assign.options.find((o: Json) => o.name === 'userId').requiredIf, {
      missing: 'strategy',
    })
    assert.isFalse(await valid(aTrigger, { type: 'assign_operator' }))
    assert.isTrue(await valid(aTrigger, { type: 'assign_operator', strategy: 'least_busy' }))
    const status = schema.actions.find((a: Json) => a.type === 'set_status')
    assert.deepEqual(status.options.find((o: Json) => o.name === 'for').requiredIf, {
      option: 'status',
      equals: 'snoozed',
    })
    assert.isFalse(await valid(aTrigger, { type: 'set_status', status: 'snoozed' }))
    assert.isTrue(await valid(aTrigger, { type: 'set_status', status: 'snoozed', for: '2h' }))
  })

  test('every condition field it lists passes the checks with its operators', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const schema = await schemaOf(client, desk.token)
    const operators = new Map<string, Json>(schema.operators.map((o: Json) => [o.name, o]))
    assert.lengthOf(
      schema.conditionFields.filter((f: Json) => !f.pattern),
      22
    )
    assert.sameMembers(
      schema.conditionFields.filter((f: Json) => f.pattern).map((f: Json) => f.name),
      ['contact.attributes.*', 'event.*']
    )
    const conditions = []
    for (const field of schema.conditionFields) {
      assert.isNotEmpty(field.operators, field.name)
      for (const name of field.operators) {
        const operator = operators.get(name)!
        assert.include(operator.types, field.type, `${name} applies to ${field.type}`)
        const condition = {
          field: concrete(field),
          operator: name,
          value: valueFor(operator, field),
        }
        assert.deepEqual(checkConditions(condition), [], `${field.name} ${name}`)
      }
      const first = operators.get(field.operators[0])!
      conditions.push({
        field: concrete(field),
        operator: first.name,
        value: valueFor(first, field),
      })
    }
    // And through the API, all of them in one rule.
    const created = await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Every field',
        trigger: { type: 'message.received' },
        conditions: { any: conditions },
        actions: [{ type: 'add_tags', tags: ['seen'] }],
      })
    created.assertStatus(201)
    const unknown = await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Unknown field',
        trigger: { type: 'message.received' },
        conditions: { all: [{ field: 'message.mood', operator: 'equals', value: 'x' }] },
        actions: [{ type: 'add_tags', tags: ['seen'] }],
      })
    unknown.assertStatus(422)
    // Each operator's value type is what the checks ask for.
    for (const operator of schema.operators) {
      if (operator.valueType === 'none') continue
      const missing = checkConditions({ field: 'message.text', operator: operator.name })
      assert.equal(missing[0]?.rule, 'required', operator.name)
    }
    assert.equal(operators.get('gt')!.valueType, 'number')
    assert.equal(operators.get('in')!.valueType, 'list')
  })

  test('its limits are the ones enforced', async ({ client }) => {
    const desk = await rulesDesk()
    const { limits } = await schemaOf(client, desk.token)
    const post = (body: Json) =>
      client
        .post('/api/v1/rules')
        .bearerToken(desk.token)
        .json({
          name: 'Limits',
          trigger: { type: 'message.received' },
          actions: [{ type: 'add_tags', tags: ['x'] }],
          ...body,
        })
    ;(await post({ cooldownSeconds: limits.cooldownSeconds.max })).assertStatus(201)
    ;(await post({ cooldownSeconds: limits.cooldownSeconds.max + 1 })).assertStatus(422)
    ;(await post({ cooldownSeconds: limits.cooldownSeconds.min - 1 })).assertStatus(422)
    const tag = { type: 'add_tags', tags: ['x'] }
    ;(await post({ actions: Array(limits.actions.max).fill(tag) })).assertStatus(201)
    ;(await post({ actions: Array(limits.actions.max + 1).fill(tag) })).assertStatus(422)
    ;(await post({ actions: [] })).assertStatus(422)
    ;(await post({ name: 'n'.repeat(limits.nameLength.max + 1) })).assertStatus(422)

    const nested = (depth: number): Json =>
      depth === 1
        ? { all: [{ field: 'status', operator: 'equals', value: 'open' }] }
        : { all: [nested(depth - 1)] }
    ;(await post({ conditions: nested(limits.conditionDepth) })).assertStatus(201)
    ;(await post({ conditions: nested(limits.conditionDepth + 1) })).assertStatus(422)
    const many = (n: number) => ({
      any: Array.from({ length: n }, () => ({ field: 'tags', operator: 'contains', value: 'x' })),
    })
    ;(await post({ conditions: many(limits.conditions) })).assertStatus(201)
    ;(await post({ conditions: many(limits.conditions + 1) })).assertStatus(422)
    const pattern = (n: number) => ({
      all: [{ field: 'message.text', operator: 'matches', value: 'a'.repeat(n) }],
    })
    ;(await post({ conditions: pattern(limits.patternLength) })).assertStatus(201)
    ;(await post({ conditions: pattern(limits.patternLength + 1) })).assertStatus(422)
    const wait = (duration: string) => ({ actions: [{ type: 'delay', for: duration }] })
    ;(await post(wait(`${limits.durationSeconds.max / 86400}d`))).assertStatus(201)
    ;(await post(wait(`${limits.durationSeconds.max / 86400 + 1}d`))).assertStatus(422)
    ;(await post(wait(`${limits.durationSeconds.min / 60}m`))).assertStatus(201)
  })
})
