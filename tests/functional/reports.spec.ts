/*
| GET /api/v1/reports/overview and /api/v1/reports/conversations.csv: exact
| numbers over a seeded desk with known times, time zones, and who may see
| what.
*/
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Contact from '#models/contact'
import type Team from '#models/team'
import clock from '#services/clock'
import { dayPeriod } from '#services/period'
import { firstResponseTimes, type ReportScope } from '#services/reports'
import { handOff } from '#messaging/handoff'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

const NOW = '2026-03-20T12:00:00Z'
const PERIOD = { from: '2026-03-01', to: '2026-03-10' }

const at = (iso: string) => new Date(iso)

async function channel(team: Team, platform: string, name: string) {
  const [row] = await db
    .table('channels')
    .returning('id')
    .insert({ team_id: team.id, platform, name, config_encrypted: 'unused' })
  return row.id as number
}

async function conversation(
  team: Team,
  fields: {
    createdAt: string
    lastMessageAt: string
    channelId?: number | null
    status?: string
    owner?: string
    resolvedAt?: string
    assigneeId?: number
    lastOperatorMessageAt?: string
    tags?: string[]
    messageCount?: number
  }
) {
  const contact = await Contact.create({ teamId: team.id, name: 'Pat Customer', attributes: {} })
  const [row] = await db
    .table('conversations')
    .returning('id')
    .insert({
      team_id: team.id,
      contact_id: contact.id,
      channel_id: fields.channelId ?? null,
      status: fields.status ?? 'open',
      owner: fields.owner ?? 'bot',
      assignee_id: fields.assigneeId ?? null,
      tags: fields.tags ?? [],
      message_count: fields.messageCount ?? 0,
      resolved_at: fields.resolvedAt ? at(fields.resolvedAt) : null,
      last_message_at: at(fields.lastMessageAt),
      last_operator_message_at: fields.lastOperatorMessageAt
        ? at(fields.lastOperatorMessageAt)
        : null,
      created_at: at(fields.createdAt),
      updated_at: at(fields.createdAt),
    })
  return row.id as number
}

type Who = 'customer' | 'bot' | 'operator' | 'system'

async function message(conversationId: number, who: Who, time: string, key?: string) {
  const direction = who === 'customer' ? 'inbound' : 'outbound'
  const [row] = await db
    .table('messages')
    .returning('id')
    .insert({
      conversation_id: conversationId,
      direction,
      author_kind: who === 'customer' ? 'contact' : who,
      body: `${who} at ${time}`,
      idempotency_key: key ?? null,
      created_at: at(time),
      updated_at: at(time),
    })
  return row.id as number
}

/** A hand-off as the assistant and the rules make it, at a given time. */
async function handoffAt(conversationId: number, team: Team, time: string) {
  const noteId = await db.transaction((trx) =>
    handOff(trx, { id: conversationId, teamId: team.id, channelId: null }, 'unsure', `h:${time}`)
  )
  await db
    .from('messages')
    .where('id', noteId!)
    .update({ created_at: at(time) })
}

async function vote(answerId: number, conversationId: number, team: Team, value: 1 | -1) {
  const { created_at: answered } = await db.from('messages').where('id', answerId).first()
  await db.table('answer_votes').insert({
    message_id: answerId,
    conversation_id: conversationId,
    team_id: team.id,
    vote: value,
    created_at: new Date(answered.getTime() + 60_000),
  })
}

async function modelCall(team: Team, time: string, tokens: number, costUsd: number) {
  await db.table('usage_events').insert({
    team_id: team.id,
    kind: 'model_call',
    quantity: tokens,
    occurred_at: at(time),
    data: JSON.stringify({ model: 'm', outcome: 'ok', costUsd }),
  })
}

