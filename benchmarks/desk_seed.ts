/*
| The support desk the load benchmarks run against (bench:api, the panel's
| reports): 4 teams, ~40 operators, contacts, conversations over the last
| 180 days and ~10 messages each, built with set-based SQL and checked
| before anything is measured. The admin and one operator of the first team
| log in with PASSWORD.
*/
import pg from 'pg'
import { fragments, log, timed } from './support.js'

/** The desk's size: `quick` for a sanity run, `full` for the numbers that count. */
export interface DeskSize {
  contacts: number
  conversations: number
}

export const DESK_SIZES = {
  quick: { contacts: 6_000, conversations: 10_000 },
  full: { contacts: 60_000, conversations: 100_000 },
} satisfies Record<string, DeskSize>

/** Messages per conversation average ~10, so messages ≈ 10 × conversations. */
export const MESSAGES_PER_CONVERSATION = 10
export const OPERATORS = 40
export const ADMIN_EMAIL = 'admin@bench.local'
export const OPERATOR_EMAIL = 'operator@bench.local'
export const PASSWORD = 'benchpassword123'

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
export const COMMON_WORD = 'order'
/** A word in ~0.05% of messages: a few hundred conversations. */
export const RARE_WORD = 'chargeback'
/**
 * Query words match whole words or word prefixes: this one starts two last
 * names (Anderson, Andersson) and no first name or message word.
 */
export const CONTACT_FRAGMENT = 'ander'
/** Starts message words of several frequencies: charge, charged, chargeback. */
export const PREFIX_FRAGMENT = 'charg'
/** Every query word of the shapes, checked against the seeded data before the load. */
export const SEARCH_WORDS = [COMMON_WORD, RARE_WORD, CONTACT_FRAGMENT, PREFIX_FRAGMENT]

/**
 * The row-by-row triggers a bulk insert would fire: the messaging migration's search
 * triggers and the reports' first times (1090_tune_reports), whose lookups need the
 * indexes the load drops. Both are computed set-based after the load.
 */
const ROW_TRIGGERS = [
  ['conversations', 'conversations_search_init'],
  ['messages', 'messages_search_append'],
  ['messages', 'messages_first_times'],
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

export interface Seeded {
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
export async function seed(
  url: string,
  ace: (args: string[]) => Promise<void>,
  size: DeskSize
): Promise<Seeded> {
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

    // The row triggers work row by row (a message's trigger updates its conversation:
    // 1M updates); they are off for the bulk load and what they keep is built set-based below.
    for (const [table, trigger] of ROW_TRIGGERS) {
      await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`)
    }

    const cumulativeShares: number[] = []
    let share = 0
    for (const team of TEAMS) cumulativeShares.push((share += team.share))

    await timed(`${size.contacts} contacts + identities`, async () => {
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
        [FIRST_NAMES, LAST_NAMES, size.contacts, teamIds, cumulativeShares.slice(0, -1)]
      )
      await client.query(
        `INSERT INTO contact_identities (team_id, contact_id, platform, external_id, username, created_at)
         SELECT team_id, id, (ARRAY['telegram', 'whatsapp', 'discord', 'slack', 'api'])[1 + id % 5],
                (1000000 + id)::text, CASE WHEN id % 3 = 0 THEN 'user' || id END, created_at
         FROM contacts`
      )
    })

    await timed(`${size.conversations} conversations`, () =>
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
        [size.conversations, SUBJECTS, TAGS]
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
    await timed('first message and response times', () =>
      client.query('SELECT conversations_first_times_fill()')
    )
    // The updates left dead copies of the rows behind: compact the table, as a
    // conversation table that grew row by row would be.
    await timed('VACUUM FULL conversations', () => client.query('VACUUM FULL conversations'))
    for (const [table, trigger] of ROW_TRIGGERS) {
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
