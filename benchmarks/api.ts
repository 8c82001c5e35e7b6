/*
| Conversation list benchmark: `npm run bench:api [-- --quick]`.
|
| Builds a realistic data set (4 teams, ~40 operators, 60k contacts, 100k
| conversations, 1M messages), starts the production HTTP server on it and
| drives GET /api/v1/conversations with 16 concurrent keep-alive clients in a
| closed loop, one query shape at a time. Each shape prints one JSON line on
| stdout:
|
|   {"shape","p50_ms","p95_ms","p99_ms","requests_per_s","requests","errors",
|    "total","total_capped","cpu_ms_per_request":{"server","postgres","bench"}}
|
| `total` is the list's meta.total (counted up to 1,000; `total_capped` when
| there are more). `cpu_ms_per_request` is the CPU time the server process,
| the PostgreSQL processes and this script spent per request while the shape
| was measured (Linux /proc; null where it cannot be read): with every
| process on one machine, latency under load is mostly waiting for a CPU, and
| this says who used it. With BENCH_DATABASE_URL, `postgres` counts the
| backends connected to that database (the server's pool), when they run on
| this machine and /proc shows them. Progress goes to stderr. Target: p95 ≤
| 50 ms for every shape.
|
| The search document of each conversation (conversations.search_vector) is
| normally kept by triggers, one message at a time; the seed disables them
| for the bulk load, builds every document in one statement, re-enables them
| and checks the result against plain-text matching before measuring.
|
| Database: BENCH_DATABASE_URL when set, otherwise a throwaway embedded
| PostgreSQL in a temporary directory (removed at the end).
| WARNING: the `public` schema of BENCH_DATABASE_URL is DROPPED and recreated.
|
| --quick: 10k conversations / 100k messages, 3 s per shape (sanity run).
| --only=a,b: measure only these shapes (the data set is built in full).
| --keep: when done, stop the server but keep the embedded PostgreSQL and its
|   data running for EXPLAIN ANALYZE and the like; its URL is printed, Ctrl-C
|   removes it.
*/
import { readFile } from 'node:fs/promises'
import pg from 'pg'
import {
  appEnvFor,
  cleanUpOnSignals,
  CpuMeter,
  formatCpu,
  fragments,
  httpClient,
  log,
  percentile,
  postmasterPid,
  round,
  runBenchmark,
  runNode,
  scratchDatabase,
  seconds,
  startServer,
  stopChild,
  TimeoutError,
  timed,
} from './support.js'

const QUICK = process.argv.includes('--quick')
const KEEP = process.argv.includes('--keep')
const ONLY = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .filter(Boolean)

const CONFIG = QUICK
  ? { contacts: 6_000, conversations: 10_000, warmupMs: 1_000, measureMs: 3_000 }
  : { contacts: 60_000, conversations: 100_000, warmupMs: 2_000, measureMs: 10_000 }

/** Messages per conversation average ~10, so messages ≈ 10 × conversations. */
const MESSAGES_PER_CONVERSATION = 10
const CONCURRENCY = 16
/** A request still unanswered after this counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000
const OPERATORS = 40
const ADMIN_EMAIL = 'admin@bench.local'
const OPERATOR_EMAIL = 'operator@bench.local'
const PASSWORD = 'benchpassword123'

/** Name, share of contacts (and so of conversations), share of operators. */
const TEAMS = [
  { name: 'Support', share: 0.4 },
  { name: 'Billing', share: 0.3 },
  { name: 'Sales', share: 0.2 },
  { name: 'Partners', share: 0.1 },
]

/** Ordered by popularity: tags are drawn with a skew towards the head of the list. */
const TAGS = [
  'billing',
  'bug',
  'refund',
  'login',
  'shipping',
  'feature-request',
  'urgent',
  'vip',
  'invoice',
  'cancellation',
  'onboarding',
  'api',
  'mobile',
  'password-reset',
  'integration',
  'feedback',
  'outage',
  'pricing',
  'security',
  'gdpr',
]

/** A word in ~30% of messages: in nearly every conversation's search document. */
const COMMON_WORD = 'order'
/** A word in ~0.05% of messages: a few hundred conversations. */
const RARE_WORD = 'chargeback'
/**
 * Query words match whole words or word prefixes: this one starts two last
 * names (Anderson, Andersson) and no first name or message word.
 */
const CONTACT_FRAGMENT = 'ander'
/** Starts message words of several frequencies: charge, charged, chargeback. */
const PREFIX_FRAGMENT = 'charg'
/** Every query word of the shapes, checked against the seeded data before the load. */
const SEARCH_WORDS = [COMMON_WORD, RARE_WORD, CONTACT_FRAGMENT, PREFIX_FRAGMENT]

/** The row-by-row search triggers of the messaging migration that a bulk insert would fire. */
const SEARCH_TRIGGERS = [
  ['conversations', 'conversations_search_init'],
  ['messages', 'messages_search_append'],
] as const

