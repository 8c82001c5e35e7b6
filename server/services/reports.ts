/*
| The dashboard reports: the desk's numbers over a period of whole days in
| a time zone, for the teams a caller may see, and the period's
| conversations as CSV.
|
| Definitions (README, "Reports"):
| - First response: from a conversation's first customer message to the
|   first reply after it by an operator or the assistant (author `operator`
|   or `bot`, but not the automatic acknowledgement `autoReplyText`).
|   System notices (the hand-off notice, rules' messages, /help) are not
|   responses. Over conversations created in the period that got one.
| - Resolution: created → resolved_at, for conversations resolved in the
|   period (resolved_at is cleared when a conversation reopens).
| - Without a person: no operator ever replied (last_operator_message_at,
|   set by every operator reply, is empty).
| - Hand-offs: the internal notes handOff() writes ("Handed to people: …").
|
| Speed: the numbers come from partial indexes (1080_create_report_indexes,
| 1090_tune_reports) and the queries run side by side on the pool. Each
| conversation keeps its first customer message and first response times
| (a trigger sets them), so first responses are one range scan. Durations
| are float8 (date_part), not numeric (extract): the percentiles sort them.
| Days and hours are computed on 15-minute UTC buckets first and converted
| to the zone after: every current UTC offset is a whole number of quarter
| hours, and converting a few thousand buckets costs far less than every row.
*/
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import clock from '#services/clock'
import { invalidField } from '#services/team_scope'
import { periodDays, type DayPeriod } from '#services/period'
import { HANDOFF_NOTE_PREFIX } from '#messaging/handoff'

export interface ReportScope {
  period: DayPeriod
  /** null: every team (admins). */
  teamIds: number[] | null
}

export interface ReportOverview {
  kpis: {
    open: number
    waitingForPerson: number
    createdInPeriod: number
    resolvedInPeriod: number
    firstResponseMedianS: number | null
    firstResponseP90S: number | null
    resolutionMedianS: number | null
    resolvedWithoutPersonShare: number | null
    thumbsUpShare: number | null
    tokensThisMonth: number
    costThisMonth: number
    budgetThisMonth: number | null
  }
  series: {
    conversationsPerDay: Array<{ day: string; channel: string; count: number }>
    handoffsPerDay: Array<{ day: string; count: number }>
    busiestHours: Array<{ weekday: number; hour: number; count: number }>
    tokensPerDay: Array<{ day: string; tokens: number; cost: number }>
  }
}

/*
| The message kinds the reports count. Each matches the predicate of a
| partial index word for word, which is what lets PostgreSQL use it.
*/
const CUSTOMER = `m.direction = 'inbound' AND m.author_kind = 'contact'`
const RESPONSE = `m.direction = 'outbound' AND m.author_kind IN ('bot', 'operator')
  AND (m.idempotency_key IS NULL OR m.idempotency_key NOT LIKE 'autoreply:%')`
const HANDOFF = `m.direction = 'internal' AND m.author_kind = 'system' AND m.kind = 'note'
  AND m.body LIKE '${HANDOFF_NOTE_PREFIX.trim()}%'`

/** Conversations without a channel (created through the API) are counted under this name. */
export const NO_CHANNEL = 'none'

const bucket = (column: string) =>
  `date_bin('15 minutes', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`

type Binding = string | number | Date | number[]

/** `column = ANY(teamIds)`, or nothing for every team. */
function teamFilter(teamIds: number[] | null, column: string): [string, Binding[]] {
  return teamIds === null ? ['TRUE', []] : [`${column} = ANY(?::int[])`, [teamIds]]
}

async function rows<T>(sql: string, bindings: Binding[]): Promise<T[]> {
  const result = await db.rawQuery(sql, bindings as never)
  return result.rows as T[]
}

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value))
const seconds = (value: unknown) =>
  value === null || value === undefined ? null : Math.round(Number(value))
const share = (part: number, whole: number) => (whole ? Number((part / whole).toFixed(4)) : null)
const dollars = (value: unknown) => Number(num(value).toFixed(6))

