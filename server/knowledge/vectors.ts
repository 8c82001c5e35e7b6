/*
| The optional dense half of knowledge retrieval: chunk embeddings in
| pgvector, an HNSW index for cosine distance, and reciprocal rank fusion
| to merge dense with lexical results. It exists only where an embeddings
| model is configured and the database has the `vector` extension; the
| lexical path never depends on it.
|
| The table is created at run time rather than by a migration, because its
| column is sized by the configured model and plain PostgreSQL has no
| `vector` type to declare it with.
|
| All SQL goes through the client passed in: a Lucid query client (the
| app) or a `pg` pool or client (tests against PGlite).
*/
import type pg from 'pg'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { embedderFromEnv, type Embedder } from '#knowledge/embeddings'

export type VectorClient = QueryClientContract | pg.Pool | pg.ClientBase

export interface DenseHit {
  chunkId: number
  /** Cosine similarity, 1 - cosine distance. */
  score: number
}

export interface DenseSearchOptions {
  vector: number[]
  collectionIds: number[]
  limit: number
  /** Only vectors from this model; another model's vectors of the same size are meaningless. */
  model?: string
}

export interface DenseIndex {
  embedder: Embedder
  /** The chunks nearest to `query` within the collections, best first. */
  search(collectionIds: number[], query: string, limit: number): Promise<DenseHit[]>
  /** Embeds (again) the given chunks; returns how many were stored. */
  embed(chunkIds: number[]): Promise<number>
}

const TABLE = 'knowledge_embeddings'
const HNSW_INDEX = 'knowledge_embeddings_hnsw'
const COLLECTION_INDEX = 'knowledge_embeddings_collection'
// pgvector's HNSW index takes `vector` columns of at most 2000 dimensions.
const HNSW_MAX_DIMENSIONS = 2000
const EMBED_BATCH = 64

function isLucid(client: VectorClient): client is QueryClientContract {
  return 'rawQuery' in client
}

function isPool(client: VectorClient): client is pg.Pool {
  return 'totalCount' in client
}

/** Runs SQL with `?` placeholders (the knex style) on either kind of client. */
async function query<Row = Record<string, unknown>>(
  client: VectorClient,
  sql: string,
  bindings: unknown[] = []
): Promise<Row[]> {
  if (isLucid(client)) {
    const result = await client.rawQuery(sql, bindings as any[])
    return result.rows
  }
  let position = 0
  const text = sql.replace(/\?/g, () => `$${++position}`)
  const result = await client.query(text, bindings)
  return result.rows as Row[]
}

/** The pgvector text literal, `[0.1,0.2,0.3]`. */
export function toVectorLiteral(vector: number[]) {
  if (!vector.length || !vector.every(Number.isFinite)) {
    throw new Error('A vector must be a non-empty list of finite numbers')
  }
  return `[${vector.join(',')}]`
}

/** A PostgreSQL array literal of integers, bound as one text parameter whatever the driver. */
function integerArray(values: number[]) {
  if (!values.every(Number.isSafeInteger)) throw new Error('Expected integer ids')
  return `{${values.join(',')}}`
}

/**
 * Whether the database has pgvector, creating the extension when it is
 * available. A server without it answers false; the attempt runs in a
 * PL/pgSQL block whose exception handler is a subtransaction, so a refusal
 * (no privilege) never aborts the caller's transaction.
 */
export async function vectorSupport(client: VectorClient): Promise<boolean> {
  const installed = async () => {
    const rows = await query(client, `SELECT 1 FROM pg_extension WHERE extname = 'vector'`)
    return rows.length > 0
  }
  if (await installed()) return true
  const available = await query(
    client,
    `SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`
  )
  if (!available.length) return false
  await query(
    client,
    `DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS vector; EXCEPTION WHEN OTHERS THEN NULL; END $$`
  )
  return installed()
}