/*
| Red's desk, 1–10 March 2026 (UTC). First responses 30, 120, 600 and 900
| seconds (c4 never answered); resolved in the period: c1 (1 h, no person),
| c2 (2 h, an operator replied) and c6 (created in February, 15 days, no
| person). Blue has one conversation answered in 5 seconds.
*/
async function desk() {
  const red = await makeTeam('@Red, Inc.', {
    assistant: { enabled: false, monthlyTokenBudget: 100000 },
  })
  const blue = await makeTeam('Blue')
  const redOperator = await makeUser('operator', [red])
  const telegram = await channel(red, 'telegram', '=HYPERLINK("http://evil.example","x")')
  const discord = await channel(red, 'discord', 'Red Discord')

  // c1: answered by the assistant in 30 s (two customer messages), resolved an hour later.
  const c1 = await conversation(red, {
    createdAt: '2026-03-02T10:00:00Z',
    lastMessageAt: '2026-03-02T10:05:00Z',
    channelId: telegram,
    status: 'resolved',
    resolvedAt: '2026-03-02T11:00:00Z',
    tags: ['billing', 'vip'],
    messageCount: 3,
  })
  const ask1 = await message(c1, 'customer', '2026-03-02T10:00:00Z')
  const answer1 = await message(c1, 'bot', '2026-03-02T10:00:30Z', `assistant:${ask1}`)
  await message(c1, 'customer', '2026-03-02T10:05:00Z')

  // c2: the acknowledgement and the hand-off notice are no response; the operator's reply is.
  const c2 = await conversation(red, {
    createdAt: '2026-03-03T09:00:00Z',
    lastMessageAt: '2026-03-03T09:02:00Z',
    status: 'resolved',
    resolvedAt: '2026-03-03T11:00:00Z',
    assigneeId: redOperator.id,
    lastOperatorMessageAt: '2026-03-03T09:02:00Z',
    messageCount: 4,
  })
  await message(c2, 'customer', '2026-03-03T09:00:00Z')
  await message(c2, 'bot', '2026-03-03T09:00:01Z', `autoreply:${c2}`)
  await handoffAt(c2, red, '2026-03-03T09:00:02Z')
  await message(c2, 'system', '2026-03-03T09:00:02Z')
  await message(c2, 'operator', '2026-03-03T09:02:00Z')

  // c3: the desk wrote first; the response is the reply after the customer's message.
  // 23:40 UTC on Wednesday is 00:40 on Thursday in Berlin.
  const c3 = await conversation(red, {
    createdAt: '2026-03-04T23:30:00Z',
    lastMessageAt: '2026-03-04T23:50:00Z',
    channelId: telegram,
    lastOperatorMessageAt: '2026-03-04T23:50:00Z',
  })
  await message(c3, 'operator', '2026-03-04T23:30:00Z')
  await message(c3, 'customer', '2026-03-04T23:40:00Z')
  await handoffAt(c3, red, '2026-03-04T23:45:00Z')
  await message(c3, 'operator', '2026-03-04T23:50:00Z')

  // c4: never answered.
  const c4 = await conversation(red, {
    createdAt: '2026-03-05T08:00:00Z',
    lastMessageAt: '2026-03-05T08:00:00Z',
    channelId: discord,
  })
  await message(c4, 'customer', '2026-03-05T08:00:00Z')

  // c5: answered in 15 minutes; snoozed with a person.
  const c5 = await conversation(red, {
    createdAt: '2026-03-06T12:00:00Z',
    lastMessageAt: '2026-03-06T12:20:00Z',
    channelId: telegram,
    status: 'snoozed',
    owner: 'human',
  })
  const ask5 = await message(c5, 'customer', '2026-03-06T12:00:00Z')
  const answer5 = await message(c5, 'bot', '2026-03-06T12:15:00Z', `assistant:${ask5}`)
  const answer5b = await message(c5, 'bot', '2026-03-06T12:20:00Z', `assistant:${ask5 + 1000}`)

  // c6: created before the period, resolved in it, never with a person.
  const c6 = await conversation(red, {
    createdAt: '2026-02-20T00:00:00Z',
    lastMessageAt: '2026-02-20T00:01:00Z',
    status: 'resolved',
    resolvedAt: '2026-03-07T00:00:00Z',
  })
  const ask6 = await message(c6, 'customer', '2026-02-20T00:00:00Z')
  const answer6 = await message(c6, 'bot', '2026-02-20T00:01:00Z', `assistant:${ask6}`)

  // c8: from February, still waiting for a person.
  const c8 = await conversation(red, {
    createdAt: '2026-02-25T00:00:00Z',
    lastMessageAt: '2026-02-25T00:00:00Z',
    status: 'pending',
    owner: 'queued',
  })
  await message(c8, 'customer', '2026-02-25T00:00:00Z')

  // Blue: answered in 5 s, waiting for a person.
  const c9 = await conversation(blue, {
    createdAt: '2026-03-02T10:00:00Z',
    lastMessageAt: '2026-03-02T10:00:05Z',
    owner: 'queued',
  })
  await message(c9, 'customer', '2026-03-02T10:00:00Z')
  await message(c9, 'bot', '2026-03-02T10:00:05Z')

  await vote(answer1, c1, red, 1)
  await vote(answer5, c5, red, -1)
  await vote(answer5b, c5, red, 1)
  await vote(answer6, c6, red, -1) // an answer from before the period

  await modelCall(red, '2026-02-25T10:00:00Z', 999, 0.5)
  await modelCall(red, '2026-03-02T10:00:30Z', 150, 0.01)
  await modelCall(red, '2026-03-04T23:45:00Z', 50, 0.002)
  await modelCall(blue, '2026-03-02T10:00:05Z', 1000, 0.1)

  return { red, blue, redOperator, c1, c2, c3, c4, c5 }
}

