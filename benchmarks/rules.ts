/*
| Rules engine benchmark: `npm run bench:rules [-- --rules=1000 --messages=2000]`.
|
| One team with N enabled rules (plus the four built-ins), imported through
| the production import (validated, as an admin would), then a steady
| stream of customer messages through the real ingest. Measured per
| message: the production "process conversation" job (processMessage),
| which runs the team's rules for the message's events (message.received,
| message.count, and conversation.created / contact.status for a first
| message), records every evaluation whose trigger matched, runs the
| actions of the rules that fire, and commits. Ingest is not timed.
|
| The rules are a mix a busy desk might have: half keyword rules on
| message.received (`contains` or a `matches` pattern on the text, with
| owner / tag / business-hours conditions), the rest on other triggers
| (status changes, Nth message, first message, escalations, custom events,
| inactivity, schedules); most keyword rules name a product code. Messages
| are sentences from the shared benchmark vocabulary, one in five naming a
| product code, so besides the built-in assistant rule one or two rules
| fire per message (tags, notes, replies).
|
| One JSON line on stdout:
|
|   {"p50_ms","p95_ms","p99_ms","messages_per_s","with_actions_p50_ms",
|    "with_actions_p95_ms","decide_p50_ms","decide_p95_ms","job_p50_ms",
|    "job_p95_ms","job_messages_per_s","rules","messages",
|    "evaluations_per_message","fired_per_message","postgres_version"}
|
| Four measures per message, one message at a time:
|   p50/p95/p99   evaluation: the message's events through the engine, every
|                 evaluation recorded in the log, the rules' actions left out
|                 (the same rules without actions);
|   with_actions  the same with the fired rules' actions run;
|   decide        a dry run: conditions and decisions, nothing written;
|   job           the whole production job, committed (processMessage).
| The first three run in transactions that are rolled back, with fresh
| event keys, after the job has processed the message.
|
| Database: BENCH_DATABASE_URL (its `public` schema is DROPPED) or a
| throwaway embedded PostgreSQL.
*/
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import {
  appEnvFor,
  cleanUpOnSignals,
  fragments,
  log,
  numberArg,
  percentile,
  prng,
  round,
  ROOT,
  runBenchmark,
  runNode,
  scratchDatabase,
  timed,
} from './support.js'

cleanUpOnSignals()

const RULES = numberArg('rules', 1000)
const MESSAGES = numberArg('messages', 2000)
const CUSTOMERS = numberArg('customers', 200)
const WARMUP = 100

/** N rules of a realistic mix, deterministic. */
function makeRules(words: string[]) {
  const random = prng(7)
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]
  const rules: Array<Record<string, unknown>> = []
  for (let i = 0; i < RULES; i++) {
    const r = random()
    // Most keyword rules name a product or plan (a code), some a rarer everyday word.
    const word = random() < 0.8 ? `sku${Math.floor(random() * 1000)}` : pick(words)
    let trigger: Record<string, unknown>
    let conditions: Record<string, unknown> = { all: [] }
    let actions: Array<Record<string, unknown>> = [{ type: 'add_tags', tags: [`r${i}`] }]
    if (r < 0.5) {
      trigger = { type: 'message.received' }
      const text =
        random() < 0.2
          ? { field: 'message.text', operator: 'matches', value: `(?i)\\b${word}s?\\b` }
          : { field: 'message.text', operator: 'contains', value: word }
      const extra = pick([
        { field: 'owner', operator: 'in', value: ['bot', 'queued'] },
        { field: 'tags', operator: 'not_contains', value: 'spam' },
        { field: 'business_hours', operator: 'equals', value: true },
        { field: 'priority', operator: 'not_equals', value: 'urgent' },
      ])
      conditions = random() < 0.5 ? { all: [text, extra] } : { all: [extra, text] }
      if (random() < 0.3)
        actions = [
          {
            type: 'send_message',
            text: `About ${word}: see our help centre, {{contact.first_name | friend}}.`,
          },
        ]
      else if (random() < 0.3) actions = [{ type: 'add_note', text: `Mentions ${word}` }]
    } else if (r < 0.6) {
      trigger = { type: 'conversation.status_changed', to: pick(['resolved', 'pending', 'open']) }
    } else if (r < 0.7) {
      trigger = { type: 'message.count', count: 2 + Math.floor(random() * 20) }
      conditions = {
        all: [{ field: 'tags', operator: 'contains', value: pick(['vip', 'enterprise', 'trial']) }],
      }
    } else if (r < 0.78) {
      trigger = { type: 'conversation.created' }
      conditions = {
        all: [
          { field: 'platform', operator: 'equals', value: 'api' },
          { field: 'contact.name', operator: 'contains', value: word },
        ],
      }
    } else if (r < 0.84) {
      trigger = { type: 'escalation' }
    } else if (r < 0.9) {
      trigger = { type: 'custom', name: `event.${i}` }
    } else if (r < 0.95) {
      trigger = {
        type: 'conversation.inactive',
        waiting: 'customer',
        minutes: 5 + Math.floor(random() * 120),
      }
    } else {
      trigger = {
        type: 'schedule',
        cron: `${Math.floor(random() * 60)} ${Math.floor(random() * 24)} * * *`,
      }
      actions = [{ type: 'webhook', url: 'http://127.0.0.1:9/digest' }]
    }
    rules.push({ name: `Rule ${i}`, priority: 100 + i, trigger, conditions, actions })
  }
  return rules
}