/**
 * Creates the embeddings table and its indexes when missing. A table built
 * for another vector size is refused: its vectors cannot be compared with
 * the model's, and replacing them is an explicit decision.
 */
export async function ensureVectorTable(client: VectorClient, dimensions: number) {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(`Invalid embedding dimensions: ${dimensions}`)
  }
  if (dimensions > HNSW_MAX_DIMENSIONS) {
    throw new Error(
      `pgvector's HNSW index takes at most ${HNSW_MAX_DIMENSIONS} dimensions, the embeddings model gives ${dimensions}: set OPENAI_EMBEDDINGS_DIMENSIONS to ${HNSW_MAX_DIMENSIONS} or less (text-embedding-3 models shorten their vectors)`
    )
  }

  const [state] = await query<{
    has_table: boolean
    has_hnsw: boolean
    has_collection_index: boolean
    dimensions: number | null
  }>(
    client,
    `SELECT
      to_regclass('${TABLE}') IS NOT NULL AS has_table,
      to_regclass('${HNSW_INDEX}') IS NOT NULL AS has_hnsw,
      to_regclass('${COLLECTION_INDEX}') IS NOT NULL AS has_collection_index,
      (SELECT atttypmod FROM pg_attribute
        WHERE attrelid = to_regclass('${TABLE}') AND attname = 'embedding' AND NOT attisdropped
      ) AS dimensions`
  )
  if (state.has_table && state.dimensions !== dimensions) {
    throw new Error(
      `${TABLE} holds vectors of ${state.dimensions} dimensions but the embeddings model gives ${dimensions}: ` +
        `drop the table (DROP TABLE ${TABLE}) to embed the knowledge base again with the new model`
    )
  }
  if (state.has_table && state.has_hnsw && state.has_collection_index) return

  // One statement, one transaction: the advisory lock keeps two processes from racing on the DDL.
  await query(
    client,
    `DO $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('${TABLE}'));
      CREATE TABLE IF NOT EXISTS ${TABLE} (
        chunk_id bigint PRIMARY KEY REFERENCES knowledge_chunks(id) ON DELETE CASCADE,
        collection_id integer NOT NULL,
        model text NOT NULL,
        embedding vector(${dimensions}) NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${HNSW_INDEX} ON ${TABLE} USING hnsw (embedding vector_cosine_ops);
      -- Lets the planner search a small collection exactly instead of through the graph.
      CREATE INDEX IF NOT EXISTS ${COLLECTION_INDEX} ON ${TABLE} (collection_id);
    END $$`
  )
}

/** What is embedded for a chunk: its document's title and heading give the passage its context. */
function passage(row: { title: string; heading: string | null; text: string }) {
  const context = [row.title, row.heading && row.heading !== row.title ? row.heading : null]
  return `${context.filter(Boolean).join('\n')}\n\n${row.text}`
}

/**
 * Embeds the chunks and stores their vectors, replacing older ones. Ids of
 * chunks deleted meanwhile are skipped. Returns how many were stored.
 */
export async function embedChunks(
  client: VectorClient,
  embedder: Embedder,
  chunkIds: number[],
  options: { batchSize?: number } = {}
): Promise<number> {
  const ids = [...new Set(chunkIds)]
  const batchSize = options.batchSize ?? EMBED_BATCH
  let stored = 0
  for (let start = 0; start < ids.length; start += batchSize) {
    const rows = await query<{ id: number; title: string; heading: string | null; text: string }>(
      client,
      `SELECT c.id, d.title, c.heading, c.text
        FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
        WHERE c.id = ANY(?::bigint[])
        ORDER BY c.id`,
      [integerArray(ids.slice(start, start + batchSize))]
    )
    if (!rows.length) continue
    const vectors = await embedder.embed(rows.map(passage))
    const records = rows.map((row, i) => {
      const vector = vectors[i]
      if (vector?.length !== embedder.dimensions) {
        throw new Error(
          `Embeddings model "${embedder.model}" gave ${vector?.length ?? 0} dimensions where ${embedder.dimensions} were expected`
        )
      }
      return { chunk_id: Number(row.id), embedding: toVectorLiteral(vector) }
    })
    // Joining the chunks again drops any deleted while the model was busy.
    const upserted = await query(
      client,
      `INSERT INTO ${TABLE} (chunk_id, collection_id, model, embedding)
        SELECT c.id, c.collection_id, ?, r.embedding::vector
        FROM jsonb_to_recordset(?::jsonb) AS r(chunk_id bigint, embedding text)
        JOIN knowledge_chunks c ON c.id = r.chunk_id
        ON CONFLICT (chunk_id) DO UPDATE
          SET collection_id = excluded.collection_id, model = excluded.model, embedding = excluded.embedding
        RETURNING chunk_id`,
      [embedder.model, JSON.stringify(records)]
    )
    stored += upserted.length
  }
  return stored
}