const overview = (client: any, token: string, qs: Record<string, unknown> = PERIOD) =>
  client.get('/api/v1/reports/overview').bearerToken(token).qs(qs)

const nonZero = <T extends { count: number }>(rows: T[]) => rows.filter((r) => r.count > 0)

test.group('Reports: overview', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    clock.freeze(DateTime.fromISO(NOW))
    return () => clock.reset()
  })

  test('an operator gets exact numbers for their team', async ({ client, assert }) => {
    const w = await desk()
    const response = await overview(client, await tokenFor(w.redOperator))
    response.assertStatus(200)
    const { data, meta } = response.body()
    assert.deepEqual(meta, { from: '2026-03-01', to: '2026-03-10', tz: 'UTC', teamIds: [w.red.id] })
    assert.deepEqual(data.kpis, {
      open: 4,
      // c3 (handed off) and c8; c2 was handed off too but is resolved.
      waitingForPerson: 2,
      createdInPeriod: 5,
      resolvedInPeriod: 3,
      // 30, 120, 600, 900: the middle two averaged; p90 interpolated (600 + 0.7 × 300).
      firstResponseMedianS: 360,
      firstResponseP90S: 810,
      // 1 h, 2 h, 15 days.
      resolutionMedianS: 7200,
      resolvedWithoutPersonShare: 0.6667,
      thumbsUpShare: 0.6667,
      tokensThisMonth: 200,
      costThisMonth: 0.012,
      budgetThisMonth: 100000,
    })

    const perDay = data.series.conversationsPerDay
    assert.lengthOf(perDay, 10 * 3, 'every day for every channel seen')
    assert.deepEqual(nonZero(perDay), [
      { day: '2026-03-02', channel: 'telegram', count: 1 },
      { day: '2026-03-03', channel: 'none', count: 1 },
      { day: '2026-03-04', channel: 'telegram', count: 1 },
      { day: '2026-03-05', channel: 'discord', count: 1 },
      { day: '2026-03-06', channel: 'telegram', count: 1 },
    ])
    assert.lengthOf(data.series.handoffsPerDay, 10)
    assert.deepEqual(nonZero(data.series.handoffsPerDay), [
      { day: '2026-03-03', count: 1 },
      { day: '2026-03-04', count: 1 },
    ])
    assert.lengthOf(data.series.busiestHours, 168)
    assert.deepEqual(data.series.busiestHours[0], { weekday: 0, hour: 0, count: 0 })
    // 2 March 2026 is a Monday (weekday 0).
    assert.deepEqual(nonZero(data.series.busiestHours), [
      { weekday: 0, hour: 10, count: 2 },
      { weekday: 1, hour: 9, count: 1 },
      { weekday: 2, hour: 23, count: 1 },
      { weekday: 3, hour: 8, count: 1 },
      { weekday: 4, hour: 12, count: 1 },
    ])
    assert.lengthOf(data.series.tokensPerDay, 10)
    assert.deepEqual(
      data.series.tokensPerDay.filter((d: { tokens: number }) => d.tokens > 0),
      [
        { day: '2026-03-02', tokens: 150, cost: 0.01 },
        { day: '2026-03-04', tokens: 50, cost: 0.002 },
      ]
    )
  })

  test('a time zone moves messages into another day and hour', async ({ client, assert }) => {
    const w = await desk()
    const response = await overview(client, await tokenFor(w.redOperator), {
      ...PERIOD,
      tz: 'Europe/Berlin',
    })
    response.assertStatus(200)
    const { data, meta } = response.body()
    assert.equal(meta.tz, 'Europe/Berlin')
    assert.deepEqual(nonZero(data.series.conversationsPerDay), [
      { day: '2026-03-02', channel: 'telegram', count: 1 },
      { day: '2026-03-03', channel: 'none', count: 1 },
      { day: '2026-03-05', channel: 'discord', count: 1 },
      { day: '2026-03-05', channel: 'telegram', count: 1 },
      { day: '2026-03-06', channel: 'telegram', count: 1 },
    ])
    assert.deepEqual(nonZero(data.series.busiestHours), [
      { weekday: 0, hour: 11, count: 2 },
      { weekday: 1, hour: 10, count: 1 },
      { weekday: 3, hour: 0, count: 1 },
      { weekday: 3, hour: 9, count: 1 },
      { weekday: 4, hour: 13, count: 1 },
    ])
    assert.deepEqual(nonZero(data.series.handoffsPerDay), [
      { day: '2026-03-03', count: 1 },
      { day: '2026-03-05', count: 1 },
    ])
    assert.deepEqual(
      data.series.tokensPerDay.filter((d: { tokens: number }) => d.tokens > 0),
      [
        { day: '2026-03-02', tokens: 150, cost: 0.01 },
        { day: '2026-03-05', tokens: 50, cost: 0.002 },
      ]
    )
    // Durations do not depend on the zone.
    assert.equal(data.kpis.firstResponseMedianS, 360)
  })

  test('an admin sees every team, or the one asked for', async ({ client, assert }) => {
    const w = await desk()
    const admin = await tokenFor(await makeUser('admin'))
    const all = (await overview(client, admin)).body()
    assert.isNull(all.meta.teamIds)
    assert.include(all.data.kpis, {
      open: 5,
      waitingForPerson: 3,
      createdInPeriod: 6,
      // 5, 30, 120, 600, 900.
      firstResponseMedianS: 120,
      firstResponseP90S: 780,
      tokensThisMonth: 1200,
      costThisMonth: 0.112,
      budgetThisMonth: 100000,
    })
    assert.deepEqual(nonZero(all.data.series.busiestHours)[0], { weekday: 0, hour: 10, count: 3 })
    // Every team's messages are counted without going through conversations: same buckets.
    const berlin = (await overview(client, admin, { ...PERIOD, tz: 'Europe/Berlin' })).body()
    assert.deepEqual(nonZero(berlin.data.series.busiestHours), [
      { weekday: 0, hour: 11, count: 3 },
      { weekday: 1, hour: 10, count: 1 },
      { weekday: 3, hour: 0, count: 1 },
      { weekday: 3, hour: 9, count: 1 },
      { weekday: 4, hour: 13, count: 1 },
    ])

    const red = (await overview(client, admin, { ...PERIOD, teamId: w.red.id })).body()
    const asOperator = (await overview(client, await tokenFor(w.redOperator))).body()
    assert.deepEqual(red.data, asOperator.data)

    const blue = (await overview(client, admin, { ...PERIOD, teamId: w.blue.id })).body()
    assert.include(blue.data.kpis, {
      open: 1,
      waitingForPerson: 1,
      firstResponseMedianS: 5,
      resolvedInPeriod: 0,
      resolutionMedianS: null,
      resolvedWithoutPersonShare: null,
      thumbsUpShare: null,
      budgetThisMonth: null,
    })
    assert.deepEqual(blue.data.series.conversationsPerDay.length, 10)
  })

  test('both ways of computing first responses agree', async ({ assert }) => {
    const w = await desk()
    const { from, to } = dayPeriod(
      { from: new Date(2026, 2, 1), to: new Date(2026, 2, 10) },
      { defaultFrom: (today) => today }
    )
    for (const teamIds of [null, [w.red.id], [w.blue.id]]) {
      const scope: ReportScope = { period: { from, to, zone: 'UTC' }, teamIds }
      const ids = await db
        .from('conversations')
        .where('created_at', '>=', from.toJSDate())
        .where('created_at', '<', to.toJSDate())
        .min('id as lo')
        .max('id as hi')
        .first()
      const range = await firstResponseTimes(scope, 'range', ids.lo, ids.hi)
      const probe = await firstResponseTimes(scope, 'probe', ids.lo, ids.hi)
      assert.deepEqual(range, probe, `teams ${teamIds}`)
      assert.isNotNull(range.median)
    }
  })

  test('without from and to: the last 30 days, today included', async ({ client, assert }) => {
    const w = await desk()
    const response = await client
      .get('/api/v1/reports/overview')
      .bearerToken(await tokenFor(w.redOperator))
    response.assertStatus(200)
    const { data, meta } = response.body()
    assert.equal(meta.from, '2026-02-19')
    assert.equal(meta.to, '2026-03-20')
    assert.lengthOf(data.series.handoffsPerDay, 30)
    // c8 (25 February) is now inside the period.
    assert.equal(data.kpis.createdInPeriod, 7)
  })
})

