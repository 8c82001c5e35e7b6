import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| What the dashboard reports (server/services/reports.ts) read, made
| cheaper to read.
|
| - First response. Each conversation keeps the time of its first customer
|   message and of the first response at or after it (reports.ts gives the
|   definition), so the KPI is a range scan of conversations instead of
|   finding both messages of every conversation of the period. A trigger
|   keeps them as messages are written, whatever writes them; existing
|   conversations are filled in here. A conversation's messages go only
|   with the conversation, so deletes need nothing.
| - Busiest hours: customer messages indexed by their 15-minute UTC bucket,
|   which the report groups by, so the count reads the index in order
|   instead of hashing every message of the period. It replaces
|   messages_customer_time.
| - messages_customer_first found each conversation's first customer
|   message, which is now kept: dropped, one index fewer to write per
|   customer message, which pays for the trigger.
*/
// `row` is a qualifier with its dot ('m.', 'NEW.'), or '' in an index's predicate.
const customer = (row: string) => `${row}direction = 'inbound' AND ${row}author_kind = 'contact'`
const response = (row: string) => `${row}direction = 'outbound'
  AND ${row}author_kind IN ('bot', 'operator')
  AND (${row}idempotency_key IS NULL OR ${row}idempotency_key NOT LIKE 'autoreply:%')`
const bucket = (column: string) =>
  `date_bin('15 minutes', ${column}, TIMESTAMPTZ '2000-01-01 00:00:00+00')`