const FIRST_NAMES = (
  'Alice Bruno Chen Dmitri Elena Fatima Gabriel Hana Igor Julia Kenji Laura Mohammed Nina ' +
  'Oliver Priya Quentin Rosa Samuel Tanya Umar Valeria William Ximena Yusuf Zoe Aisha ' +
  'Benjamin Camille Diego Emma Farid Greta Hugo Ingrid Jakub Kaito Lucia Mateo Noor Olga ' +
  'Pablo Rania Sofia Tomas Ulla Viktor Wei Yara Zain Amelia Arjun Beatriz Carlos Daniela ' +
  'Elias Freya Giulia Hamza Isabel Jonas Katarina Leon Maya Nikolai Oscar Paula Rafael Sara ' +
  'Theo Ursula Vera Xavier Yuki Zara Adrian Bianca Clara David Eva Felix Gustavo Helena ' +
  'Ivan Jana Kofi Lena Marco Nadia Omar Petra Ravi Selin Tariq Uma Vanessa Wojciech ' +
  'Alexander Mei Lars'
).split(' ')

const LAST_NAMES = (
  'Martin Costa Wei Ivanov Garcia Rahman Silva Tanaka Petrov Schmidt Nakamura Rossi Hassan ' +
  'Kowalski Smith Patel Dubois Fernandez Cohen Novak Khan Lopez Johnson Hernandez Yilmaz ' +
  'Muller Okafor Andersson Lefebvre Moreno Anderson Sanders Henderson Alexandrov Lindqvist ' +
  'Bianchi Romano Kim Park Nguyen Tran Singh Sharma Gupta Mendes Oliveira Santos Pereira ' +
  'Haddad Mansour Brown Taylor Wilson Thomas Moore Jackson White Harris Clark Lewis Walker ' +
  'Hall Young King Wright Scott Green Baker Adams Nelson Becker Hoffmann Schulz Koch ' +
  'Richter Wagner Weber Meyer Fischer Schneider Jansen DeVries Bakker Visser Smit Meijer ' +
  'Mulder Bos Vos Peters Horvath Nagy Szabo Toth Varga Kovacs Popescu Ionescu Dumitru Stan ' +
  'Larsen Hansen Nielsen Jensen Pedersen Olsen Berg Dahl Lund Holm Morales Ortiz Ramos ' +
  'Castro Vargas Rojas Flores Rivera Torres Ruiz Sato Suzuki Takahashi Watanabe Ito ' +
  'Yamamoto Kobayashi Kato Saito Abe'
).split(' ')

const SUBJECTS = [
  'Payment failed',
  'Cannot log in',
  'Where is my package?',
  'Refund request',
  'Question about pricing',
  'App crashes on start',
  'Change of address',
  'Invoice copy',
  'Account locked',
  'Feature question',
  'Subscription cancellation',
  'Wrong item received',
  'Integration help',
  'Data export',
  null,
]

/* ------------------------------------------------------------------------ */

/** Set once --keep has finished measuring: a signal is then the expected way out. */
let keeping = false

cleanUpOnSignals(() => (keeping ? 0 : 130))

/* ------------------------------------------------------------------------ */
/* HTTP                                                                     */

const { agent, send } = httpClient({ maxSockets: CONCURRENCY * 2, timeoutMs: REQUEST_TIMEOUT_MS })

/** One token per client: concurrent clients are separate sessions, as in real use. */
async function tokens(port: number, email: string, count: number): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const reply = await send(port, 'POST', '/api/v1/auth/tokens', {
      json: { email, password: PASSWORD, name: `bench-${i + 1}` },
      keepBody: true,
    })
    if (reply.status !== 201) {
      throw new Error(`POST /api/v1/auth/tokens for ${email}: ${reply.status} ${reply.body}`)
    }
    out.push(JSON.parse(reply.body).data.token)
  }
  return out
}

/* ------------------------------------------------------------------------ */
/* Database                                                                 */
/**
 * The server does not cancel a query when its client gives up: a request
 * that timed out leaves its query running, and it would slow every later
 * shape down. Cancel what is still running after the timeout.
 */
async function cancelRunawayQueries(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const cancelled = await client.query(
      `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
         AND query_start < now() - make_interval(secs => $1)`,
      [REQUEST_TIMEOUT_MS / 2000]
    )
    if (cancelled.rowCount) log(`  cancelled ${cancelled.rowCount} runaway queries`)
  } finally {
    await client.end()
  }
}

/** Linux reports CPU time in ticks of 1/100 s. */
const TICK_MS = 10

/**
 * CPU ms used so far by each backend connected to the database (but the one
 * asking), by pid; null when /proc does not show them (another machine, or
 * no permission). For a server other than the embedded one, whose
 * postmaster's children CpuMeter sums.
 */
