import { BaseSchema } from '@adonisjs/lucid/schema'

/*
| The lexical index behind knowledge search (server/knowledge/search.ts):
| BM25F ranking computed inside PostgreSQL.
|
| - knowledge_postings: one row per (chunk, term), with the term's
|   frequency in each field (document title, heading path, body) and the
|   chunk's body length copied in, so ranking reads nothing but this
|   table's (collection_id, term) index. Terms are lexemes of the `english`
|   text search configuration (stemmed, stopwords dropped); "C" collation
|   keeps the btree comparisons cheap.
| - knowledge_chunks gains the token counts of its fields.
| - knowledge_index_stats: per collection, the chunk count and the summed
|   field lengths (N and the average length).
| - knowledge_terms: per collection and term, the number of chunks holding
|   it (document frequency), so IDF is a lookup rather than a count over
|   every posting of a common word at query time.
|
| Statement-level triggers keep both statistics exact on every insert and
| delete, cascades from a deleted document or collection included, in the
| same transaction. Every trigger first locks the collections' stats rows,
| in collection order, and only then touches term rows: writers of one
| collection queue on its stats row and cannot deadlock on terms.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('knowledge_chunks', (table) => {
      table.integer('title_length').notNullable().defaultTo(0)
      table.integer('heading_length').notNullable().defaultTo(0)
      table.integer('body_length').notNullable().defaultTo(0)
    })

    this.schema.raw(`
      CREATE TABLE knowledge_postings (
        chunk_id bigint NOT NULL REFERENCES knowledge_chunks (id) ON DELETE CASCADE,
        term text COLLATE "C" NOT NULL,
        collection_id integer NOT NULL,
        tf_title smallint NOT NULL DEFAULT 0,
        tf_heading smallint NOT NULL DEFAULT 0,
        tf_body smallint NOT NULL DEFAULT 0,
        body_length integer NOT NULL,
        PRIMARY KEY (chunk_id, term)
      )
    `)
    // Everything the ranking reads, so the lookup is an index-only scan.
    this.schema.raw(`
      CREATE INDEX knowledge_postings_lookup ON knowledge_postings (collection_id, term)
        INCLUDE (chunk_id, tf_title, tf_heading, tf_body, body_length)
    `)

    this.schema.createTable('knowledge_index_stats', (table) => {
      table
        .integer('collection_id')
        .primary()
        .references('knowledge_collections.id')
        .onDelete('CASCADE')
      table.bigInteger('chunk_count').notNullable().defaultTo(0)
      table.bigInteger('title_length').notNullable().defaultTo(0)
      table.bigInteger('heading_length').notNullable().defaultTo(0)
      table.bigInteger('body_length').notNullable().defaultTo(0)
    })

    this.schema.raw(`
      CREATE TABLE knowledge_terms (
        collection_id integer NOT NULL REFERENCES knowledge_collections (id) ON DELETE CASCADE,
        term text COLLATE "C" NOT NULL,
        df integer NOT NULL,
        PRIMARY KEY (collection_id, term)
      )
    `)

    // Creates missing stats rows, then locks them in order: the first lock any index writer takes.
    this.schema.raw(`
      CREATE FUNCTION knowledge_lock_stats(collections integer[]) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO knowledge_index_stats (collection_id)
          SELECT c.id FROM knowledge_collections c WHERE c.id = ANY(collections) ORDER BY c.id
          ON CONFLICT (collection_id) DO NOTHING;
        PERFORM 1 FROM knowledge_index_stats
          WHERE collection_id = ANY(collections) ORDER BY collection_id FOR UPDATE;
      END $$
    `)

    this.schema.raw(`
      CREATE FUNCTION knowledge_chunks_stats() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM knowledge_lock_stats(ARRAY(SELECT DISTINCT collection_id FROM added));
          UPDATE knowledge_index_stats AS s SET
            chunk_count = s.chunk_count + c.chunk_count,
            title_length = s.title_length + c.title_length,
            heading_length = s.heading_length + c.heading_length,
            body_length = s.body_length + c.body_length
          FROM (
            SELECT collection_id, count(*) AS chunk_count, sum(title_length) AS title_length,
              sum(heading_length) AS heading_length, sum(body_length) AS body_length
            FROM added GROUP BY collection_id
          ) AS c
          WHERE s.collection_id = c.collection_id;
        ELSE
          PERFORM knowledge_lock_stats(ARRAY(SELECT DISTINCT collection_id FROM removed));
          UPDATE knowledge_index_stats AS s SET
            chunk_count = s.chunk_count - c.chunk_count,
            title_length = s.title_length - c.title_length,
            heading_length = s.heading_length - c.heading_length,
            body_length = s.body_length - c.body_length
          FROM (
            SELECT collection_id, count(*) AS chunk_count, sum(title_length) AS title_length,
              sum(heading_length) AS heading_length, sum(body_length) AS body_length
            FROM removed GROUP BY collection_id
          ) AS c
          WHERE s.collection_id = c.collection_id;
        END IF;
        RETURN NULL;
      END $$
    `)
    this.schema.raw(`
      CREATE TRIGGER knowledge_chunks_stats_insert AFTER INSERT ON knowledge_chunks
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_stats()
    `)
    this.schema.raw(`
      CREATE TRIGGER knowledge_chunks_stats_delete AFTER DELETE ON knowledge_chunks
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunks_stats()
    `)

    this.schema.raw(`
      CREATE FUNCTION knowledge_postings_terms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM knowledge_lock_stats(ARRAY(SELECT DISTINCT collection_id FROM added));
          INSERT INTO knowledge_terms AS t (collection_id, term, df)
            SELECT collection_id, term, count(*) FROM added
            GROUP BY collection_id, term ORDER BY collection_id, term
          ON CONFLICT (collection_id, term) DO UPDATE SET df = t.df + excluded.df;
        ELSE
          PERFORM knowledge_lock_stats(ARRAY(SELECT DISTINCT collection_id FROM removed));
          UPDATE knowledge_terms AS t SET df = t.df - r.df
          FROM (
            SELECT collection_id, term, count(*) AS df FROM removed GROUP BY collection_id, term
          ) AS r
          WHERE t.collection_id = r.collection_id AND t.term = r.term;
          DELETE FROM knowledge_terms AS t
          USING (SELECT DISTINCT collection_id, term FROM removed) AS r
          WHERE t.collection_id = r.collection_id AND t.term = r.term AND t.df <= 0;
        END IF;
        RETURN NULL;
      END $$
    `)
    this.schema.raw(`
      CREATE TRIGGER knowledge_postings_terms_insert AFTER INSERT ON knowledge_postings
        REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION knowledge_postings_terms()
    `)
    this.schema.raw(`
      CREATE TRIGGER knowledge_postings_terms_delete AFTER DELETE ON knowledge_postings
        REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION knowledge_postings_terms()
    `)
  }

  async down() {
    this.schema.raw('DROP TRIGGER IF EXISTS knowledge_postings_terms_insert ON knowledge_postings')
    this.schema.raw('DROP TRIGGER IF EXISTS knowledge_postings_terms_delete ON knowledge_postings')
    this.schema.raw('DROP TRIGGER IF EXISTS knowledge_chunks_stats_insert ON knowledge_chunks')
    this.schema.raw('DROP TRIGGER IF EXISTS knowledge_chunks_stats_delete ON knowledge_chunks')
    this.schema.raw('DROP FUNCTION IF EXISTS knowledge_postings_terms()')
    this.schema.raw('DROP FUNCTION IF EXISTS knowledge_chunks_stats()')
    this.schema.raw('DROP FUNCTION IF EXISTS knowledge_lock_stats(integer[])')
    this.schema.dropTable('knowledge_terms')
    this.schema.dropTable('knowledge_index_stats')
    this.schema.dropTable('knowledge_postings')
    this.schema.alterTable('knowledge_chunks', (table) => {
      table.dropColumn('title_length')
      table.dropColumn('heading_length')
      table.dropColumn('body_length')
    })
  }
}