/** The first response at or after `since` among conversation `conversation`'s messages. */
const firstResponseAfter = (conversation: string, since: string) =>
  `(SELECT min(m.created_at) FROM messages m
    WHERE m.conversation_id = ${conversation} AND ${response('m.')} AND m.created_at >= ${since})`

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('conversations', (table) => {
      table.timestamp('first_customer_message_at', { useTz: true }).nullable()
      table.timestamp('first_response_at', { useTz: true }).nullable()
    })

    /*
    | On insert. Most messages change nothing: a customer message after the
    | first one, a response after the first response. Both branches lock the
    | conversation before deciding, and the response search runs after the
    | lock: of a customer message and a response written at the same time by
    | two transactions, the later sees the earlier.
    */
    this.schema.raw(`
      CREATE FUNCTION messages_first_times() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.direction = 'inbound' THEN
          PERFORM 1 FROM conversations c
          WHERE c.id = NEW.conversation_id
            AND (c.first_customer_message_at IS NULL OR c.first_customer_message_at > NEW.created_at)
          FOR NO KEY UPDATE;
          IF FOUND THEN
            UPDATE conversations
            SET first_customer_message_at = NEW.created_at,
                first_response_at = ${firstResponseAfter('NEW.conversation_id', 'NEW.created_at')}
            WHERE id = NEW.conversation_id;
          END IF;
        ELSE
          -- Matches while no response is known even before the first customer message,
          -- so that it waits for a transaction writing that message.
          UPDATE conversations c
          SET first_response_at = CASE WHEN c.first_customer_message_at <= NEW.created_at
                                       THEN NEW.created_at END
          WHERE c.id = NEW.conversation_id
            AND (c.first_response_at IS NULL OR c.first_response_at > NEW.created_at)
            AND (c.first_customer_message_at IS NULL
                 OR c.first_customer_message_at <= NEW.created_at);
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER messages_first_times AFTER INSERT ON messages FOR EACH ROW
      WHEN ((${customer('NEW.')}) OR (${response('NEW.')}))
      EXECUTE FUNCTION messages_first_times()`)

    // On an update that makes a message count or stop counting (the application makes none):
    // both times again from the conversation's messages.
    this.schema.raw(`
      CREATE FUNCTION conversation_first_times_refresh(conversation integer) RETURNS void
      LANGUAGE sql AS $$
        UPDATE conversations c
        SET first_customer_message_at = f.customer_at, first_response_at = f.response_at
        FROM (SELECT i.at AS customer_at, ${firstResponseAfter('conversation', 'i.at')} AS response_at
              FROM (SELECT min(m.created_at) AS at FROM messages m
                    WHERE m.conversation_id = conversation AND ${customer('m.')}) i) f
        WHERE c.id = conversation
          AND (c.first_customer_message_at, c.first_response_at)
              IS DISTINCT FROM (f.customer_at, f.response_at)
      $$`)
    this.schema.raw(`
      CREATE FUNCTION messages_first_times_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM conversation_first_times_refresh(NEW.conversation_id);
        IF OLD.conversation_id <> NEW.conversation_id THEN
          PERFORM conversation_first_times_refresh(OLD.conversation_id);
        END IF;
        RETURN NULL;
      END $$`)
    this.schema.raw(`
      CREATE TRIGGER messages_first_times_update
      AFTER UPDATE OF conversation_id, direction, author_kind, idempotency_key, created_at
      ON messages FOR EACH ROW
      WHEN ((OLD.conversation_id, OLD.direction, OLD.author_kind, OLD.idempotency_key, OLD.created_at)
              IS DISTINCT FROM
            (NEW.conversation_id, NEW.direction, NEW.author_kind, NEW.idempotency_key, NEW.created_at)
            AND ((${customer('OLD.')}) OR (${response('OLD.')})
                 OR (${customer('NEW.')}) OR (${response('NEW.')})))
      EXECUTE FUNCTION messages_first_times_update()`)

    // Every conversation's times from its messages, set-based (no index needed): fills in
    // the existing conversations here, and after a bulk load with the triggers off. Hash
    // joins whatever the statistics say: a freshly loaded table has none, and a nested loop
    // over a million messages would not end.
    this.schema.raw(`
      CREATE FUNCTION conversations_first_times_fill() RETURNS void LANGUAGE sql
      SET enable_nestloop = off AS $$
        WITH i AS (
          SELECT m.conversation_id, min(m.created_at) AS at FROM messages m
          WHERE ${customer('m.')} GROUP BY 1),
        r AS (
          SELECT m.conversation_id, min(m.created_at) AS at
          FROM messages m JOIN i ON i.conversation_id = m.conversation_id
          WHERE ${response('m.')} AND m.created_at >= i.at GROUP BY 1)
        UPDATE conversations c
        SET first_customer_message_at = f.customer_at, first_response_at = f.response_at
        FROM (SELECT c2.id, i.at AS customer_at, r.at AS response_at
              FROM conversations c2
              LEFT JOIN i ON i.conversation_id = c2.id
              LEFT JOIN r ON r.conversation_id = c2.id) f
        WHERE c.id = f.id
          AND (c.first_customer_message_at, c.first_response_at)
              IS DISTINCT FROM (f.customer_at, f.response_at)
      $$`)
    // Before the index, so that filling in writes none of it.
    this.schema.raw('SELECT conversations_first_times_fill()')
    this.schema.raw(`
      CREATE INDEX conversations_first_response ON conversations (created_at)
        INCLUDE (team_id, first_customer_message_at, first_response_at)
        WHERE first_response_at IS NOT NULL`)

    // created_at is carried for the index-only scan: PostgreSQL computes the bucket from it.
    this.schema.raw(`
      CREATE INDEX messages_customer_bucket ON messages (${bucket('created_at')})
        INCLUDE (created_at, conversation_id) WHERE ${customer('')}`)
    // A partial index's expression gets no statistics; without these the planner takes a
    // month of customer messages for a few hundred. The next ANALYZE fills them (not one
    // here: an empty table analyzed now would be planned as empty until autovacuum's).
    this.schema.raw(
      `CREATE STATISTICS messages_customer_bucket ON (${bucket('created_at')}) FROM messages`
    )
    this.schema.raw('DROP INDEX messages_customer_time')
    this.schema.raw('DROP INDEX messages_customer_first')
  }

  async down() {
    this.schema.raw(
      `CREATE INDEX messages_customer_first ON messages (conversation_id, created_at)
        WHERE ${customer('')}`
    )
    this.schema.raw(
      `CREATE INDEX messages_customer_time ON messages (created_at) INCLUDE (conversation_id)
        WHERE ${customer('')}`
    )
    this.schema.raw('DROP STATISTICS IF EXISTS messages_customer_bucket')
    this.schema.raw('DROP INDEX IF EXISTS messages_customer_bucket')
    this.schema.raw('DROP INDEX IF EXISTS conversations_first_response')
    this.schema.raw('DROP FUNCTION IF EXISTS conversations_first_times_fill()')
    this.schema.raw('DROP TRIGGER IF EXISTS messages_first_times_update ON messages')
    this.schema.raw('DROP FUNCTION IF EXISTS messages_first_times_update()')
    this.schema.raw('DROP FUNCTION IF EXISTS conversation_first_times_refresh(integer)')
    this.schema.raw('DROP TRIGGER IF EXISTS messages_first_times ON messages')
    this.schema.raw('DROP FUNCTION IF EXISTS messages_first_times()')
    this.schema.alterTable('conversations', (table) => {
      table.dropColumn('first_customer_message_at')
      table.dropColumn('first_response_at')
    })
  }
}