async function backendCpu(url: string): Promise<Map<number, number> | null> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const backends = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`
    )
    const cpu = new Map<number, number>()
    for (const { pid } of backends.rows) {
      try {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
        if (!stat.includes('(postgres)')) return null
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS)
      } catch (error) {
        // A backend that has just exited is gone from /proc; any other failure means no access.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null
      }
    }
    return cpu
  } finally {
    await client.end()
  }
}

/** CPU ms the backends used between two samples; one that started since counts in full. */
function backendCpuUsed(before: Map<number, number> | null, after: Map<number, number> | null) {
  if (!before || !after) return null
  let used = 0
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0)
  return used
}

interface Seeded {
  teamIds: number[]
  busiestTeamId: number
  busiestAssigneeId: number
  popularTag: string
}

/**
 * Fills the database with set-based SQL. The users that log in (the admin
 * and one operator) are created by `ace users:create` so their password
 * hash is the app's own; the other operators reuse the admin's hash.
 */
async function seed(url: string, ace: (args: string[]) => Promise<void>): Promise<Seeded> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`SET work_mem = '256MB'`)
    await client.query(`SET maintenance_work_mem = '1GB'`)
    await client.query('SET synchronous_commit = off')
    await client.query('SELECT setseed(0.42)')

    await timed('admin (ace users:create)', () =>
      ace(['users:create', '--email', ADMIN_EMAIL, '--role', 'admin', '--password', PASSWORD])
    )

    const teams = await client.query<{ id: number }>(
      `INSERT INTO teams (name, description)
       SELECT name, name || ' team' FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)
       ORDER BY n RETURNING id`,
      [TEAMS.map((t) => t.name)]
    )
    const teamIds = teams.rows.map((r) => r.id)

    await timed('operator (ace users:create)', () =>
      ace([
        'users:create',
        '--email',
        OPERATOR_EMAIL,
        '--role',
        'operator',
        '--team',
        TEAMS[0].name,
        '--name',
        'Bench Operator',
        '--password',
        PASSWORD,
      ])
    )

    // Operators: the first one was created above; the rest share the admin's hash.
    await timed('operators and memberships', async () => {
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO users (email, full_name, password, role)
         SELECT 'operator' || g || '@bench.local', 'Operator ' || g,
                (SELECT password FROM users WHERE lower(email) = $1), 'operator'
         FROM generate_series(2, $2::int) g ORDER BY g RETURNING id`,
        [ADMIN_EMAIL, OPERATORS]
      )
      const first = await client.query<{ id: number }>(
        'SELECT id FROM users WHERE lower(email) = $1',
        [OPERATOR_EMAIL]
      )
      const operatorIds = [first.rows[0].id, ...inserted.rows.map((r) => r.id)]
      // Operators per team follow the team's share; every fifth also helps the next team.
      const bounds: number[] = []
      let acc = 0
      for (const team of TEAMS) bounds.push((acc += team.share * OPERATORS))
      const users: number[] = []
      const memberTeams: number[] = []
      operatorIds.forEach((userId, i) => {
        const t = bounds.findIndex((b) => i < b)
        users.push(userId)
        memberTeams.push(teamIds[t])
        if (i > 0 && i % 5 === 0) {
          users.push(userId)
          memberTeams.push(teamIds[(t + 1) % teamIds.length])
        }
      })
      await client.query(
        `INSERT INTO team_memberships (user_id, team_id)
         SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT DO NOTHING`,
        [users, memberTeams]
      )
      await client.query(
        `INSERT INTO tags (team_id, name)
         SELECT t, tag FROM unnest($1::int[]) t, unnest($2::text[]) tag`,
        [teamIds, TAGS]
      )
    })

    // Secondary indexes are built once after the bulk load: much faster than maintaining them row by row.
    const bulkTables = ['contacts', 'contact_identities', 'conversations', 'messages']
    const indexes = await client.query<{ name: string; def: string }>(
      `SELECT format('%I.%I', i.schemaname, i.indexname) AS name, i.indexdef AS def
       FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
         AND NOT EXISTS (
           SELECT 1 FROM pg_constraint c
           WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass
         )`,
      [bulkTables]
    )
    for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`)

    // The search triggers work row by row (a message's trigger updates its conversation:
    // 1M updates); they are off for the bulk load and the documents are built set-based below.
    for (const [table, trigger] of SEARCH_TRIGGERS) {
      await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`)
    }

    const cumulativeShares: number[] = []
    let share = 0
    for (const team of TEAMS) cumulativeShares.push((share += team.share))

    await timed(`${CONFIG.contacts} contacts + identities`, async () => {
      await client.query(
        `WITH draw AS MATERIALIZED (
           SELECT g,
                  ($1::text[])[1 + floor(random() * cardinality($1::text[]))::int] AS first_name,
                  ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int] AS last_name,
                  random() AS r_team, random() AS r_misc,
                  now() - interval '200 days' - random() * interval '500 days' AS created_at
           FROM generate_series(1, $3::int) g
         )
         INSERT INTO contacts (team_id, name, email, phone, locale, attributes, created_at, updated_at)
         SELECT ($4::int[])[(SELECT count(*) FROM unnest($5::float8[]) s WHERE s < r_team)::int + 1],
                CASE WHEN r_misc < 0.03 THEN NULL
                     WHEN r_misc < 0.10 THEN first_name
                     ELSE first_name || ' ' || last_name END,
                CASE WHEN r_misc < 0.6
                     THEN lower(first_name) || '.' || lower(last_name) || g || '@example.com' END,
                CASE WHEN r_misc > 0.5 THEN '+1555' || lpad(g::text, 7, '0') END,
                (ARRAY['en', 'de', 'fr', 'es', 'pt', 'ja', NULL])[1 + (g % 7)],
                CASE WHEN r_misc < 0.2 THEN jsonb_build_object('plan', 'premium') ELSE '{}' END,
                created_at, created_at
         FROM draw ORDER BY created_at`,
        [FIRST_NAMES, LAST_NAMES, CONFIG.contacts, teamIds, cumulativeShares.slice(0, -1)]
      )
      await client.query(
        `INSERT INTO contact_identities (team_id, contact_id, platform, external_id, username, created_at)
         SELECT team_id, id, (ARRAY['telegram', 'whatsapp', 'discord', 'slack', 'api'])[1 + id % 5],
                (1000000 + id)::text, CASE WHEN id % 3 = 0 THEN 'user' || id END, created_at
         FROM contacts`
      )
    })

    await timed(`${CONFIG.conversations} conversations`, () =>
      client.query(
        `WITH ops AS (
           SELECT m.team_id, array_agg(m.user_id ORDER BY m.user_id) AS ids
           FROM team_memberships m JOIN users u ON u.id = m.user_id AND u.role = 'operator'
           GROUP BY m.team_id
         ),
         span AS (SELECT min(id) AS lo, count(*) AS n FROM contacts),
         draw AS MATERIALIZED (
           SELECT span.lo + floor(random() * span.n)::int AS contact_id,
                  random() AS r_status, random() AS r_owner, random() AS r_priority,
                  random() AS r_assignee, random() AS r_age, random() AS r_gap,
                  1 + least(floor(-ln(1 - random()) * 9.5)::int, 79) AS mc,
                  floor(random() * 4)::int AS n_tags,
                  1 + floor(random() * cardinality($2::text[]))::int AS subject_ix
           FROM generate_series(1, $1::int), span
         ),
         shaped AS MATERIALIZED (
           SELECT d.*, c.team_id,
                  CASE WHEN r_status < 0.15 THEN 'open' WHEN r_status < 0.25 THEN 'pending'
                       WHEN r_status < 0.30 THEN 'snoozed' ELSE 'resolved' END AS status
           FROM draw d JOIN contacts c ON c.id = d.contact_id
         ),
         owned AS MATERIALIZED (
           SELECT s.*,
                  CASE WHEN status = 'resolved' THEN (CASE WHEN r_owner < 0.62 THEN 'human' ELSE 'bot' END)
                       WHEN status = 'snoozed' THEN 'human'
                       WHEN r_owner < 0.35 THEN 'queued'
                       WHEN r_owner < 0.75 THEN 'human'
                       ELSE 'bot' END AS owner,
                  now() - interval '180 days' *
                    CASE WHEN status = 'resolved' THEN r_age ELSE r_age * r_age * r_age END AS last_at
           FROM shaped s
         ),
         timed AS MATERIALIZED (
           SELECT o.*, o.last_at - (mc - 1) * (2 + r_gap * 240) * interval '1 minute' AS created_at,
                  CASE WHEN owner = 'human'
                       THEN ops.ids[1 + floor(cardinality(ops.ids) * r_assignee * r_assignee)::int]
                  END AS assignee_id
           FROM owned o JOIN ops ON ops.team_id = o.team_id
         )
         INSERT INTO conversations (
           team_id, contact_id, subject, status, owner, assignee_id, priority, tags,
           handoff_reason, snoozed_until, resolved_at, last_message_at,
           last_customer_message_at, last_operator_message_at, message_count, created_at, updated_at)
         SELECT team_id, contact_id, ($2::text[])[subject_ix],
                status::conversation_status, owner::conversation_owner, assignee_id,
                (CASE WHEN r_priority < 0.2 THEN 'low' WHEN r_priority < 0.8 THEN 'normal'
                      WHEN r_priority < 0.95 THEN 'high' ELSE 'urgent' END)::conversation_priority,
                ARRAY(SELECT DISTINCT ($3::text[])[1 + floor(20 * random() ^ 2)::int]
                      FROM generate_series(1, t.n_tags)),
                CASE WHEN owner <> 'bot' THEN 'Customer asked for a person' END,
                CASE WHEN status = 'snoozed' THEN now() + (1 + r_gap * 72) * interval '1 hour' END,
                CASE WHEN status = 'resolved' THEN last_at + (1 + r_gap * 60) * interval '1 minute' END,
                last_at,
                created_at + (last_at - created_at) *
                  ((mc - 1 - (mc + 1) % 2)::float8 / greatest(mc - 1, 1)),
                CASE WHEN owner = 'human' AND assignee_id IS NOT NULL AND mc >= 4
                     THEN last_at - (mc % 2) * (2 + r_gap * 240) * interval '1 minute' END,
                mc, created_at, coalesce(
                  CASE WHEN status = 'resolved' THEN last_at + (1 + r_gap * 60) * interval '1 minute' END,
                  last_at)
         FROM timed t ORDER BY created_at`,
        [CONFIG.conversations, SUBJECTS, TAGS]
      )
    )

    const pool = fragments(5000)
    await client.query('CREATE TEMP TABLE bench_fragments (id int PRIMARY KEY, text text NOT NULL)')
    await client.query(
      'INSERT INTO bench_fragments SELECT n, f FROM unnest($1::text[]) WITH ORDINALITY AS t(f, n)',
      [pool]
    )
    await client.query('ANALYZE bench_fragments')

    // Message n of a conversation: odd ones from the contact, even ones from the bot or the
    // assignee (now and then an internal note); evenly spaced from created_at to last_message_at.
    const messages = await timed('messages', () =>
      client.query(
        `WITH plan AS MATERIALIZED (
           SELECT c.id AS conversation_id, c.assignee_id, s.n,
                  c.created_at + (c.last_message_at - c.created_at) *
                    ((s.n - 1)::float8 / greatest(c.message_count - 1, 1)) AS at,
                  CASE WHEN s.n % 2 = 1 THEN 'contact'
                       WHEN c.owner = 'human' AND c.assignee_id IS NOT NULL AND s.n >= 4
                         THEN CASE WHEN random() < 0.1 THEN 'note' ELSE 'operator' END
                       ELSE 'bot' END AS who,
                  1 + floor(random() * $1::int)::int AS f1,
                  1 + floor(random() * $1::int)::int AS f2,
                  random() AS r_common, random() AS r_rare, random() AS r_pos
           FROM conversations c CROSS JOIN LATERAL generate_series(1, c.message_count) AS s(n)
         )
         INSERT INTO messages (
           conversation_id, direction, author_kind, author_user_id, kind, body,
           delivery_status, created_at, updated_at)
         SELECT p.conversation_id,
                (CASE who WHEN 'contact' THEN 'inbound' WHEN 'note' THEN 'internal'
                          ELSE 'outbound' END)::message_direction,
                (CASE who WHEN 'contact' THEN 'contact' WHEN 'bot' THEN 'bot'
                          ELSE 'operator' END)::message_author_kind,
                CASE WHEN who IN ('operator', 'note') THEN p.assignee_id END,
                CASE WHEN who = 'note' THEN 'note' ELSE 'text' END,
                CASE WHEN r_common >= $2::float8 THEN a.text || ' ' || b.text
                     WHEN r_pos < 0.33 THEN initcap($3::text) || ' ' || lower(a.text) || ' ' || b.text
                     WHEN r_pos < 0.66 THEN a.text || ' ' || $3::text || ' ' || b.text
                     ELSE a.text || ' ' || b.text || ' ' || $3::text END
                  || CASE WHEN r_rare < $4::float8 THEN ' ' || $5::text ELSE '' END,
                (CASE who WHEN 'contact' THEN 'received' WHEN 'note' THEN NULL
                          ELSE 'sent' END)::message_delivery_status,
                p.at, p.at
         FROM plan p
         JOIN bench_fragments a ON a.id = p.f1
         JOIN bench_fragments b ON b.id = p.f2
         ORDER BY p.at, p.conversation_id, p.n`,
        [pool.length, 0.3, COMMON_WORD, 0.0005, RARE_WORD]
      )
    )
    log(`  ${messages.rowCount} messages`)

    // What conversation_search_document(id) (the messaging migration) computes, for every
    // conversation at once: the contact's name words and the words of all its messages.
    await timed('search documents', () =>
      client.query(
        `UPDATE conversations c SET search_vector = d.document
         FROM (
           SELECT c2.id,
                  strip(to_tsvector('simple', coalesce(ct.name, '')))
                    || coalesce(m.words, ''::tsvector) AS document
           FROM conversations c2
           JOIN contacts ct ON ct.id = c2.contact_id
           LEFT JOIN (
             SELECT conversation_id, strip(to_tsvector('simple', string_agg(body, ' '))) AS words
             FROM messages WHERE body IS NOT NULL
             GROUP BY conversation_id
           ) m ON m.conversation_id = c2.id
         ) d
         WHERE d.id = c.id`
      )
    )
    // The update left a dead copy of every row behind: compact the table, as a
    // conversation table that grew row by row would be.
    await timed('VACUUM FULL conversations', () => client.query('VACUUM FULL conversations'))
    for (const [table, trigger] of SEARCH_TRIGGERS) {
      await client.query(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`)
    }

    await timed(`${indexes.rowCount} secondary indexes`, async () => {
      for (const index of indexes.rows) await client.query(index.def)
    })
    // VACUUM as well as ANALYZE: sets hint bits and the visibility map now, so that
    // autovacuum does not kick in during the measurements.
    await timed('VACUUM ANALYZE', () => client.query('VACUUM ANALYZE'))
    await timed('search check', () => verifySearch(client))

    const busiestTeam = await client.query<{ team_id: number }>(
      'SELECT team_id FROM conversations GROUP BY 1 ORDER BY count(*) DESC LIMIT 1'
    )
    const busiestAssignee = await client.query<{ assignee_id: number; n: string }>(
      `SELECT assignee_id, count(*) AS n FROM conversations WHERE assignee_id IS NOT NULL
       GROUP BY 1 ORDER BY 2 DESC LIMIT 1`
    )
    const popularTag = await client.query<{ tag: string; n: string }>(
      'SELECT tag, count(*) AS n FROM conversations, unnest(tags) tag GROUP BY 1 ORDER BY 2 DESC LIMIT 1'
    )
    const stats = await client.query(
      `SELECT (SELECT count(*) FROM contacts) AS contacts,
              (SELECT count(*) FROM conversations) AS conversations,
              (SELECT count(*) FROM conversations WHERE assignee_id IS NULL) AS unassigned,
              (SELECT count(*) FROM messages) AS messages,
              pg_size_pretty(pg_database_size(current_database())) AS size`
    )
    log(`  data: ${JSON.stringify(stats.rows[0])}`)
    log(
      `  busiest assignee ${busiestAssignee.rows[0].assignee_id} (${busiestAssignee.rows[0].n}), ` +
        `most used tag "${popularTag.rows[0].tag}" (${popularTag.rows[0].n})`
    )
    return {
      teamIds,
      busiestTeamId: busiestTeam.rows[0].team_id,
      busiestAssigneeId: busiestAssignee.rows[0].assignee_id,
      popularTag: popularTag.rows[0].tag,
    }
  } finally {
    await client.end()
  }
}

/**
 * The server's `q` condition for a query of one word: the plain form or,
 * from three letters on, the word as a prefix (ConversationService.list).
 */
function searchCondition(word: string): { sql: string; params: string[] } {
  const exact = `search_vector @@ plainto_tsquery('simple', $1)`
  if (word.length < 3) return { sql: exact, params: [word] }
  return {
    sql: `(${exact} OR search_vector @@ to_tsquery('simple', $2))`,
    params: [word, `${word}:*`],
  }
}

/**
 * Checks the search documents built by the seed, and that the triggers are
 * back on, before any time is measured; throws on the first disagreement.
 *
 * - A sample of documents equals conversation_search_document(id).
 * - For each query word, the conversations the server's condition finds are
 *   exactly those whose contact name or some message has a word starting
 *   with it (regular expressions on the raw text, no search index involved);
 *   a few of them are logged with the text that matched.
 * - A new message, a new conversation and a renamed contact update the
 *   documents through the triggers (in a transaction rolled back after).
 */
async function verifySearch(client: pg.Client) {
  const sample = await client.query<{ checked: string; different: string }>(
    `SELECT count(*) AS checked,
            count(*) FILTER (WHERE search_vector IS DISTINCT FROM conversation_search_document(id)) AS different
     FROM (SELECT id, search_vector FROM conversations ORDER BY random() LIMIT 500) s`
  )
  const { checked, different } = sample.rows[0]
  if (Number(different)) {
    throw new Error(
      `${different} of ${checked} search documents differ from conversation_search_document`
    )
  }
  log(`    ${checked} sampled documents equal conversation_search_document(id)`)

  for (const word of SEARCH_WORDS) {
    const condition = searchCondition(word)
    const found = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM conversations WHERE ${condition.sql}`,
      condition.params
    )
    const expected = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
       WHERE ct.name ~* ('\\m' || $1)
          OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.body ~* ('\\m' || $1))`,
      [word]
    )
    const n = Number(found.rows[0].n)
    if (n !== Number(expected.rows[0].n) || n === 0) {
      throw new Error(
        `q=${word}: the search documents match ${n} conversations, the text ${expected.rows[0].n}`
      )
    }
    const top = await client.query<{ id: number; name: string | null; excerpt: string | null }>(
      `SELECT c.id, ct.name,
              (SELECT m.body FROM messages m WHERE m.conversation_id = c.id AND m.body ~* ('\\m' || $1)
               ORDER BY m.id LIMIT 1) AS excerpt
       FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
       WHERE ${condition.sql.replaceAll('search_vector', 'c.search_vector')}
       ORDER BY c.last_message_at DESC, c.id DESC LIMIT 3`,
      condition.params
    )
    log(`    q=${word}: ${n} conversations, as the text says; newest:`)
    for (const row of top.rows) {
      const pattern = new RegExp(`\\b${word}`, 'i')
      const where =
        row.name && pattern.test(row.name) ? `contact "${row.name}"` : `"${row.excerpt}"`
      if (!pattern.test(row.name ?? '') && !pattern.test(row.excerpt ?? '')) {
        throw new Error(`q=${word}: conversation ${row.id} has no word starting with it`)
      }
      log(`      #${row.id} ${where}`)
    }
  }

  await client.query('BEGIN')
  try {
    const probe = (id: number, word: string) =>
      client
        .query(
          `SELECT search_vector @@ to_tsquery('simple', $2) AS hit FROM conversations WHERE id = $1`,
          [id, word]
        )
        .then((r) => r.rows[0]?.hit === true)
    const conversation = await client.query<{ id: number; contact_id: number }>(
      'SELECT id, contact_id FROM conversations ORDER BY id LIMIT 1'
    )
    const { id, contact_id: contactId } = conversation.rows[0]
    await client.query(
      `INSERT INTO messages (conversation_id, direction, author_kind, body)
       VALUES ($1, 'inbound', 'contact', 'Benchmark triggercheckmessage')`,
      [id]
    )
    const contact = await client.query<{ id: number }>(
      `INSERT INTO contacts (team_id, name) SELECT team_id, 'Triggercheckname' FROM conversations
       WHERE id = $1 RETURNING id`,
      [id]
    )
    const created = await client.query<{ id: number }>(
      `INSERT INTO conversations (team_id, contact_id) SELECT team_id, $2 FROM conversations
       WHERE id = $1 RETURNING id`,
      [id, contact.rows[0].id]
    )
    await client.query(`UPDATE contacts SET name = 'Triggercheckrenamed' WHERE id = $1`, [
      contactId,
    ])
    const results = {
      messages_search_append: await probe(id, 'triggercheckmessage'),
      conversations_search_init: await probe(created.rows[0].id, 'triggercheckname'),
      contacts_search_rename: await probe(id, 'triggercheckrenamed'),
    }
    const failed = Object.entries(results).filter(([, hit]) => !hit)
    if (failed.length) {
      throw new Error(`search triggers not working: ${failed.map(([name]) => name).join(', ')}`)
    }
    log(`    triggers keep the documents: ${Object.keys(results).join(', ')}`)
  } finally {
    await client.query('ROLLBACK')
  }
}

