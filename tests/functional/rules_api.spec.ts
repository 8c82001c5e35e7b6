/*
| The rules API: CRUD and who may use it, validation errors that name the
| path in the JSON, export/import round trips, reordering, the execution
| log, dry runs with no side effects, custom events, schedule ticks that
| fire once across schedulers, and signed, retried rule webhooks.
*/
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { Webhook } from 'standardwebhooks'
import clock from '#services/clock'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { customerSays, repliesIn, rulesDesk } from '#tests/support/rules_desk'
import { scheduleSweep } from '#automation/sweeps'
import { Scheduler } from '#automation/scheduler'
import { rulesSecret, deliverRuleWebhook } from '#automation/webhooks'
import { until } from '#tests/support/wait'

const keywordRule = {
  name: 'Pricing question',
  trigger: { type: 'message.received' },
  conditions: { all: [{ field: 'message.text', operator: 'contains', value: 'price' }] },
  actions: [{ type: 'send_message', text: 'Our prices: example.com/pricing' }],
}

/** A receiver for rule webhooks that answers with the statuses given, in turn. */
function receiver(statuses: number[]) {
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = []
  return new Promise<{ url: string; server: Server; received: typeof received }>((resolve) => {
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        received.push({ headers: req.headers, body })
        res.writeHead(statuses.shift() ?? 200).end('ok')
      })
    })
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${address.port}/hook`, server, received })
    })
  })
}

test.group('Rules API', (group) => {
  group.each.teardown(() => clock.reset())

  test('built-ins are listed; supervisors create, change, switch off and delete; operators only read', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const operator = await makeUser('operator', [desk.team])
    const operatorToken = await tokenFor(operator)
    const listed = await client
      .get('/api/v1/rules')
      .bearerToken(desk.token)
      .qs({ teamId: desk.team.id })
    listed.assertStatus(200)
    assert.sameMembers(
      listed.body().data.map((r: any) => r.builtin),
      ['welcome', 'human', 'after_hours', 'assistant']
    )

    const created = await client.post('/api/v1/rules').bearerToken(desk.token).json(keywordRule)
    created.assertStatus(201)
    const rule = created.body().data
    assert.equal(rule.teamId, desk.team.id)
    assert.isBelow(rule.priority, 1000)

    const denied = await client
      .post('/api/v1/rules')
      .bearerToken(operatorToken)
      .json({ ...keywordRule, teamId: desk.team.id })
    denied.assertStatus(403)
    const seen = await client.get(`/api/v1/rules/${rule.id}`).bearerToken(operatorToken)
    seen.assertStatus(200)

    const patched = await client
      .patch(`/api/v1/rules/${rule.id}`)
      .bearerToken(desk.token)
      .json({ name: 'Prices', cooldownSeconds: 60 })
    patched.assertStatus(200)
    assert.equal(patched.body().data.name, 'Prices')

    const off = await client.post(`/api/v1/rules/${rule.id}/disable`).bearerToken(desk.token)
    assert.isFalse(off.body().data.enabled)
    const said = await customerSays(desk, 'what is the price?')
    assert.deepEqual(await repliesIn(said.conversationId), [])
    await client.post(`/api/v1/rules/${rule.id}/enable`).bearerToken(desk.token)
    await customerSays(desk, 'the price again?')
    assert.deepEqual(await repliesIn(said.conversationId), ['Our prices: example.com/pricing'])

    const stranger = await tokenFor(await makeUser('supervisor', [await makeTeam()]))
    ;(await client.get(`/api/v1/rules/${rule.id}`).bearerToken(stranger)).assertStatus(404)
    ;(await client.delete(`/api/v1/rules/${rule.id}`).bearerToken(operatorToken)).assertStatus(403)
    ;(await client.delete(`/api/v1/rules/${rule.id}`).bearerToken(desk.token)).assertStatus(204)
  })

  test('bad rules are a 422 naming the path, and change nothing', async ({ client, assert }) => {
    const desk = await rulesDesk()
    const before = await db.from('rules').count('* as n').first()
    const bad = async (body: object) => {
      const response = await client.post('/api/v1/rules').bearerToken(desk.token).json(body)
      response.assertStatus(422)
      return response.body().errors.map((e: any) => e.field)
    }
    assert.include(
      await bad({
        ...keywordRule,
        conditions: {
          all: [{ any: [{ field: 'message.text', operator: 'resembles', value: 'x' }] }],
        },
      }),
      'conditions.all.0.any.0.operator'
    )
    assert.include(
      await bad({
        ...keywordRule,
        conditions: { all: [{ field: 'shoe_size', operator: 'present' }] },
      }),
      'conditions.all.0.field'
    )
    assert.include(
      await bad({
        ...keywordRule,
        conditions: { all: [{ field: 'message.text', operator: 'matches', value: '(' }] },
      }),
      'conditions.all.0.value'
    )
    assert.include(await bad({ ...keywordRule, trigger: { type: 'moon.phase' } }), 'trigger')
    assert.include(
      await bad({ ...keywordRule, trigger: { type: 'schedule', cron: '61 * * * *' } }),
      'trigger.cron'
    )
    assert.include(
      await bad({ ...keywordRule, actions: [{ type: 'delay', for: '45d' }] }),
      'actions.0.for'
    )
    assert.include(
      await bad({ ...keywordRule, trigger: { type: 'schedule', cron: '0 9 * * 1' } }),
      'actions.0.type'
    )
    const imported = await client
      .post('/api/v1/rules/import')
      .bearerToken(desk.token)
      .json({
        rules: [
          keywordRule,
          {
            ...keywordRule,
            conditions: { any: [{ field: 'status', operator: 'in', value: 'open' }] },
          },
        ],
      })
    imported.assertStatus(422)
    assert.deepEqual(
      imported.body().errors.map((e: any) => e.field),
      ['rules.1.conditions.any.0.value']
    )
    const after = await db.from('rules').count('* as n').first()
    assert.equal(Number(after.n), Number(before.n))
  })

  test('export and import round-trip, and reorder sets priorities in order', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json(keywordRule)
      .then((r) => r.assertStatus(201))
    const exported = await client.get('/api/v1/rules/export').bearerToken(desk.token)
    exported.assertStatus(200)
    assert.equal(exported.body().format, 'switchboard.rules')
    assert.lengthOf(exported.body().rules, 5)

    const target = await rulesDesk()
    const afterHours = exported.body().rules.find((r: any) => r.builtin === 'after_hours')
    afterHours.enabled = false
    const imported = await client
      .post('/api/v1/rules/import')
      .bearerToken(target.token)
      .json({ rules: exported.body().rules })
    imported.assertStatus(201)
    assert.deepEqual(imported.body().data, { created: 1, updated: 4 })
    const again = await client.get('/api/v1/rules/export').bearerToken(target.token)
    assert.deepEqual(
      again.body().rules,
      exported
        .body()
        .rules.map((r: any) => (r.builtin === 'after_hours' ? { ...r, enabled: false } : r))
    )

    const ids = (
      await db.from('rules').where('team_id', target.team.id).orderBy('priority', 'desc')
    ).map((r) => r.id)
    const reordered = await client
      .post('/api/v1/rules/reorder')
      .bearerToken(target.token)
      .json({ ids })
    reordered.assertStatus(200)
    assert.deepEqual(
      reordered.body().data.map((r: any) => r.id),
      ids
    )
    assert.deepEqual(
      reordered.body().data.map((r: any) => r.priority),
      [10, 20, 30, 40, 50]
    )
    const partial = await client
      .post('/api/v1/rules/reorder')
      .bearerToken(target.token)
      .json({ ids: ids.slice(1) })
    partial.assertStatus(422)
    assert.match(partial.body().errors[0].message, /missing/)
  })

  test('the execution log explains a miss; a dry run shows what would happen and changes nothing', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const created = await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Angry customers',
        trigger: { type: 'message.received' },
        conditions: {
          all: [
            { field: 'message.text', operator: 'contains', value: 'angry' },
            { field: 'owner', operator: 'equals', value: 'bot' },
          ],
        },
        actions: [
          { type: 'set_priority', priority: 'urgent' },
          { type: 'send_message', text: 'Sorry {{contact.first_name}}, a person is on it.' },
        ],
      })
    const rule = created.body().data
    const said = await customerSays(desk, 'I am happy')
    const log = await client.get(`/api/v1/rules/${rule.id}/executions`).bearerToken(desk.token)
    log.assertStatus(200)
    const [entry] = log.body().data
    assert.equal(entry.outcome, 'conditions_failed')
    assert.deepInclude(entry.conditions[0], {
      field: 'message.text',
      operator: 'contains',
      seen: 'I am happy',
      result: false,
    })

    await db
      .from('messages')
      .where('conversation_id', said.conversationId)
      .update({ body: 'I am angry' })
    const before = await db
      .from('messages')
      .where('conversation_id', said.conversationId)
      .count('* as n')
      .first()
    const dry = await client
      .post(`/api/v1/rules/${rule.id}/dry-run`)
      .bearerToken(desk.token)
      .json({ conversationId: said.conversationId })
    dry.assertStatus(200)
    const evaluation = dry.body().data.evaluation
    assert.equal(evaluation.outcome, 'would_fire')
    assert.deepEqual(
      evaluation.actions.map((a: any) => a.outcome),
      ['would_run', 'would_run']
    )
    assert.equal(evaluation.actions[1].detail, 'Sorry Ana, a person is on it.')
    const conversationAfter = await db
      .from('conversations')
      .where('id', said.conversationId)
      .first()
    assert.equal(conversationAfter.priority, 'normal')
    const after = await db
      .from('messages')
      .where('conversation_id', said.conversationId)
      .count('* as n')
      .first()
    assert.equal(after.n, before.n)
    // The log still holds only the one real evaluation.
    const logAfter = await client.get(`/api/v1/rules/${rule.id}/executions`).bearerToken(desk.token)
    assert.equal(logAfter.body().meta.total, 1)

    const mismatch = await client
      .post(`/api/v1/rules/${rule.id}/dry-run`)
      .bearerToken(desk.token)
      .json({ event: { type: 'escalation', conversationId: said.conversationId } })
    assert.equal(mismatch.body().data.evaluation.outcome, 'trigger_mismatch')
    const foreign = await client
      .post(`/api/v1/rules/${rule.id}/dry-run`)
      .bearerToken(desk.token)
      .json({ conversationId: 999999 })
    foreign.assertStatus(422)
  })

  test('a dry run shows every condition with the value it sees and every message filled in', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const created = await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Refunds for VIPs',
        trigger: { type: 'message.received' },
        conditions: {
          all: [
            { field: 'message.text', operator: 'contains', value: 'refund' },
            { any: [{ field: 'tags', operator: 'contains', value: 'vip' }] },
            { field: 'contact.name', operator: 'present' },
          ],
        },
        actions: [
          { type: 'add_tags', tags: ['refund'] },
          {
            type: 'send_message',
            text: 'Hi {{contact.first_name | there}}, about "{{message.text}}"',
          },
          { type: 'add_note', text: '{{contact.attributes.plan | no plan}} in {{team.name}}' },
        ],
      })
    created.assertStatus(201)
    const rule = created.body().data
    const said = await customerSays(desk, 'I want a refund')

    const dry = await client
      .post(`/api/v1/rules/${rule.id}/dry-run`)
      .bearerToken(desk.token)
      .json({ conversationId: said.conversationId })
    dry.assertStatus(200)
    const data = dry.body().data
    // The evaluation stopped at the tags; every condition still shows what it sees.
    assert.equal(data.evaluation.outcome, 'conditions_failed')
    assert.lengthOf(data.evaluation.conditions, 2)
    assert.deepEqual(
      data.conditions.map((c: any) => [c.path, c.field, c.seen, c.result, c.reached]),
      [
        ['conditions.all.0', 'message.text', 'I want a refund', true, true],
        ['conditions.all.1.any.0', 'tags', [], false, true],
        ['conditions.all.2', 'contact.name', 'Ana Lima', true, false],
      ]
    )
    // Messages filled in even though the rule would not fire now.
    assert.deepEqual(data.actions, [
      { index: 0, type: 'add_tags', rendered: {} },
      {
        index: 1,
        type: 'send_message',
        rendered: { text: 'Hi Ana, about "I want a refund"' },
      },
      { index: 2, type: 'add_note', rendered: { text: `no plan in ${desk.team.name}` } },
    ])

    // A trigger that does not match still shows the values and the texts.
    const mismatch = await client
      .post(`/api/v1/rules/${rule.id}/dry-run`)
      .bearerToken(desk.token)
      .json({ event: { type: 'escalation', conversationId: said.conversationId } })
    const other = mismatch.body().data
    assert.equal(other.evaluation.outcome, 'trigger_mismatch')
    assert.equal(other.conditions[2].seen, 'Ana Lima')
    assert.isFalse(other.conditions[0].reached)
    assert.equal(other.actions[1].rendered.text, 'Hi Ana, about "I want a refund"')
  })

  test('a custom event from an integration runs its rules once per event id', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Payment failed',
        trigger: { type: 'custom', name: 'payment.failed' },
        conditions: { all: [{ field: 'event.data.amount', operator: 'gt', value: 100 }] },
        actions: [
          { type: 'add_tags', tags: ['billing'] },
          { type: 'add_note', text: 'Payment of {{event.data.amount}} failed' },
        ],
      })
      .then((r) => r.assertStatus(201))
    const said = await customerSays(desk, 'hi', { id: 'cust-1', name: 'Ana Lima' })
    await db.from('contacts').where('team_id', desk.team.id).update({ email: 'ana@example.com' })
    const send = () =>
      client
        .post('/api/v1/events')
        .bearerToken(desk.token)
        .json({
          id: 'evt_1',
          name: 'payment.failed',
          contact: { email: 'ANA@example.com' },
          data: { amount: 250 },
        })
    const first = await send()
    first.assertStatus(202)
    assert.equal(first.body().data.conversationId, said.conversationId)
    assert.deepEqual(
      first.body().data.evaluations.map((e: any) => e.outcome),
      ['fired']
    )
    ;(await send()).assertStatus(202)
    const notes = await db
      .from('messages')
      .where({ conversation_id: said.conversationId, direction: 'internal' })
    assert.deepEqual(
      notes.map((n) => n.body),
      ['Payment of 250 failed']
    )
    const conversation = await db.from('conversations').where('id', said.conversationId).first()
    assert.deepEqual(conversation.tags, ['billing'])

    const unknown = await client
      .post('/api/v1/events')
      .bearerToken(desk.token)
      .json({ name: 'payment.failed', contact: { email: 'nobody@example.com' } })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'contact')
  })

  test('a daily digest webhook: one tick across two schedulers, signed, retried until delivered', async ({
    client,
    assert,
    cleanup,
  }) => {
    const desk = await rulesDesk()
    const hook = await receiver([500])
    cleanup(() => void hook.server.close())
    const created = await client
      .post('/api/v1/rules')
      .bearerToken(desk.token)
      .json({
        name: 'Daily digest',
        trigger: { type: 'schedule', cron: '0 9 * * *', timezone: 'Europe/Berlin' },
        actions: [{ type: 'webhook', url: hook.url }],
      })
    created.assertStatus(201)
    const rule = created.body().data
    await db
      .from('rules')
      .where('id', rule.id)
      .update({ created_at: new Date('2026-01-01T00:00:00Z') })

    // Two schedulers: only one holds the lock and runs the clock.
    const a = new Scheduler()
    const b = new Scheduler()
    cleanup(async () => {
      await a.stop()
      await b.stop()
    })
    await a.start(60_000)
    await b.start(60_000)
    assert.deepEqual([a.leading, b.leading].sort(), [false, true])

    // 09:00:20 in Berlin: both processes sweep at once; the tick fires once.
    clock.freeze(DateTime.fromISO('2026-12-07T08:00:20Z'))
    const fired = await Promise.all([scheduleSweep(), scheduleSweep()])
    assert.equal(fired[0] + fired[1], 1)
    assert.equal(await scheduleSweep(), 0)

    const [execution] = await db.from('rule_executions').where('rule_id', rule.id)
    assert.equal(execution.outcome, 'fired')
    assert.equal(execution.event_key, `tick:${rule.id}:2026-12-07T08:00:00.000Z`)
    const job = { ruleId: rule.id, eventKey: execution.event_key, index: 0, url: hook.url }
    await assert.rejects(() => deliverRuleWebhook(job))
    await deliverRuleWebhook(job)
    assert.lengthOf(hook.received, 2)
    const delivery = hook.received[1]
    assert.equal(delivery.headers['webhook-id'], hook.received[0].headers['webhook-id'])
    const shown = await client
      .get('/api/v1/rules/signing-secret')
      .bearerToken(desk.token)
      .qs({ teamId: desk.team.id })
    shown.assertStatus(200)
    assert.equal(shown.body().data.secret, await rulesSecret(desk.team.id))
    const payload = new Webhook(shown.body().data.secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as any
    assert.equal(payload.rule.name, 'Daily digest')
    assert.includeMembers(Object.keys(payload.summary), [
      'open',
      'pending',
      'created_last_24h',
      'resolved_last_24h',
    ])
    const [logged] = await db.from('rule_executions').where('rule_id', rule.id)
    assert.equal(logged.actions[0].outcome, 'done')
    assert.match(logged.actions[0].detail, /answered 200/)
  })

  test('a scheduler that loses its process is replaced by the next one', async ({
    assert,
    cleanup,
  }) => {
    const a = new Scheduler()
    const b = new Scheduler()
    cleanup(async () => {
      await a.stop()
      await b.stop()
    })
    await a.start(100)
    await b.start(100)
    const [leader, follower] = a.leading ? [a, b] : [b, a]
    await leader.stop()
    await until(() => follower.leading, 5000, 'the other scheduler to take over')
    assert.isTrue(follower.leading)
  })
  test('business hours are a team setting, validated field by field', async ({
    client,
    assert,
  }) => {
    const desk = await rulesDesk()
    const bad = await client
      .patch(`/api/v1/teams/${desk.team.id}`)
      .bearerToken(desk.token)
      .json({ settings: { businessHours: { timezone: 'Mars/Olympus', weekly: { mon: ['9-5'] } } } })
    bad.assertStatus(422)
    assert.sameMembers(
      bad.body().errors.map((e: any) => e.field),
      ['settings.businessHours.timezone', 'settings.businessHours.weekly.mon.0']
    )
    const calendar = {
      timezone: 'Asia/Tokyo',
      weekly: { mon: ['09:00-18:00'] },
      holidays: ['2027-01-01'],
    }
    const good = await client
      .patch(`/api/v1/teams/${desk.team.id}`)
      .bearerToken(desk.token)
      .json({ settings: { businessHours: calendar } })
    good.assertStatus(200)
    const team = await db.from('teams').where('id', desk.team.id).first()
    assert.deepEqual(team.settings.businessHours, calendar)
  })
})