/** Chunks with no vector from `model` (indexed before embeddings were configured, or under another model). */
export async function unembeddedChunkIds(
  client: VectorClient,
  model: string,
  options: { collectionIds?: number[]; limit?: number } = {}
): Promise<number[]> {
  const rows = await query<{ id: number }>(
    client,
    `SELECT c.id FROM knowledge_chunks c
      LEFT JOIN ${TABLE} e ON e.chunk_id = c.id AND e.model = ?
      WHERE e.chunk_id IS NULL AND (?::int[] IS NULL OR c.collection_id = ANY(?::int[]))
      ORDER BY c.id LIMIT ?`,
    [
      model,
      ...Array(2).fill(options.collectionIds ? integerArray(options.collectionIds) : null),
      options.limit ?? 1000,
    ]
  )
  return rows.map((row) => Number(row.id))
}

/*
| With a collection filter, a plain HNSW scan looks at `hnsw.ef_search`
| (40) candidates and filters them afterwards, so a small collection among
| large ones can come back short or empty. pgvector 0.8 can keep scanning
| until enough rows pass (`hnsw.iterative_scan`); older versions at least
| get a candidate list as long as the limit. The settings are local to a
| transaction, except on a dedicated `pg` client, where they stay for the
| session (they only affect HNSW scans, which only this module runs).
*/
function scanSettings(limit: number, local: boolean) {
  const efSearch = Math.min(Math.max(limit, 40), 1000)
  return `DO $$
    DECLARE version int[] := (
      SELECT (regexp_match(extversion, '^(\\d+)\\.(\\d+)'))::int[] FROM pg_extension WHERE extname = 'vector'
    );
    BEGIN
      IF version >= '{0,8}' THEN PERFORM set_config('hnsw.iterative_scan', 'strict_order', ${local}); END IF;
      IF version >= '{0,5}' THEN PERFORM set_config('hnsw.ef_search', '${efSearch}', ${local}); END IF;
    END $$`
}

async function withScanSettings<T>(
  client: VectorClient,
  limit: number,
  work: (client: VectorClient) => Promise<T>
): Promise<T> {
  if (isLucid(client)) {
    const run = async (trx: QueryClientContract) => {
      await query(trx, scanSettings(limit, true))
      return work(trx)
    }
    return client.isTransaction ? run(client) : client.transaction(run)
  }
  if (isPool(client)) {
    const connection = await client.connect()
    try {
      await connection.query('BEGIN')
      await connection.query(scanSettings(limit, true))
      const result = await work(connection)
      await connection.query('COMMIT')
      return result
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      connection.release()
    }
  }
  await query(client, scanSettings(limit, false))
  return work(client)
}