/* ------------------------------------------------------------------------ */
/* Time zones                                                               */

const knownZones = new Set(['UTC'])

/**
 * The validator accepts zones the runtime knows; PostgreSQL has its own
 * zone database, which may lack a recent one. Checked once per zone, before
 * anything is computed or streamed: a 422 naming `tz`, not a 500.
 */
export async function assertZoneKnown(zone: string) {
  if (knownZones.has(zone)) return
  try {
    await db.rawQuery('SELECT now() AT TIME ZONE ?', [zone])
  } catch (error) {
    if ((error as { code?: string }).code === '22023') {
      throw invalidField('tz', 'timezone', 'The database does not know this time zone')
    }
    throw error
  }
  knownZones.add(zone)
}

/* ------------------------------------------------------------------------ */
/* Overview                                                                 */

export async function overviewReport(scope: ReportScope): Promise<ReportOverview> {
  // The heaviest first: the busiest hours, then the conversations per day and the first responses.
  const [hours, created, firstResponse, now, resolved, handoffs, tokens, month, votes] =
    await Promise.all([
      busiestHours(scope),
      conversationsPerDay(scope),
      firstResponseTimes(scope),
      nowCounts(scope),
      resolvedCounts(scope),
      handoffsPerDay(scope),
      tokensPerDay(scope),
      monthSpend(scope),
      votesShare(scope),
    ])
  return {
    kpis: {
      open: now.open,
      waitingForPerson: now.waiting,
      createdInPeriod: created.count,
      resolvedInPeriod: resolved.count,
      firstResponseMedianS: firstResponse.median,
      firstResponseP90S: firstResponse.p90,
      resolutionMedianS: resolved.median,
      resolvedWithoutPersonShare: share(resolved.withoutPerson, resolved.count),
      thumbsUpShare: share(votes.up, votes.voted),
      tokensThisMonth: month.tokens,
      costThisMonth: month.cost,
      budgetThisMonth: month.budget,
    },
    series: {
      conversationsPerDay: created.perDay,
      handoffsPerDay: handoffs,
      busiestHours: hours,
      tokensPerDay: tokens,
    },
  }
}

/** Conversations not resolved, and those of them waiting for a person, now. */
async function nowCounts({ teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'team_id')
  const [row] = await rows<{ open: number; waiting: number }>(
    `SELECT count(*)::int AS open, count(*) FILTER (WHERE owner = 'queued')::int AS waiting
     FROM conversations WHERE status <> 'resolved' AND ${teams}`,
    params
  )
  return row
}

/** Conversations resolved in the period: how many, how fast, how many without a person. */
async function resolvedCounts({ period, teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'team_id')
  const [row] = await rows<{ count: number; without_person: number; median: number | null }>(
    `SELECT count(*)::int AS count,
            count(*) FILTER (WHERE last_operator_message_at IS NULL)::int AS without_person,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', resolved_at - created_at)) AS median
     FROM conversations
     WHERE resolved_at >= ? AND resolved_at < ? AND ${teams}`,
    [period.from.toJSDate(), period.to.toJSDate(), ...params]
  )
  return { count: row.count, withoutPerson: row.without_person, median: seconds(row.median) }
}

/**
 * First response times of the conversations created in the period that got
 * one. 'range' reads the times each conversation keeps (first customer
 * message, first response after it), a range scan of the partial index
 * conversations_first_response: what the overview uses. 'probe' looks both
 * messages up for each conversation: the definition itself, against which
 * the kept times are checked. lo and hi, when given, also bound the ids.
 */
