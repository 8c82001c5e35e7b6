import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The assistant's state: a rolling summary of what it has read of a long
| conversation, a team's own model key (encrypted), and customers' votes
| on its answers. Model calls and retrievals are usage_events rows.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('conversations', (table) => {
      table.text('assistant_summary').nullable()
      // The summary covers the conversation's messages up to this id.
      table.bigInteger('summary_through_id').nullable()
    })
    this.schema.alterTable('teams', (table) => {
      table.text('assistant_key_encrypted').nullable()
    })
    this.schema.createTable('answer_votes', (table) => {
      table.bigIncrements('id')
      table.bigInteger('message_id').notNullable().references('messages.id').onDelete('CASCADE')
      table
        .integer('conversation_id')
        .notNullable()
        .references('conversations.id')
        .onDelete('CASCADE')
      table.integer('team_id').notNullable().references('teams.id').onDelete('CASCADE')
      table.smallint('vote').notNullable() // 1 helpful, -1 not
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      // One vote per answer; voting again changes it.
      table.unique(['message_id'])
      table.index(['team_id', 'created_at'])
    })
    this.schema.raw('CREATE INDEX usage_events_kind_time ON usage_events (kind, occurred_at)')
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS usage_events_kind_time')
    this.schema.dropTable('answer_votes')
    this.schema.alterTable('teams', (table) => table.dropColumn('assistant_key_encrypted'))
    this.schema.alterTable('conversations', (table) => {
      table.dropColumn('assistant_summary')
      table.dropColumn('summary_through_id')
    })
  }
}