/** The chunks nearest to `vector` by cosine distance, within the collections, best first. */
export async function denseSearch(
  client: VectorClient,
  options: DenseSearchOptions
): Promise<DenseHit[]> {
  const limit = Math.floor(options.limit)
  if (!options.collectionIds.length || !(limit > 0)) return []
  const vector = toVectorLiteral(options.vector)
  const collections = integerArray(options.collectionIds)

  return withScanSettings(client, limit, async (scoped) => {
    const rows = await query<{ chunk_id: number; distance: number }>(
      scoped,
      `SELECT chunk_id, embedding <=> q.v AS distance
        FROM ${TABLE}, (SELECT ?::vector AS v) AS q
        WHERE collection_id = ANY(?::int[])${options.model ? ' AND model = ?' : ''}
        ORDER BY embedding <=> q.v
        LIMIT ?`,
      [vector, collections, ...(options.model ? [options.model] : []), limit]
    )
    return rows.map((row) => ({ chunkId: Number(row.chunk_id), score: 1 - Number(row.distance) }))
  })
}

/**
 * Reciprocal rank fusion: each list gives an item 1 / (k + rank), rank
 * counted from 1, and the sums decide. Only ranks matter, so lexical
 * scores and cosine similarities need no common scale. An item repeated
 * in one list counts at its best rank; equal sums keep the order in which
 * the items first appear going down the lists rank by rank.
 */
export function reciprocalRankFusion(
  lists: Array<Array<{ chunkId: number }>>,
  k = 60
): Array<{ chunkId: number; score: number }> {
  if (!Number.isFinite(k) || k < 0) throw new Error(`Invalid fusion constant k: ${k}`)
  const fused = new Map<number, { chunkId: number; score: number; order: number }>()
  const seen = lists.map(() => new Set<number>())
  const depth = Math.max(0, ...lists.map((list) => list.length))
  for (let rank = 0; rank < depth; rank++) {
    lists.forEach((list, which) => {
      const item = list[rank]
      if (!item || seen[which].has(item.chunkId)) return
      seen[which].add(item.chunkId)
      const entry = fused.get(item.chunkId) ?? {
        chunkId: item.chunkId,
        score: 0,
        order: fused.size,
      }
      entry.score += 1 / (k + rank + 1)
      fused.set(item.chunkId, entry)
    })
  }
  return [...fused.values()]
    .sort((a, b) => (Math.abs(b.score - a.score) > 1e-12 ? b.score - a.score : a.order - b.order))
    .map(({ chunkId, score }) => ({ chunkId, score }))
}

async function openDenseIndex(client: VectorClient, embedder: Embedder | null) {
  if (!embedder || !(await vectorSupport(client))) return null
  await ensureVectorTable(client, embedder.dimensions)
  return {
    embedder,
    async search(collectionIds, text, limit) {
      if (!collectionIds.length || !text.trim() || limit < 1) return []
      const [vector] = await embedder.embed([text])
      return denseSearch(client, { vector, collectionIds, limit, model: embedder.model })
    },
    embed(chunkIds) {
      return embedChunks(client, embedder, chunkIds)
    },
  } satisfies DenseIndex
}

let defaultIndex: Promise<DenseIndex | null> | undefined
const indexes = new WeakMap<object, Promise<DenseIndex | null>>()

/**
 * The dense index, or null when no embeddings model is configured or the
 * database lacks pgvector. The answer is kept for the life of the process
 * (per client); a failure (database unreachable, a table of another vector
 * size) is not kept, so the next call tries again. An explicit embedder
 * bypasses the cache.
 */
export function denseIndex(
  client?: VectorClient,
  embedder?: Embedder | null
): Promise<DenseIndex | null> {
  if (embedder !== undefined) return openDenseIndex(client ?? db.connection(), embedder)
  const cached = client ? indexes.get(client) : defaultIndex
  if (cached) return cached
  const opening = Promise.resolve()
    .then(() => openDenseIndex(client ?? db.connection(), embedderFromEnv()))
    .catch((error) => {
      if (client) indexes.delete(client)
      else defaultIndex = undefined
      throw error
    })
  if (client) indexes.set(client, opening)
  else defaultIndex = opening
  return opening
}