/* ------------------------------------------------------------------------ */
/* Load                                                                     */

interface Shape {
  name: string
  query: string
  as: 'admin' | 'operator'
}

interface Result {
  shape: string
  p50_ms: number | null
  p95_ms: number | null
  p99_ms: number | null
  requests_per_s: number
  requests: number
  errors: number
  total: number | null
  total_capped: boolean | null
  cpu_ms_per_request: ReturnType<typeof CpuMeter.perRequest> | null
}

/** The measured query shapes; some pick their values from the seeded data. */
function shapesFor(seeded: Seeded): Shape[] {
  return [
    { name: 'default', query: '', as: 'admin' },
    { name: 'status', query: 'status=open', as: 'admin' },
    {
      name: 'team_status',
      query: `teamId=${seeded.busiestTeamId}&status=open,pending`,
      as: 'admin',
    },
    { name: 'assignee', query: `assigneeId=${seeded.busiestAssigneeId}`, as: 'admin' },
    { name: 'unassigned', query: 'assigneeId=none&status=open', as: 'admin' },
    { name: 'tag', query: `tag=${encodeURIComponent(seeded.popularTag)}`, as: 'admin' },
    { name: 'owner', query: 'owner=queued', as: 'admin' },
    { name: 'sort_created_asc', query: 'sort=createdAt', as: 'admin' },
    { name: 'page_50', query: 'page=50&perPage=50', as: 'admin' },
    { name: 'q_common', query: `q=${COMMON_WORD}`, as: 'admin' },
    { name: 'q_rare', query: `q=${RARE_WORD}`, as: 'admin' },
    { name: 'q_contact', query: `q=${CONTACT_FRAGMENT}`, as: 'admin' },
    { name: 'q_prefix', query: `q=${PREFIX_FRAGMENT}`, as: 'admin' },
    { name: 'q_common_open', query: `status=open&q=${COMMON_WORD}`, as: 'admin' },
    { name: 'operator_scoped', query: '', as: 'operator' },
    { name: 'operator_q', query: `q=${COMMON_WORD}`, as: 'operator' },
  ]
}