export async function firstResponseTimes(
  { period, teamIds }: ReportScope,
  strategy: 'range' | 'probe' = 'range',
  lo?: number,
  hi?: number
): Promise<{ median: number | null; p90: number | null }> {
  const [teams, params] = teamFilter(teamIds, 'c.team_id')
  const ids = lo === undefined || hi === undefined ? [] : [lo, hi]
  const where = ['c.created_at >= ? AND c.created_at < ?', teams]
    .concat(ids.length ? ['c.id BETWEEN ? AND ?'] : [])
    .join(' AND ')
  const bindings = [period.from.toJSDate(), period.to.toJSDate(), ...params, ...ids]
  const percentiles = (first: string, response: string) =>
    `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP
       (ORDER BY date_part('epoch', ${response} - ${first})) AS p`
  const sql =
    strategy === 'range'
      ? `SELECT ${percentiles('c.first_customer_message_at', 'c.first_response_at')}
         FROM conversations c
         WHERE c.first_response_at IS NOT NULL AND ${where}`
      : `SELECT ${percentiles('i.at', 'r.at')}
         FROM conversations c
         CROSS JOIN LATERAL (
           SELECT m.created_at AS at FROM messages m
           WHERE m.conversation_id = c.id AND ${CUSTOMER}
           ORDER BY m.created_at LIMIT 1) i
         CROSS JOIN LATERAL (
           SELECT m.created_at AS at FROM messages m
           WHERE m.conversation_id = c.id AND ${RESPONSE} AND m.created_at >= i.at
           ORDER BY m.created_at LIMIT 1) r
         WHERE ${where}`
  const [row] = await rows<{ p: number[] | null }>(sql, bindings)
  return { median: seconds(row.p?.[0]), p90: seconds(row.p?.[1]) }
}

/**
 * Conversations created in the period: how many, and per day and channel
 * platform (every channel seen gets every day).
 */
async function conversationsPerDay({ period, teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'c.team_id')
  const found = await rows<{ day: string; channel: string; count: number }>(
    `SELECT to_char(b.bucket AT TIME ZONE ?, 'YYYY-MM-DD') AS day,
            coalesce(ch.platform, ?) AS channel, sum(b.n)::int AS count
     FROM (SELECT ${bucket('c.created_at')} AS bucket, c.channel_id, count(*) AS n
           FROM conversations c
           WHERE c.created_at >= ? AND c.created_at < ? AND ${teams}
           GROUP BY 1, 2) b
     LEFT JOIN channels ch ON ch.id = b.channel_id
     GROUP BY 1, 2`,
    [period.zone, NO_CHANNEL, period.from.toJSDate(), period.to.toJSDate(), ...params]
  )
  const counts = new Map(found.map((r) => [`${r.day} ${r.channel}`, r.count]))
  const channels = [...new Set(found.map((r) => r.channel))].sort()
  return {
    count: found.reduce((sum, r) => sum + r.count, 0),
    perDay: periodDays(period).flatMap((day) =>
      channels.map((channel) => ({ day, channel, count: counts.get(`${day} ${channel}`) ?? 0 }))
    ),
  }
}

/** Hand-offs to people per day (every day of the period). */
async function handoffsPerDay({ period, teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'c.team_id')
  const found = await rows<{ day: string; count: number }>(
    `SELECT to_char(b.bucket AT TIME ZONE ?, 'YYYY-MM-DD') AS day, sum(b.n)::int AS count
     FROM (SELECT ${bucket('m.created_at')} AS bucket, count(*) AS n
           FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE ${HANDOFF} AND m.created_at >= ? AND m.created_at < ? AND ${teams}
           GROUP BY 1) b
     GROUP BY 1`,
    [period.zone, period.from.toJSDate(), period.to.toJSDate(), ...params]
  )
  const counts = new Map(found.map((r) => [r.day, r.count]))
  return periodDays(period).map((day) => ({ day, count: counts.get(day) ?? 0 }))
}

/**
 * Customer messages by weekday (0 = Monday … 6 = Sunday) and hour in the
 * zone, all 168 cells. The index messages_customer_bucket holds their
 * buckets in order, so the count needs no hashing; the bounds on the bucket
 * select the index range, the ones on created_at are exact. For some teams,
 * through their conversations active in the period: a customer message is
 * never later than its conversation's last_message_at.
 */
