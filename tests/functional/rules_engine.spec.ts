/*
| The rules engine on real PostgreSQL: customers' messages go through the
| real ingest and the process job; time is the injected clock. Each test
| reads what a person would see (replies, notes, tags, status) and what
| the execution log says about it.
*/
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import clock from '#services/clock'
import { DEFAULT_TEXTS } from '#messaging/process'
import { drainRuleEvents } from '#automation/dispatch'
import { dueSweep, inactivitySweep, retentionPurge, usageRollup } from '#automation/sweeps'
import { AFTER_HOURS_TEXT } from '#automation/defaults'
import { lockConversation, runCommand } from '#operators/desk'
import {
  addRule,
  conversation,
  customerSays,
  executionsOf,
  notesIn,
  repliesIn,
  rulesDesk,
} from '#tests/support/rules_desk'
import { makeTeam, makeUser } from '#tests/support/fixtures'
import { WorkerProcess } from '#tests/support/worker_process'
import { until } from '#tests/support/wait'

/** An operator's command on a conversation, as from a Slack thread. */
async function operatorRuns(conversationId: number, command: Parameters<typeof runCommand>[1]) {
  await db.transaction(async (trx) => {
    const row = await lockConversation(trx, conversationId)
    const turn = {
      trx,
      conversation: row!,
      user: { id: null, name: 'Bea' },
      events: [],
      notices: [],
    }
    await runCommand(turn, command)
  })
  await drainRuleEvents()
}

