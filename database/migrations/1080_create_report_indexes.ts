import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Indexes for the dashboard reports (server/services/reports.ts). Each
| partial index holds one kind of message the reports count, so a report
| reads only those entries, from the index alone. Their predicates are the
| reports' conditions word for word: PostgreSQL uses a partial index only
| when it can prove the query's condition implies it.
|
| - Customer messages by time (the busiest hours) and by conversation (the
|   first customer message of each).
| - Responses by conversation (an operator's or the assistant's reply, not
|   the automatic acknowledgement), for the first response after it.
| - Hand-off notes by time.
| - Resolved conversations by resolved_at; unresolved ones by team, with the
|   owner (waiting for a person).
| - conversations_created also carries team and channel, for the
|   conversations per day and channel.
*/
const CUSTOMER = `direction = 'inbound' AND author_kind = 'contact'`
const RESPONSE = `direction = 'outbound' AND author_kind IN ('bot', 'operator')
  AND (idempotency_key IS NULL OR idempotency_key NOT LIKE 'autoreply:%')`
const HANDOFF = `direction = 'internal' AND author_kind = 'system' AND kind = 'note'
  AND body LIKE 'Handed to people:%'`

export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      `CREATE INDEX messages_customer_time ON messages (created_at) INCLUDE (conversation_id)
        WHERE ${CUSTOMER}`
    )
    this.schema.raw(
      `CREATE INDEX messages_customer_first ON messages (conversation_id, created_at)
        WHERE ${CUSTOMER}`
    )
    this.schema.raw(
      `CREATE INDEX messages_responses ON messages (conversation_id, created_at) WHERE ${RESPONSE}`
    )
    this.schema.raw(
      `CREATE INDEX messages_handoffs ON messages (created_at) INCLUDE (conversation_id)
        WHERE ${HANDOFF}`
    )
    this.schema.raw(
      `CREATE INDEX conversations_resolved ON conversations (resolved_at)
        INCLUDE (team_id, created_at, last_operator_message_at) WHERE resolved_at IS NOT NULL`
    )
    this.schema.raw(
      `CREATE INDEX conversations_unresolved ON conversations (team_id) INCLUDE (owner)
        WHERE status <> 'resolved'`
    )
    this.schema.raw('DROP INDEX conversations_created')
    this.schema.raw(
      'CREATE INDEX conversations_created ON conversations (created_at, id) INCLUDE (team_id, channel_id)'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX conversations_created')
    this.schema.raw('CREATE INDEX conversations_created ON conversations (created_at, id)')
    for (const index of [
      'conversations_unresolved',
      'conversations_resolved',
      'messages_handoffs',
      'messages_responses',
      'messages_customer_first',
      'messages_customer_time',
    ]) {
      this.schema.raw(`DROP INDEX IF EXISTS ${index}`)
    }
  }
}