/** CONCURRENCY clients, each sending its next request when the previous one is answered. */
async function drive(port: number, path: string, clientTokens: string[], durationMs: number) {
  const latencies: number[] = []
  let errors = 0
  let timeouts = 0
  const started = process.hrtime.bigint()
  const deadline = started + BigInt(durationMs) * 1_000_000n
  await Promise.all(
    clientTokens.map(async (token) => {
      while (process.hrtime.bigint() < deadline) {
        const t0 = process.hrtime.bigint()
        let status = 0
        try {
          const reply = await send(port, 'GET', path, { token })
          status = reply.status
        } catch (error) {
          if (error instanceof TimeoutError) timeouts++
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
        if (status < 200 || status >= 300) errors++
      }
    })
  )
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9
  return { latencies, errors, timeouts, elapsedS }
}

async function measure(
  port: number,
  databaseUrl: string,
  shape: Shape,
  clientTokens: Record<Shape['as'], string[]>,
  cpu: CpuMeter,
  meterBackends: boolean
): Promise<Result> {
  const path = `/api/v1/conversations${shape.query ? `?${shape.query}` : ''}`
  const tokensOfShape = clientTokens[shape.as]

  // One request alone first: it gives meta.total, and a shape whose single request
  // does not complete within the timeout is reported as failed without the load phases.
  let total: number | null = null
  let totalCapped: boolean | null = null
  try {
    const probe = await send(port, 'GET', path, { token: tokensOfShape[0], keepBody: true })
    if (probe.status === 200) {
      const meta = JSON.parse(probe.body).meta
      total = meta?.total ?? null
      totalCapped = meta?.totalCapped ?? null
    } else log(`  ${shape.name}: ${probe.status} ${probe.body.slice(0, 300)}`)
  } catch (error) {
    log(`  ${shape.name}: ${(error as Error).message}; load phases skipped`)
    await cancelRunawayQueries(databaseUrl)
    return {
      shape: shape.name,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
      requests_per_s: 0,
      requests: 1,
      errors: 1,
      total: null,
      total_capped: null,
      cpu_ms_per_request: null,
    }
  }

  const warmup = await drive(port, path, tokensOfShape, CONFIG.warmupMs)
  if (warmup.timeouts) await cancelRunawayQueries(databaseUrl)
  const backendsBefore = meterBackends ? await backendCpu(databaseUrl) : null
  const cpuBefore = await cpu.sample()
  const run = await drive(port, path, tokensOfShape, CONFIG.measureMs)
  const cpuAfter = await cpu.sample()
  const backendsAfter = meterBackends ? await backendCpu(databaseUrl) : null
  const cpuPerRequest = CpuMeter.perRequest(cpuBefore, cpuAfter, run.latencies.length)
  const backendsUsed = backendCpuUsed(backendsBefore, backendsAfter)
  if (cpuPerRequest.postgres === null && backendsUsed !== null && run.latencies.length) {
    cpuPerRequest.postgres = round(backendsUsed / run.latencies.length)
  }
  if (run.timeouts) await cancelRunawayQueries(databaseUrl)
  const sorted = run.latencies.sort((a, b) => a - b)
  return {
    shape: shape.name,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    requests_per_s: round(sorted.length / run.elapsedS, 1),
    requests: sorted.length,
    errors: run.errors,
    total,
    total_capped: totalCapped,
    cpu_ms_per_request: cpuPerRequest,
  }
}

/* ------------------------------------------------------------------------ */

async function main() {
  const runStarted = performance.now()
  if (ONLY) {
    const known = shapesFor({ teamIds: [], busiestTeamId: 0, busiestAssigneeId: 0, popularTag: '' })
    const unknown = ONLY.filter((name) => !known.some((shape) => shape.name === name))
    if (unknown.length) {
      throw new Error(
        `--only: no shape ${unknown.join(', ')}; shapes: ${known.map((shape) => shape.name).join(', ')}`
      )
    }
  }
  log(
    `${QUICK ? 'quick' : 'full'} run: ${CONFIG.conversations} conversations, ` +
      `~${CONFIG.conversations * MESSAGES_PER_CONVERSATION} messages, ${CONCURRENCY} clients`
  )

  const { url: databaseUrl, dataDir } = await scratchDatabase()

  const appEnv = appEnvFor(databaseUrl)
  const ace = (args: string[]) => runNode(['ace.js', ...args], appEnv)

  await timed('migrations', () => ace(['migration:run', '--force']))

  log('seeding')
  const seedStarted = performance.now()
  const seeded = await seed(databaseUrl, ace)
  log(`seeding took ${seconds(performance.now() - seedStarted)}`)

  const { server, port } = await startServer({ ...appEnv, DB_POOL_MAX: '20' }, send)
  const postmaster = dataDir ? await postmasterPid(dataDir) : null
  const cpu = new CpuMeter({ server: server.pid }, postmaster)

  const clientTokens = {
    admin: await tokens(port, ADMIN_EMAIL, CONCURRENCY),
    operator: await tokens(port, OPERATOR_EMAIL, CONCURRENCY),
  }

  // The first requests meet a cold server (unoptimised code, connections still to open):
  // a round of the default list first, so that the first shape is not the one to pay.
  await timed('server warm-up', () =>
    drive(port, '/api/v1/conversations', clientTokens.admin, QUICK ? 2_000 : 5_000)
  )

  const shapes = shapesFor(seeded).filter((shape) => !ONLY || ONLY.includes(shape.name))

  const slow: string[] = []
  for (const shape of shapes) {
    const result = await measure(port, databaseUrl, shape, clientTokens, cpu, postmaster === null)
    process.stdout.write(JSON.stringify(result) + '\n')
    log(
      `${shape.name.padEnd(17)} p50 ${result.p50_ms} ms  p95 ${result.p95_ms} ms  ` +
        `p99 ${result.p99_ms} ms  ${result.requests_per_s} req/s  errors ${result.errors}  ` +
        `total ${result.total}${result.total_capped ? '+' : ''}  ` +
        `cpu/request ${formatCpu(result.cpu_ms_per_request)}`
    )
    if (result.p95_ms === null || result.p95_ms > 50) slow.push(shape.name)
  }
  log(
    slow.length
      ? `p95 above the 50 ms goal: ${slow.join(', ')}`
      : 'every shape within the 50 ms p95 goal'
  )
  log(`total run time ${seconds(performance.now() - runStarted)}`)

  if (KEEP) {
    if (!dataDir) {
      log('--keep: BENCH_DATABASE_URL keeps its data anyway')
      return
    }
    await stopChild(server)
    keeping = true
    log(`--keep: server stopped; the database stays up until Ctrl-C: ${databaseUrl}`)
    await new Promise(() => setInterval(() => {}, 60_000))
  }
}

await runBenchmark(main, agent)