test.group('Rules engine: triggers, conditions, actions', (group) => {
  group.each.teardown(() => clock.reset())

  test('a keyword auto-reply answers with the contact name and explains why it stayed quiet before', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const rule = await addRule(desk, {
      name: 'Refund keyword',
      trigger: { type: 'message.received' },
      conditions: {
        any: [{ field: 'message.text', operator: 'matches', value: '(?i)\\brefunds?\\b' }],
      },
      actions: [
        { type: 'send_message', text: 'Hi {{contact.first_name | there}}, refunds take 5 days.' },
      ],
    })
    const first = await customerSays(desk, 'hello there')
    assert.deepEqual(await repliesIn(first.conversationId), [])
    const [quiet] = await executionsOf(rule.id)
    assert.equal(quiet.outcome, 'conditions_failed')
    assert.deepInclude(quiet.conditions[0], {
      field: 'message.text',
      seen: 'hello there',
      result: false,
    })

    await customerSays(desk, 'I want a REFUND please')
    assert.deepEqual(await repliesIn(first.conversationId), ['Hi Ana, refunds take 5 days.'])
    const fired = (await executionsOf(rule.id))[1]
    assert.equal(fired.outcome, 'fired')
    assert.equal(fired.actions[0].outcome, 'done')
  })

  test('the built-ins are rules: /start welcomes, /human hands off, and a switched-off one is silent', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const started = await customerSays(desk, '/start', undefined, 'start')
    assert.deepEqual(await repliesIn(started.conversationId), [DEFAULT_TEXTS.welcome])

    await customerSays(desk, '/human', undefined, 'human')
    const c = await conversation(started.conversationId)
    assert.equal(c.owner, 'queued')
    assert.equal(c.handoff_reason, 'the customer asked for a person (/human)')
    assert.deepEqual((await repliesIn(c.id)).slice(-1), [DEFAULT_TEXTS.human])

    await db
      .from('rules')
      .where({ team_id: desk.team.id, builtin: 'welcome' })
      .update({ enabled: false })
    const again = await customerSays(desk, '/start', { id: 'cust-2', name: 'Bo' }, 'start')
    assert.deepEqual(await repliesIn(again.conversationId), [])
  })

  test('the after-hours reply follows the team calendar, holidays included, once an hour', async ({
    assert,
  }) => {
    const desk = await rulesDesk({
      assistant: { enabled: false },
      businessHours: {
        timezone: 'Europe/Berlin',
        weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'] },
        holidays: ['2026-12-08'],
      },
    })
    // Monday 7 December 2026, 10:00 in Berlin: open.
    clock.freeze(DateTime.fromISO('2026-12-07T09:00:00Z'))
    const open = await customerSays(desk, 'hi')
    assert.deepEqual(await repliesIn(open.conversationId), [])
    // 20:00 the same day: closed.
    clock.freeze(DateTime.fromISO('2026-12-07T19:00:00Z'))
    await customerSays(desk, 'anyone?')
    await customerSays(desk, 'hello??')
    assert.deepEqual(await repliesIn(open.conversationId), [AFTER_HOURS_TEXT])
    // Tuesday 10:00 is a holiday; the hour's cooldown has passed.
    clock.freeze(DateTime.fromISO('2026-12-08T09:00:00Z'))
    await customerSays(desk, 'still nobody?')
    assert.deepEqual(await repliesIn(open.conversationId), [AFTER_HOURS_TEXT, AFTER_HOURS_TEXT])
    const [builtin] = await db
      .from('rules')
      .where({ team_id: desk.team.id, builtin: 'after_hours' })
    const outcomes = (await executionsOf(builtin.id)).map((e) => e.outcome)
    assert.deepEqual(outcomes, ['conditions_failed', 'fired', 'cooldown', 'fired'])
  })

  test('priority order and stopProcessing decide which rules act; reordering changes it', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const vip = await addRule(desk, {
      name: 'VIP',
      priority: 10,
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'message.text', operator: 'contains', value: 'urgent' }] },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_tags', tags: ['vip'] },
      ],
      stopProcessing: true,
    })
    const tagger = await addRule(desk, {
      name: 'Tag everything',
      priority: 20,
      trigger: { type: 'message.received' },
      actions: [{ type: 'add_tags', tags: ['seen'] }],
    })
    const first = await customerSays(desk, 'urgent: my order')
    let c = await conversation(first.conversationId)
    assert.equal(c.priority, 'urgent')
    assert.deepEqual(c.tags, ['vip'])
    assert.lengthOf(await executionsOf(tagger.id), 0)

    await db.from('rules').where('id', vip.id).update({ priority: 30 })
    await customerSays(desk, 'urgent again')
    c = await conversation(first.conversationId)
    assert.sameMembers(c.tags, ['vip', 'seen'])
  })

  test('cooldown per rule and conversation, measured on the clock', async ({ assert }) => {
    const desk = await rulesDesk()
    const rule = await addRule(desk, {
      name: 'Nudge',
      trigger: { type: 'message.received' },
      actions: [{ type: 'send_message', text: 'We got it.' }],
      cooldownSeconds: 600,
    })
    const one = await customerSays(desk, 'a')
    await customerSays(desk, 'b')
    const other = await customerSays(desk, 'c', { id: 'cust-9', name: 'Cy' })
    clock.travel(601_000)
    await customerSays(desk, 'd')
    assert.deepEqual(await repliesIn(one.conversationId), ['We got it.', 'We got it.'])
    assert.deepEqual(await repliesIn(other.conversationId), ['We got it.'])
    const log = await executionsOf(rule.id)
    assert.deepEqual(
      log.map((e) => e.outcome),
      ['fired', 'cooldown', 'fired', 'fired']
    )
    assert.match(log[1].reason, /cooldown is 600 s/)
  })

  test('a job that runs twice acts once', async ({ assert }) => {
    const desk = await rulesDesk()
    await addRule(desk, {
      name: 'Ack',
      trigger: { type: 'message.received' },
      actions: [
        { type: 'send_message', text: 'Noted.' },
        { type: 'add_note', text: 'Auto-acknowledged' },
      ],
    })
    const said = await customerSays(desk, 'hello')
    const { processMessage } = await import('#messaging/process')
    await processMessage(said.messageId)
    assert.deepEqual(await repliesIn(said.conversationId), ['Noted.'])
    assert.deepEqual(await notesIn(said.conversationId), ['Auto-acknowledged'])
  })

  test("loop protection: two rules undoing each other's status stop after a small bound", async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const reopen = await addRule(desk, {
      name: 'Never resolved',
      trigger: { type: 'conversation.status_changed', to: 'resolved' },
      actions: [{ type: 'set_status', status: 'open' }],
    })
    const close = await addRule(desk, {
      name: 'Always resolved',
      trigger: { type: 'conversation.status_changed', to: 'open' },
      actions: [{ type: 'set_status', status: 'resolved' }],
    })
    const said = await customerSays(desk, 'hi')
    await operatorRuns(said.conversationId, { name: 'close' })
    for (let i = 0; i < 5; i++) await drainRuleEvents()
    const fired = async (id: number) =>
      (await executionsOf(id)).filter((e) => e.outcome === 'fired').length
    assert.isAtMost(await fired(reopen.id), 2)
    assert.isAtMost(await fired(close.id), 2)
    const prevented = [
      ...(await executionsOf(reopen.id)),
      ...(await executionsOf(close.id)),
    ].filter((e) => e.outcome === 'loop_prevented')
    assert.lengthOf(prevented, 1)
    assert.match(prevented[0].reason, /own actions 2 times/)
    const pending = await db.from('rule_events').whereNull('processed_at').count('* as n').first()
    assert.equal(Number(pending.n), 0)
  })

  test('status changes, escalations, the Nth message and returning contacts trigger rules', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    await addRule(desk, {
      name: 'Third message',
      trigger: { type: 'message.count', count: 3 },
      actions: [{ type: 'add_tags', tags: ['chatty'] }],
    })
    await addRule(desk, {
      name: 'Escalated by customer',
      trigger: { type: 'escalation', source: 'customer' },
      actions: [{ type: 'set_priority', priority: 'high' }],
    })
    await addRule(desk, {
      name: 'Returning',
      trigger: { type: 'contact.status', status: 'returning' },
      actions: [{ type: 'add_tags', tags: ['returning'] }],
    })
    await addRule(desk, {
      name: 'Resolved note',
      trigger: { type: 'conversation.status_changed', from: 'open', to: 'resolved' },
      actions: [{ type: 'add_note', text: 'Closed; {{contact.name}} may write again.' }],
    })
    const a = await customerSays(desk, 'one')
    await customerSays(desk, 'two')
    assert.notInclude((await conversation(a.conversationId)).tags, 'chatty')
    await customerSays(desk, 'three')
    assert.include((await conversation(a.conversationId)).tags, 'chatty')

    await customerSays(desk, '/human', undefined, 'human')
    assert.equal((await conversation(a.conversationId)).priority, 'high')

    await operatorRuns(a.conversationId, { name: 'close' })
    assert.include(await notesIn(a.conversationId), 'Closed; Ana Lima may write again.')
    assert.notInclude((await conversation(a.conversationId)).tags, 'returning')
    // The same person writes on another of the team's channels: a new conversation, a returning contact.
    const [second] = await db.table('channels').returning('id').insert({
      team_id: desk.team.id,
      platform: 'api',
      name: 'App chat',
      config_encrypted: 'x',
      enabled: false,
    })
    const b = await customerSays(
      { ...desk, channel: { ...desk.channel, id: second.id } },
      'back again'
    )
    assert.notEqual(b.conversationId, a.conversationId)
    assert.include((await conversation(b.conversationId)).tags, 'returning')
  })

  test('assignment: round robin over members, least busy, and a named user', async ({ assert }) => {
    const desk = await rulesDesk()
    const ops = [
      await makeUser('operator', [desk.team], { fullName: 'Op One' }),
      await makeUser('operator', [desk.team], { fullName: 'Op Two' }),
    ]
    const members = [desk.supervisor.id, ...ops.map((o) => o.id)].sort((x, y) => x - y)
    await addRule(desk, {
      name: 'Round robin',
      trigger: { type: 'conversation.created' },
      actions: [{ type: 'assign_operator', strategy: 'round_robin' }],
    })
    const assignees: number[] = []
    for (let i = 0; i < 4; i++) {
      const said = await customerSays(desk, 'hi', { id: `rr-${i}` })
      const c = await conversation(said.conversationId)
      assert.equal(c.owner, 'human')
      assignees.push(c.assignee_id)
    }
    assert.deepEqual(assignees, [...members, members[0]])

    // Least busy: members[0] holds two open conversations, the others one each.
    const rule = await db
      .from('rules')
      .where('team_id', desk.team.id)
      .where('name', 'Round robin')
      .first()
    const setAction = (action: object) =>
      db
        .from('rules')
        .where('id', rule.id)
        .update({ actions: JSON.stringify([action]) })
    await setAction({ type: 'assign_operator', strategy: 'least_busy' })
    const least = await customerSays(desk, 'hi', { id: 'lb-1' })
    assert.equal((await conversation(least.conversationId)).assignee_id, members[1])

    await setAction({ type: 'assign_operator', userId: ops[1].id })
    const named = await customerSays(desk, 'hi', { id: 'named-1' })
    assert.equal((await conversation(named.conversationId)).assignee_id, ops[1].id)

    const stranger = await makeUser('operator')
    await setAction({ type: 'assign_operator', userId: stranger.id })
    const refused = await customerSays(desk, 'hi', { id: 'named-2' })
    assert.isNull((await conversation(refused.conversationId)).assignee_id)
    const [last] = (await executionsOf(rule.id)).slice(-1)
    assert.equal(last.outcome, 'failed')
    assert.match(last.actions[0].detail, /is not an active member/)
  })

  test('conversation.inactive fires once per waiting spell, and a reply in time prevents it', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const rule = await addRule(desk, {
      name: 'Escalate after 10 minutes waiting',
      trigger: { type: 'conversation.inactive', waiting: 'customer', minutes: 10 },
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_note', text: 'Waiting {{event.minutes}} minutes' },
      ],
    })
    const waiting = await customerSays(desk, 'hello?')
    const answered = await customerSays(desk, 'hi', { id: 'cust-5' })
    await operatorRuns(answered.conversationId, { name: 'note', text: 'x' })
    await db
      .from('conversations')
      .where('id', answered.conversationId)
      .update({ last_operator_message_at: clock.now().plus({ minutes: 1 }).toJSDate() })
    clock.travel(9 * 60_000)
    assert.equal(await inactivitySweep(), 0)
    clock.travel(2 * 60_000)
    assert.equal(await inactivitySweep(), 1)
    assert.equal(await inactivitySweep(), 0)
    assert.equal((await conversation(waiting.conversationId)).priority, 'urgent')
    assert.equal((await conversation(answered.conversationId)).priority, 'normal')
    assert.deepEqual(await notesIn(waiting.conversationId), ['Waiting 11 minutes'])
    assert.lengthOf(await executionsOf(rule.id), 1)
  })

  test('a delay waits as a row, checks the conditions again, and runs the rest once', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    await addRule(desk, {
      name: 'Follow up',
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'status', operator: 'equals', value: 'open' }] },
      actions: [
        { type: 'add_tags', tags: ['follow-up'] },
        { type: 'delay', for: '30m' },
        { type: 'send_message', text: 'Is there anything else?' },
      ],
      cooldownSeconds: 86400,
    })
    const kept = await customerSays(desk, 'thanks')
    const closed = await customerSays(desk, 'thanks', { id: 'cust-7' })
    await operatorRuns(closed.conversationId, { name: 'close' })
    assert.include((await conversation(kept.conversationId)).tags, 'follow-up')
    clock.travel(29 * 60_000)
    assert.equal((await dueSweep()).waits, 0)
    clock.travel(2 * 60_000)
    assert.equal((await dueSweep()).waits, 2)
    await dueSweep()
    assert.deepEqual(await repliesIn(kept.conversationId), ['Is there anything else?'])
    assert.deepEqual(await repliesIn(closed.conversationId), [])
    const resumed = await db.from('rule_executions').whereLike('event_key', '%#wait%')
    assert.deepEqual(
      resumed.map((e) => [e.conversation_id, e.outcome]),
      [[kept.conversationId, 'fired']]
    )
    const missed = await db.from('rule_evaluations').whereLike('event_key', '%#wait%')
    assert.deepEqual(
      missed.map((e) => e.conversation_id),
      [closed.conversationId]
    )
  })

  test('a delay survives a restart: a worker started later finishes it', async ({ assert }) => {
    const desk = await rulesDesk()
    await addRule(desk, {
      name: 'Later',
      trigger: { type: 'message.received' },
      actions: [
        { type: 'delay', for: '1m' },
        { type: 'send_message', text: 'A minute later.' },
      ],
    })
    const said = await customerSays(desk, 'hi')
    // The time passes while no process runs: the wait is only a row.
    await db
      .from('rule_waits')
      .where('conversation_id', said.conversationId)
      .update({
        due_at: new Date(Date.now() - 1000),
      })
    const worker = await WorkerProcess.start({ RUN_SCHEDULER: 'true' })
    try {
      await until(
        async () => (await repliesIn(said.conversationId)).length > 0,
        30_000,
        'the delayed reply'
      )
    } finally {
      await worker.stop()
    }
    assert.deepEqual(await repliesIn(said.conversationId), ['A minute later.'])
    const wait = await db.from('rule_waits').where('conversation_id', said.conversationId).first()
    assert.equal(wait.status, 'done')
  })
  test('the other actions: hand-off, another team, pending, snooze woken by the sweep, untag, notify, ask the assistant', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const billing = await makeTeam('Billing')
    await addRule(desk, {
      name: 'Invoices',
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'message.text', operator: 'contains', value: 'invoice' }] },
      actions: [
        { type: 'remove_tags', tags: ['new'] },
        { type: 'hand_off', reason: 'billing question' },
        { type: 'notify_workspace', text: 'Billing question from {{contact.name}}' },
        { type: 'assign_team', teamId: billing.id },
      ],
      stopProcessing: true,
    })
    await addRule(desk, {
      name: 'Later',
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'message.text', operator: 'equals', value: 'later' }] },
      actions: [{ type: 'set_status', status: 'snoozed', for: '2h' }],
    })
    await addRule(desk, {
      name: 'Waiting on us',
      trigger: { type: 'message.received' },
      conditions: { all: [{ field: 'message.text', operator: 'equals', value: 'hold on' }] },
      actions: [{ type: 'set_status', status: 'pending' }, { type: 'ai_answer' }],
    })
    const first = await customerSays(desk, 'hold on', { id: 'act-1', name: 'Ana Lima' })
    assert.equal((await conversation(first.conversationId)).status, 'pending')
    const jobs = await db.rawQuery(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'assistant.answer' AND data->>'conversationId' = ?",
      [String(first.conversationId)]
    )
    assert.isAtLeast(jobs.rows[0].n, 1)

    const snoozed = await customerSays(desk, 'later', { id: 'act-2' })
    assert.equal((await conversation(snoozed.conversationId)).status, 'snoozed')
    clock.travel(2 * 3600_000 + 1000)
    assert.isAtLeast((await dueSweep()).timers, 1)
    assert.equal((await conversation(snoozed.conversationId)).status, 'open')

    await db
      .from('conversations')
      .where('id', first.conversationId)
      .update({ tags: ['new', 'x'] })
    await customerSays(desk, 'my invoice is wrong', { id: 'act-1', name: 'Ana Lima' })
    const moved = await conversation(first.conversationId)
    assert.deepEqual(moved.tags, ['x'])
    assert.equal(moved.owner, 'queued')
    assert.equal(moved.handoff_reason, 'billing question')
    assert.equal(moved.team_id, billing.id)
    const notify = await db
      .from('messages')
      .where({ conversation_id: first.conversationId, direction: 'internal' })
      .whereRaw("metadata->>'notify' = 'true'")
      .first()
    assert.equal(notify.body, 'Billing question from Ana Lima')
  })

  test('tagging a contact triggers contact.status tagged rules', async ({ assert }) => {
    const desk = await rulesDesk()
    await addRule(desk, {
      name: 'VIP contact',
      trigger: { type: 'contact.status', status: 'tagged', tag: 'vip' },
      actions: [{ type: 'set_priority', priority: 'high' }],
    })
    const said = await customerSays(desk, 'hi')
    const c = await conversation(said.conversationId)
    await db
      .from('contacts')
      .where('id', c.contact_id)
      .update({ tags: ['newsletter'] })
    await drainRuleEvents()
    assert.equal((await conversation(c.id)).priority, 'normal')
    await db
      .from('contacts')
      .where('id', c.contact_id)
      .update({ tags: ['newsletter', 'vip'] })
    await drainRuleEvents()
    assert.equal((await conversation(c.id)).priority, 'high')
  })

  test('the daily rollup sums usage per team and day; the purge keeps only recent logs', async ({
    assert,
  }) => {
    const desk = await rulesDesk()
    const rule = await addRule(desk, {
      name: 'Log me',
      trigger: { type: 'message.received' },
      actions: [{ type: 'add_tags', tags: ['seen'] }],
    })
    clock.freeze(DateTime.fromISO('2026-12-07T12:00:00Z'))
    await db.table('usage_events').multiInsert([
      {
        team_id: desk.team.id,
        kind: 'model_call',
        quantity: 120,
        data: JSON.stringify({ promptTokens: 100, completionTokens: 20 }),
        occurred_at: new Date('2026-12-06T10:00:00Z'),
      },
      {
        team_id: desk.team.id,
        kind: 'model_call',
        quantity: 30,
        data: JSON.stringify({ promptTokens: 25, completionTokens: 5 }),
        occurred_at: new Date('2026-12-06T23:59:00Z'),
      },
      {
        team_id: desk.team.id,
        kind: 'model_call',
        quantity: 10,
        data: JSON.stringify({ promptTokens: 8, completionTokens: 2 }),
        occurred_at: new Date('2026-12-07T08:00:00Z'),
      },
    ])
    await usageRollup()
    await usageRollup()
    const days = await db.from('usage_daily').where('team_id', desk.team.id).orderBy('day')
    assert.deepEqual(
      days.map((d) => [
        DateTime.fromJSDate(d.day).toISODate(),
        Number(d.events),
        Number(d.quantity),
        Number(d.prompt_tokens),
      ]),
      [
        ['2026-12-06', 2, 150, 125],
        ['2026-12-07', 1, 10, 8],
      ]
    )

    clock.reset()
    await customerSays(desk, 'hi')
    await db.table('rule_executions').insert({
      rule_id: rule.id,
      team_id: desk.team.id,
      event_key: 'old',
      event: '{}',
      outcome: 'fired',
      created_at: clock.now().minus({ days: 45 }).toJSDate(),
    })
    const purged = await retentionPurge()
    assert.equal(purged.rule_executions, 1)
    assert.deepEqual(
      (await executionsOf(rule.id)).map((e) => e.eventKey).filter((k) => k === 'old'),
      []
    )
    assert.lengthOf(await executionsOf(rule.id), 1)
  })
})