test.group('Reports: access and input', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    clock.freeze(DateTime.fromISO(NOW))
    return () => clock.reset()
  })

  test('anonymous callers get 401', async ({ client }) => {
    for (const path of ['/api/v1/reports/overview', '/api/v1/reports/conversations.csv']) {
      const response = await client.get(path).qs(PERIOD)
      response.assertStatus(401)
    }
  })

  test('another team is a 404, for operators and supervisors alike', async ({ client, assert }) => {
    const w = await desk()
    const blueSupervisor = await tokenFor(await makeUser('supervisor', [w.blue]))
    const redOperator = await tokenFor(w.redOperator)
    for (const [token, teamId] of [
      [blueSupervisor, w.red.id],
      [redOperator, w.blue.id],
      [redOperator, 999999],
    ] as const) {
      for (const path of ['/api/v1/reports/overview', '/api/v1/reports/conversations.csv']) {
        const response = await client
          .get(path)
          .bearerToken(token)
          .qs({ ...PERIOD, teamId })
        response.assertStatus(404)
        assert.notInclude(response.text(), '@Red')
      }
    }
    // Without teamId, a supervisor of Blue sees Blue only.
    const own = (await overview(client, blueSupervisor)).body()
    assert.equal(own.data.kpis.createdInPeriod, 1)
  })

  test('bad input is a 422 naming the field, never a 500', async ({ client, assert }) => {
    const w = await desk()
    const token = await tokenFor(w.redOperator)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ from: '2026-02-30' }, 'from'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-3-1' }, 'to'],
      [{ to: '1767225600000' }, 'to'],
      [{ from: '2026-03-10', to: '2026-03-01' }, 'to'],
      [{ from: '2025-01-01', to: '2026-03-01' }, 'from'],
      [{ tz: 'Mars/Olympus_Mons' }, 'tz'],
      [{ tz: '+01:00' }, 'tz'],
      [{ tz: 'local' }, 'tz'],
      [{ tz: "Europe/Berlin'; DROP TABLE messages; --" }, 'tz'],
      [{ teamId: 'red' }, 'teamId'],
      [{ teamId: 0 }, 'teamId'],
    ]
    for (const [qs, field] of cases) {
      for (const path of ['/api/v1/reports/overview', '/api/v1/reports/conversations.csv']) {
        const response = await client.get(path).bearerToken(token).qs(qs)
        assert.equal(response.status(), 422, `${path} ${JSON.stringify(qs)}`)
        assert.equal(response.body().errors[0].field, field, JSON.stringify(qs))
      }
    }
    // The longest period allowed, and a zone PostgreSQL and the runtime both know.
    const year = await overview(client, token, {
      from: '2025-03-10',
      to: '2026-03-10',
      tz: 'America/Argentina/Buenos_Aires',
    })
    year.assertStatus(200)
  })
})

