import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Operators' workspaces at work: which conversations each one receives, the
| posts mirrored into each thread (an outbox of their own, so a crash
| neither loses nor repeats one), and timed closes that are rows.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('operator_workspaces', (table) => {
      // { conversations: 'handoff' | 'all', channelIds?: number[], tags?: string[] }
      table.jsonb('routing').notNullable().defaultTo('{"conversations":"handoff"}')
      table.string('status', 32).notNullable().defaultTo('running')
      table.text('status_detail').nullable()
    })

    this.schema.alterTable('operator_threads', (table) => {
      // Mirroring starts here: the thread shows recent history, not all of it.
      table.bigInteger('from_message_id').notNullable().defaultTo(0)
      // The card as last shown; a different hash means it needs updating.
      table.string('card_hash', 64).nullable()
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw('CREATE INDEX operator_threads_workspace ON operator_threads (workspace_id)')

    this.schema.createTable('operator_posts', (table) => {
      table.bigIncrements('id')
      table.integer('thread_id').notNullable().references('operator_threads.id').onDelete('CASCADE')
      table
        .integer('workspace_id')
        .notNullable()
        .references('operator_workspaces.id')
        .onDelete('CASCADE')
      table
        .integer('conversation_id')
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      // The conversation message this post mirrors; null for a notice to an operator.
      table.bigInteger('message_id').nullable().references('messages.id').onDelete('CASCADE')
      // A notice (a command's answer, an explanation) and whom it is for.
      table.text('body').nullable()
      table.string('recipient', 255).nullable()
      // The platform's id of the post (a Slack ts, a Telegram message id).
      table.string('external_id', 255).nullable()
      table.string('status', 16).notNullable().defaultTo('pending') // pending | sent | failed
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('claimed_at', { useTz: true }).nullable()
      table.text('failure_reason').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX operator_posts_message ON operator_posts (thread_id, message_id) WHERE message_id IS NOT NULL'
    )
    // An operator's own message in a thread maps back to the reply it became.
    this.schema.raw(
      'CREATE INDEX operator_posts_external ON operator_posts (workspace_id, external_id) WHERE external_id IS NOT NULL'
    )
    this.schema.raw(
      "CREATE INDEX operator_posts_pending ON operator_posts (thread_id, id) WHERE status = 'pending'"
    )

    this.schema.alterTable('conversations', (table) => {
      // `/close in 2h`: resolved then, unless the customer writes first.
      table.timestamp('close_at', { useTz: true }).nullable()
      table.text('close_message').nullable()
      table.integer('close_by_id').nullable().references('users.id').onDelete('SET NULL')
    })
  }

  async down() {
    this.schema.alterTable('conversations', (table) => {
      table.dropColumn('close_at')
      table.dropColumn('close_message')
      table.dropColumn('close_by_id')
    })
    this.schema.dropTable('operator_posts')
    this.schema.raw('DROP INDEX IF EXISTS operator_threads_workspace')
    this.schema.alterTable('operator_threads', (table) => {
      table.dropColumn('from_message_id')
      table.dropColumn('card_hash')
      table.dropColumn('updated_at')
    })
    this.schema.alterTable('operator_workspaces', (table) => {
      table.dropColumn('routing')
      table.dropColumn('status')
      table.dropColumn('status_detail')
    })
  }
}
