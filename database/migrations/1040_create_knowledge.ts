import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The knowledge base: per-team collections of documents, each cut into
| chunks that retrieval ranks. A document keeps its cleaned text, so it can
| be re-indexed without its source. Collections without a team are
| internal (an evaluation run's corpus) and never reach an assistant.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('knowledge_collections', (table) => {
      table.increments('id')
      table.integer('team_id').nullable().references('teams.id').onDelete('CASCADE')
      table.string('name', 255).notNullable()
      table.text('description').nullable()
      table.string('kind', 16).notNullable().defaultTo('team') // team | eval
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['team_id', 'name'])
    })

    this.schema.createTable('knowledge_documents', (table) => {
      table.bigIncrements('id')
      table
        .integer('collection_id')
        .notNullable()
        .references('knowledge_collections.id')
        .onDelete('CASCADE')
      table.integer('team_id').nullable().references('teams.id').onDelete('CASCADE')
      table.text('title').notNullable()
      // What the text was before cleaning: markdown | text | html | pdf.
      table.string('format', 16).notNullable()
      // Where it came from: text (the API body) | file | url.
      table.string('source', 16).notNullable().defaultTo('text')
      table.text('source_url').nullable()
      table.text('filename').nullable()
      // A caller's stable key (a file path, a corpus id): importing again updates.
      table.string('external_id', 512).nullable()
      // Cleaned text, headings as Markdown `#` lines: what the chunker reads.
      table.text('content').notNullable()
      table.string('content_hash', 64).notNullable()
      table.integer('chunk_count').notNullable().defaultTo(0)
      table.integer('created_by_id').nullable().references('users.id').onDelete('SET NULL')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['collection_id', 'id'])
      table.index(['team_id', 'id'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX knowledge_documents_external ON knowledge_documents (collection_id, external_id) WHERE external_id IS NOT NULL'
    )

    this.schema.createTable('knowledge_chunks', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('document_id')
        .notNullable()
        .references('knowledge_documents.id')
        .onDelete('CASCADE')
      table
        .integer('collection_id')
        .notNullable()
        .references('knowledge_collections.id')
        .onDelete('CASCADE')
      table.integer('ordinal').notNullable()
      // The heading path the chunk sits under ("Billing › Refunds"), if any.
      table.text('heading').nullable()
      table.text('text').notNullable()
      table.unique(['document_id', 'ordinal'])
      table.index(['collection_id'])
    })
  }

  async down() {
    // Created at run time when pgvector is there (server/knowledge/vectors.ts).
    this.schema.dropTableIfExists('knowledge_embeddings')
    this.schema.dropTable('knowledge_chunks')
    this.schema.dropTable('knowledge_documents')
    this.schema.dropTable('knowledge_collections')
  }
}