/** RFC 4180 text → rows of cells, enough for these files (no line breaks inside cells). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter(Boolean)
    .map((line) => {
      const cells: string[] = []
      let i = 0
      for (;;) {
        if (line[i] === '"') {
          let value = ''
          i++
          for (;;) {
            const quote = line.indexOf('"', i)
            value += line.slice(i, quote)
            if (line[quote + 1] !== '"') {
              i = quote + 1
              break
            }
            value += '"'
            i = quote + 2
          }
          cells.push(value)
        } else {
          const end = line.indexOf(',', i)
          cells.push(line.slice(i, end === -1 ? undefined : end))
          i = end === -1 ? line.length : end
        }
        if (line[i] !== ',') return cells
        i++
      }
    })
}

test.group('Reports: conversations CSV', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    clock.freeze(DateTime.fromISO(NOW))
    return () => clock.reset()
  })

  test('one row per conversation created in the period, formulas defused', async ({
    client,
    assert,
  }) => {
    const w = await desk()
    const response = await client
      .get('/api/v1/reports/conversations.csv')
      .bearerToken(await tokenFor(w.redOperator))
      .qs(PERIOD)
    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/csv; charset=utf-8')
    assert.equal(
      response.header('content-disposition'),
      'attachment; filename="conversations-2026-03-01-2026-03-10.csv"'
    )
    const text = response.text()
    const lines = text.split('\r\n')
    assert.equal(
      lines[0],
      'id,created_at,team,channel,platform,status,owner,assignee_email,tags,message_count,first_response_s,resolved_at,resolution_s'
    )
    // The channel's name would be a formula: quoted, with its quotes doubled, behind a '.
    assert.equal(
      lines[1],
      `${w.c1},2026-03-02T10:00:00+00:00,"'@Red, Inc.","'=HYPERLINK(""http://evil.example"",""x"")",telegram,resolved,bot,,billing vip,3,30,2026-03-02T11:00:00+00:00,3600`
    )
    const rows = parseCsv(text)
    assert.lengthOf(rows, 6)
    assert.deepEqual(
      rows.slice(1).map((r) => [Number(r[0]), r[3].slice(0, 2), r[5], r[7], r[10], r[12]]),
      [
        [w.c1, "'=", 'resolved', '', '30', '3600'],
        [w.c2, '', 'resolved', w.redOperator.email, '120', '7200'],
        [w.c3, "'=", 'open', '', '600', ''],
        [w.c4, 'Re', 'open', '', '', ''],
        [w.c5, "'=", 'snoozed', '', '900', ''],
      ]
    )
    assert.isTrue(rows.every((r) => r.length === 13))
  })

  test('times are written in the asked zone', async ({ client, assert }) => {
    const w = await desk()
    const response = await client
      .get('/api/v1/reports/conversations.csv')
      .bearerToken(await tokenFor(w.redOperator))
      .qs({ ...PERIOD, tz: 'Europe/Berlin' })
    response.assertStatus(200)
    const rows = parseCsv(response.text())
    assert.deepEqual(
      rows.slice(1, 4).map((r) => [r[1], r[11]]),
      [
        ['2026-03-02T11:00:00+01:00', '2026-03-02T12:00:00+01:00'],
        ['2026-03-03T10:00:00+01:00', '2026-03-03T12:00:00+01:00'],
        ['2026-03-05T00:30:00+01:00', ''],
      ]
    )
  })

  test('a period with nothing in it is a header alone', async ({ client, assert }) => {
    const w = await desk()
    const response = await client
      .get('/api/v1/reports/conversations.csv')
      .bearerToken(await tokenFor(w.redOperator))
      .qs({ from: '2025-01-01', to: '2025-01-31' })
    response.assertStatus(200)
    assert.equal(response.text().split('\r\n').filter(Boolean).length, 1)
  })
})