async function main() {
  const { url } = await scratchDatabase()
  const appEnv = appEnvFor(url, { RUN_WORKER: 'false', RUN_SCHEDULER: 'false' })
  await timed('migrations', () => runNode(['ace.js', 'migration:run', '--force'], appEnv))
  Object.assign(process.env, appEnv)

  // The app, booted in this process as ace boots it, so the job runs exactly as in the worker.
  await import('reflect-metadata')
  const { Ignitor } = await import('@adonisjs/core')
  const appRoot = new URL(`file://${ROOT}`)
  const app = new Ignitor(appRoot, {
    importer: (path: string) =>
      path.startsWith('./') || path.startsWith('../')
        ? import(new URL(path, appRoot).href)
        : import(path),
  })
    .tap((a) => a.booting(async () => void (await import('#start/env'))))
    .createApp('console')
  await app.init()
  await app.boot()
  await app.start(async () => {})

  try {
    await measure()
  } finally {
    const { default: queue } = await import('#messaging/queue')
    await queue.stop()
    await app.terminate()
  }
}

async function measure() {
  const url = process.env.DATABASE_URL!
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const { default: encryption } = await import('@adonisjs/core/services/encryption')
  const { ingest } = await import('#messaging/ingest')
  const { processMessage } = await import('#messaging/process')
  const { runRules } = await import('#automation/engine')
  const { default: RuleService } = await import('#automation/rule_service')

  const [team] = await db
    .table('teams')
    .returning('*')
    .insert({ name: 'Bench', settings: JSON.stringify({ assistant: { enabled: false } }) })
  const [channel] = await db
    .table('channels')
    .returning('*')
    .insert({
      team_id: team.id,
      platform: 'api',
      name: 'Bench',
      config_encrypted: encryption.encrypt('{}'),
      enabled: false,
    })
  const texts = fragments(MESSAGES + WARMUP + 400)
  // Keyword rules name specific things: the rarer half of the words customers use.
  const frequency = new Map<string, number>()
  for (const w of texts
    .join(' ')
    .toLowerCase()
    .match(/[a-z]{4,}/g) ?? []) {
    frequency.set(w, (frequency.get(w) ?? 0) + 1)
  }
  const byFrequency = [...frequency.keys()].sort((x, y) => frequency.get(y)! - frequency.get(x)!)
  const words = byFrequency.slice(Math.floor(byFrequency.length / 2))
  const imported = await timed(`importing ${RULES} rules`, () =>
    new RuleService().import(team.id, makeRules(words) as never)
  )
  log(`rules: ${JSON.stringify(imported)}`)

  const random = prng(11)
  const messageIds: number[] = []
  const durations: number[] = []
  let evaluations = 0
  let fired = 0
  const send = async (i: number) => {
    const customer = Math.floor(random() * CUSTOMERS)
    const result = await ingest(
      { id: channel.id, teamId: team.id, platform: 'api' },
      {
        eventId: randomUUID(),
        contact: {
          externalId: `c${customer}`,
          name: `Customer ${texts[texts.length - 1 - customer].split(' ')[0]}`,
        },
        message: {
          externalId: randomUUID(),
          kind: 'text',
          // One message in five names a product code.
          text: `${texts[i]} ${texts[(i * 7) % texts.length]}${random() < 0.2 ? ` about sku${Math.floor(random() * 1000)}` : ''}`,
          attachments: [],
        },
      }
    )
    return result.messageId!
  }
  for (let i = 0; i < WARMUP; i++) await processMessage(await send(i))
  const since = await db.from('rule_executions').max('id as id').first()
  const sinceMisses = await db.from('rule_evaluations').max('id as id').first()
  for (let i = 0; i < MESSAGES; i++) {
    const id = await send(WARMUP + i)
    messageIds.push(id)
    const started = performance.now()
    await processMessage(id)
    durations.push(performance.now() - started)
  }
  const counts = await db
    .from('rule_executions')
    .where('id', '>', since?.id ?? 0)
    .select(
      db.raw('count(*)::int AS n'),
      db.raw("count(*) FILTER (WHERE outcome <> 'conditions_failed')::int AS f")
    )
    .first()
  const missed = await db
    .from('rule_evaluations')
    .where('id', '>', sinceMisses?.id ?? 0)
    .select(db.raw('COALESCE(sum(cardinality(rule_ids)), 0)::int AS n'))
    .first()
  evaluations = counts.n + missed.n
  fired = counts.f
  const byType = await db
    .from('rule_executions as e')
    .join('rules as r', 'r.id', 'e.rule_id')
    .where('e.id', '>', since?.id ?? 0)
    .groupByRaw("r.trigger->>'type'")
    .select(db.raw("r.trigger->>'type' AS type"), db.raw('count(*)::int AS n'))
  log(`fired by trigger: ${JSON.stringify(Object.fromEntries(byType.map((r) => [r.type, r.n])))}`)

  /*
  | The engine alone, per message: the message's events through runRules
  | with the actions and the log written, in a transaction rolled back
  | (fresh event keys, so nothing counts as already done); then the same
  | as a dry run (decisions only, no writes).
  */
  const engine: number[] = []
  const evaluate: number[] = []
  const decide: number[] = []
  const { customerEvents } = await import('#messaging/process')
  const { teamRules, compileRule } = await import('#automation/engine')
  // The team's rules without their actions: evaluation and its log, nothing done.
  const current = await db.from('teams').where('id', team.id).first()
  const compiled = await teamRules(db, current)
  const silent = new Map(
    [...compiled.byTrigger].map(([type, list]) => [
      type,
      list.map((r) => compileRule({ ...r.row, actions: [] })),
    ])
  )
  for (const [samples, dryRun, withActions] of [
    [engine, false, true],
    [evaluate, false, false],
    [decide, true, true],
  ] as const) {
    for (const id of messageIds) {
      const message = await db.from('messages').where('id', id).first()
      const trx = await db.transaction()
      try {
        const conversation = await trx
          .from('conversations')
          .where('id', message.conversation_id)
          .forUpdate()
          .first()
        const fresh = await trx.from('teams').where('id', team.id).first()
        const started = performance.now()
        const events = await customerEvents(trx, fresh, conversation, message)
        const rows = { team: fresh, conversation, message }
        for (const event of events) {
          await runRules(trx, { ...event, key: `bench:${event.key}` }, rows, {
            dryRun,
            rules: withActions ? undefined : (silent.get(event.type) ?? []),
          })
        }
        samples.push(performance.now() - started)
      } finally {
        await trx.rollback()
      }
    }
  }

  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const shown = await client.query('SHOW server_version')
  const version = shown.rows[0].server_version
  await client.end()

  durations.sort((a, b) => a - b)
  engine.sort((a, b) => a - b)
  evaluate.sort((a, b) => a - b)
  decide.sort((a, b) => a - b)
  const total = durations.reduce((a, b) => a + b, 0)
  process.stdout.write(
    JSON.stringify({
      p50_ms: round(percentile(evaluate, 50)),
      p95_ms: round(percentile(evaluate, 95)),
      p99_ms: round(percentile(evaluate, 99)),
      messages_per_s: round((MESSAGES / evaluate.reduce((a, b) => a + b, 0)) * 1000, 1),
      with_actions_p50_ms: round(percentile(engine, 50)),
      with_actions_p95_ms: round(percentile(engine, 95)),
      decide_p50_ms: round(percentile(decide, 50)),
      decide_p95_ms: round(percentile(decide, 95)),
      job_p50_ms: round(percentile(durations, 50)),
      job_p95_ms: round(percentile(durations, 95)),
      job_messages_per_s: round((MESSAGES / total) * 1000, 1),
      rules: RULES + 4,
      messages: MESSAGES,
      evaluations_per_message: round(evaluations / MESSAGES, 1),
      fired_per_message: round(fired / MESSAGES, 2),
      postgres_version: version,
    }) + '\n'
  )
}

await runBenchmark(main, { destroy() {} })