async function busiestHours({ period, teamIds }: ReportScope) {
  const from = period.from.toJSDate()
  const to = period.to.toJSDate()
  const inPeriod = `${bucket('m.created_at')} >= ${bucket('?::timestamptz')}
    AND ${bucket('m.created_at')} < ? AND m.created_at >= ? AND m.created_at < ?`
  const between = [from, to, from, to]
  const source =
    teamIds === null
      ? {
          sql: `SELECT ${bucket('m.created_at')} AS bucket, count(*) AS n
                FROM messages m
                WHERE ${CUSTOMER} AND ${inPeriod}
                GROUP BY 1`,
          bindings: between,
        }
      : {
          sql: `SELECT ${bucket('m.created_at')} AS bucket, count(*) AS n
                FROM conversations c
                JOIN messages m ON m.conversation_id = c.id AND ${CUSTOMER} AND ${inPeriod}
                WHERE c.team_id = ANY(?::int[]) AND c.last_message_at >= ?
                GROUP BY 1`,
          bindings: [...between, teamIds, from],
        }
  const found = await rows<{ weekday: number; hour: number; count: number }>(
    `SELECT extract(isodow FROM b.bucket AT TIME ZONE ?)::int - 1 AS weekday,
            extract(hour FROM b.bucket AT TIME ZONE ?)::int AS hour, sum(b.n)::int AS count
     FROM (${source.sql}) b
     GROUP BY 1, 2`,
    [period.zone, period.zone, ...source.bindings]
  )
  const counts = new Map(found.map((r) => [r.weekday * 24 + r.hour, r.count]))
  return Array.from({ length: 7 * 24 }, (_, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    count: counts.get(i) ?? 0,
  }))
}

/** Model tokens and their cost per day (every day of the period). */
async function tokensPerDay({ period, teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'u.team_id')
  const found = await rows<{ day: string; tokens: string | number; cost: string }>(
    `SELECT to_char(b.bucket AT TIME ZONE ?, 'YYYY-MM-DD') AS day,
            sum(b.tokens) AS tokens, sum(b.cost) AS cost
     FROM (SELECT ${bucket('u.occurred_at')} AS bucket, sum(u.quantity) AS tokens,
                  coalesce(sum((u.data->>'costUsd')::numeric), 0) AS cost
           FROM usage_events u
           WHERE u.kind = 'model_call' AND u.occurred_at >= ? AND u.occurred_at < ? AND ${teams}
           GROUP BY 1) b
     GROUP BY 1`,
    [period.zone, period.from.toJSDate(), period.to.toJSDate(), ...params]
  )
  const byDay = new Map(found.map((r) => [r.day, r]))
  return periodDays(period).map((day) => {
    const row = byDay.get(day)
    return { day, tokens: num(row?.tokens), cost: dollars(row?.cost) }
  })
}

/**
 * Tokens and cost since the start of this calendar month (UTC, the month
 * the budget is enforced over), and the sum of the teams' monthly token
 * budgets; null when no team sets one.
 */
async function monthSpend({ teamIds }: ReportScope) {
  const [usageTeams, usageParams] = teamFilter(teamIds, 'team_id')
  const [teams, teamParams] = teamFilter(teamIds, 'id')
  const monthStart = clock.now().toUTC().startOf('month').toJSDate()
  const [row] = await rows<{ tokens: string | number; cost: string; budget: string | null }>(
    `SELECT s.tokens, s.cost, b.budget
     FROM (SELECT coalesce(sum(quantity), 0) AS tokens,
                  coalesce(sum((data->>'costUsd')::numeric), 0) AS cost
           FROM usage_events
           WHERE kind = 'model_call' AND occurred_at >= ? AND ${usageTeams}) s,
          (SELECT sum(floor((settings->'assistant'->>'monthlyTokenBudget')::numeric)) AS budget
           FROM teams
           WHERE jsonb_typeof(settings->'assistant'->'monthlyTokenBudget') = 'number'
             AND ${teams}) b`,
    [monthStart, ...usageParams, ...teamParams]
  )
  return {
    tokens: num(row.tokens),
    cost: dollars(row.cost),
    budget: row.budget === null ? null : Number(row.budget),
  }
}

