import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| Indexes for the conversation list (ConversationService.list), which reads
| the first 1,001 matches in sort order, mostly by walking an index until it
| has them: the capped total and the page both come from that one pass.
|
| - The activity indexes, all conversations' and each team's, carry the
|   filter columns, so a filter without an index of its own (a tag, a
|   priority, an owner within a team) is tested on index entries rather
|   than table rows wherever the visibility map allows.
| - One partial index per waiting status replaces (status, last_message_at).
|   PostgreSQL prices an index by how well its first column follows the
|   table's order, which status hardly does: it walked every conversation
|   for `status=open&q=…` and read the search document of resolved ones
|   too. A conversation has entries in at most one of them.
*/
const FILTER_COLUMNS = 'status, owner, priority, assignee_id, tags'
const WAITING = ['open', 'pending', 'snoozed'] as const

export default class extends BaseSchema {
  async up() {
    this.schema.raw('DROP INDEX conversations_activity')
    this.schema.raw(`
      CREATE INDEX conversations_activity ON conversations (last_message_at DESC, id DESC)
        INCLUDE (team_id, ${FILTER_COLUMNS})
    `)
    this.schema.raw('DROP INDEX conversations_team_activity')
    this.schema.raw(`
      CREATE INDEX conversations_team_activity
        ON conversations (team_id, last_message_at DESC, id DESC) INCLUDE (${FILTER_COLUMNS})
    `)
    for (const status of WAITING) {
      this.schema.raw(`
        CREATE INDEX conversations_${status}_activity
          ON conversations (last_message_at DESC, id DESC) WHERE status = '${status}'
      `)
    }
    this.schema.raw('DROP INDEX conversations_status')
  }

  async down() {
    this.schema.raw(
      'CREATE INDEX conversations_status ON conversations (status, last_message_at DESC, id DESC)'
    )
    for (const status of WAITING) {
      this.schema.raw(`DROP INDEX conversations_${status}_activity`)
    }
    this.schema.raw('DROP INDEX conversations_team_activity')
    this.schema.raw(
      'CREATE INDEX conversations_team_activity ON conversations (team_id, last_message_at DESC, id DESC)'
    )
    this.schema.raw('DROP INDEX conversations_activity')
    this.schema.raw(
      'CREATE INDEX conversations_activity ON conversations (last_message_at DESC, id DESC)'
    )
  }
}
