import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| What the message spine adds to the core tables: the outbox's claim and
| idempotency columns, edit history, the per-destination delivery gate that
| honours a platform's retry_after, and a log of every delivery attempt.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('messages', (table) => {
      // A reply caused by an event carries that event's key: a job that runs
      // twice inserts it once.
      table.string('idempotency_key', 255).nullable()
      // Set while a worker is sending; a stale claim means the worker died.
      table.timestamp('claimed_at', { useTz: true }).nullable()
      table.jsonb('edit_history').notNullable().defaultTo('[]')
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX messages_idempotency ON messages (conversation_id, idempotency_key) WHERE idempotency_key IS NOT NULL'
    )
    this.schema.raw(
      "CREATE INDEX messages_pending ON messages (conversation_id, id) WHERE delivery_status = 'pending'"
    )

    this.schema.alterTable('conversations', (table) => {
      // No delivery to this conversation's chat before this moment (a 429).
      table.timestamp('delivery_not_before', { useTz: true }).nullable()
      // Where the assistant's memory of the conversation starts (/reset).
      table.timestamp('memory_reset_at', { useTz: true }).nullable()
    })

    this.schema.createTable('delivery_attempts', (table) => {
      table.bigIncrements('id')
      table.bigInteger('message_id').notNullable().references('messages.id').onDelete('CASCADE')
      table.integer('attempt').notNullable()
      table.string('outcome', 16).notNullable() // sent | retry | failed | withheld
      table.text('detail').nullable()
      table.integer('duration_ms').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['message_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('delivery_attempts')
    this.schema.alterTable('conversations', (table) => {
      table.dropColumn('delivery_not_before')
      table.dropColumn('memory_reset_at')
    })
    this.schema.raw('DROP INDEX IF EXISTS messages_pending')
    this.schema.raw('DROP INDEX IF EXISTS messages_idempotency')
    this.schema.alterTable('messages', (table) => {
      table.dropColumn('idempotency_key')
      table.dropColumn('claimed_at')
      table.dropColumn('edit_history')
    })
  }
}