/**
 * Votes on the assistant's answers written in the period. A vote never
 * comes before its answer; the day's margin allows for the application's
 * and the database's clocks disagreeing.
 */
async function votesShare({ period, teamIds }: ReportScope) {
  const [teams, params] = teamFilter(teamIds, 'v.team_id')
  const from = period.from.toJSDate()
  const [row] = await rows<{ up: number; voted: number }>(
    `SELECT count(*) FILTER (WHERE v.vote > 0)::int AS up, count(*)::int AS voted
     FROM answer_votes v JOIN messages m ON m.id = v.message_id
     WHERE v.created_at >= ?::timestamptz - interval '1 day'
       AND m.created_at >= ? AND m.created_at < ? AND m.idempotency_key LIKE 'assistant:%'
       AND ${teams}`,
    [from, from, period.to.toJSDate(), ...params]
  )
  return row
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'team',
  'channel',
  'platform',
  'status',
  'owner',
  'assignee_email',
  'tags',
  'message_count',
  'first_response_s',
  'resolved_at',
  'resolution_s',
] as const

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (it
 * starts with = + - @, or a tab or carriage return) is prefixed with `'`.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

const csvLine = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n'

/** Rows fetched per query while the CSV streams. */
const CSV_PAGE = 2000

interface CsvRow {
  id: number
  created_at: Date
  cursor: string
  team: string
  channel: string | null
  platform: string | null
  status: string
  owner: string
  assignee_email: string | null
  tags: string[]
  message_count: number
  first_response_s: string | null
  resolved_at: Date | null
  resolution_s: string | null
}

/**
 * The period's conversations as CSV lines, oldest first, header first.
 * Pages follow (created_at, id) so memory stays flat whatever the period;
 * times are ISO 8601 in the report's zone.
 */
export async function* conversationsCsv(scope: ReportScope): AsyncGenerator<string> {
  const { period, teamIds } = scope
  const [teams, params] = teamFilter(teamIds, 'c.team_id')
  const at = (date: Date | null) =>
    date && DateTime.fromJSDate(date, { zone: period.zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ")
  yield csvLine([...CSV_COLUMNS])
  let after: [string, number] | null = null
  for (;;) {
    const page: CsvRow[] = await rows<CsvRow>(
      `SELECT c.id, c.created_at, c.created_at::text AS cursor, t.name AS team,
              ch.name AS channel, ch.platform, c.status, c.owner, u.email AS assignee_email,
              c.tags, c.message_count, c.resolved_at,
              extract(epoch FROM c.first_response_at - c.first_customer_message_at)
                AS first_response_s,
              extract(epoch FROM c.resolved_at - c.created_at) AS resolution_s
       FROM conversations c
       JOIN teams t ON t.id = c.team_id
       LEFT JOIN channels ch ON ch.id = c.channel_id
       LEFT JOIN users u ON u.id = c.assignee_id
       WHERE c.created_at >= ? AND c.created_at < ? AND ${teams}
         ${after ? 'AND (c.created_at, c.id) > (?::timestamptz, ?)' : ''}
       ORDER BY c.created_at, c.id
       LIMIT ${CSV_PAGE}`,
      [period.from.toJSDate(), period.to.toJSDate(), ...params, ...(after ?? [])]
    )
    if (page.length) {
      yield page
        .map((c) =>
          csvLine([
            c.id,
            at(c.created_at),
            c.team,
            c.channel,
            c.platform,
            c.status,
            c.owner,
            c.assignee_email,
            c.tags.join(' '),
            c.message_count,
            seconds(c.first_response_s),
            at(c.resolved_at),
            seconds(c.resolution_s),
          ])
        )
        .join('')
    }
    if (page.length < CSV_PAGE) return
    const last = page[page.length - 1]
    // The cursor keeps the database's microseconds, which a JavaScript Date would round away.
    after = [last.cursor, last.id]
  }
}
