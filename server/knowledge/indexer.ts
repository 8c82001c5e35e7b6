/*
| Keeping the lexical index (migration 1041) in step with the documents.
| Indexing a document replaces all of its chunks and postings in the
| caller's transaction, so search sees the old version or the new one,
| never a mix; the statistics (chunk count, lengths, document frequencies)
| follow through the triggers on knowledge_chunks and knowledge_postings.
|
| Locks are taken in one order: the documents' rows (by id), then their
| collections' statistics rows (by collection id, see migration 1041),
| then term rows. Two transactions indexing documents of one collection
| queue on its statistics row; neither can hold what the other waits for.
|
| Terms come from PostgreSQL's `english` text search configuration, the
| same one search.ts analyses queries with: both sides must agree.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { chunkDocument, type ChunkOptions } from '#knowledge/chunker'

/** Documents read, chunked and written per statement by the bulk path. */
const BATCH = 250

/** A PostgreSQL array literal of integer ids, bound as one text parameter. */
export function idArray(ids: number[]) {
  if (!ids.every(Number.isSafeInteger)) throw new Error('Expected integer ids')
  return `{${ids.join(',')}}`
}

/*
| One statement writes a batch's chunks and postings. The lexemes of each
| field are counted once and give both the postings' term frequencies and
| the chunks' field lengths (tokens that are not stopwords).
*/
const WRITE_CHUNKS = `
  WITH input AS (
    SELECT r.document_id, r.ordinal, r.heading, r.text, d.collection_id, d.title
    FROM jsonb_to_recordset(?::jsonb) AS r(document_id bigint, ordinal integer, heading text, text text)
    JOIN knowledge_documents d ON d.id = r.document_id
  ),
  terms AS (
    SELECT i.document_id, i.ordinal, l.lexeme AS term,
      sum(l.tf) FILTER (WHERE l.field = 1) AS tf_title,
      sum(l.tf) FILTER (WHERE l.field = 2) AS tf_heading,
      sum(l.tf) FILTER (WHERE l.field = 3) AS tf_body
    FROM input i
    CROSS JOIN LATERAL (
      SELECT 1 AS field, lexeme, cardinality(positions) AS tf
        FROM unnest(to_tsvector('english', i.title))
      UNION ALL
      SELECT 2, lexeme, cardinality(positions)
        FROM unnest(to_tsvector('english', coalesce(i.heading, '')))
      UNION ALL
      SELECT 3, lexeme, cardinality(positions)
        FROM unnest(to_tsvector('english', i.text))
    ) AS l
    GROUP BY i.document_id, i.ordinal, l.lexeme
  ),
  lengths AS (
    SELECT document_id, ordinal, sum(tf_title) AS title_length,
      sum(tf_heading) AS heading_length, sum(tf_body) AS body_length
    FROM terms GROUP BY document_id, ordinal
  ),
  chunks AS (
    INSERT INTO knowledge_chunks
      (document_id, collection_id, ordinal, heading, text, title_length, heading_length, body_length)
    SELECT i.document_id, i.collection_id, i.ordinal, i.heading, i.text,
      coalesce(l.title_length, 0), coalesce(l.heading_length, 0), coalesce(l.body_length, 0)
    FROM input i LEFT JOIN lengths l USING (document_id, ordinal)
    RETURNING id, document_id, ordinal, collection_id, body_length
  )
  INSERT INTO knowledge_postings
    (chunk_id, term, collection_id, tf_title, tf_heading, tf_body, body_length)
  SELECT c.id, t.term, c.collection_id,
    least(coalesce(t.tf_title, 0), 32767), least(coalesce(t.tf_heading, 0), 32767),
    least(coalesce(t.tf_body, 0), 32767), c.body_length
  FROM terms t JOIN chunks c USING (document_id, ordinal)
`

/**
 * (Re)builds the chunks and index rows of documents, in the caller's
 * transaction, set-based: one statement per batch of documents writes all
 * their chunks and postings. Ids of missing documents are skipped.
 * Returns the number of chunks written.
 */
export async function indexDocuments(
  trx: TransactionClientContract,
  documentIds: number[],
  options: { chunking?: ChunkOptions } = {}
): Promise<number> {
  const ids = [...new Set(documentIds)].sort((a, b) => a - b)
  if (!ids.length) return 0
  // Every lock up front, in the one order: the documents, then their collections' statistics.
  await trx.rawQuery(
    'SELECT id FROM knowledge_documents WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE',
    [idArray(ids)]
  )
  await trx.rawQuery(
    `SELECT knowledge_lock_stats(ARRAY(
      SELECT DISTINCT collection_id FROM knowledge_documents WHERE id = ANY(?::bigint[])))`,
    [idArray(ids)]
  )
  let total = 0
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = idArray(ids.slice(start, start + BATCH))
    const documents = await trx.rawQuery<{
      rows: Array<{ id: number; title: string; content: string }>
    }>(
      'SELECT id, title, content FROM knowledge_documents WHERE id = ANY(?::bigint[]) ORDER BY id',
      [batch]
    )
    await trx.rawQuery('DELETE FROM knowledge_chunks WHERE document_id = ANY(?::bigint[])', [batch])

    const records: Array<{
      document_id: number
      ordinal: number
      heading: string | null
      text: string
    }> = []
    const counts: number[] = []
    for (const document of documents.rows) {
      const chunks = chunkDocument(document, options.chunking)
      counts.push(chunks.length)
      for (const chunk of chunks) {
        records.push({
          document_id: Number(document.id),
          ordinal: chunk.ordinal,
          heading: chunk.heading,
          text: chunk.text,
        })
      }
    }
    if (records.length) await trx.rawQuery(WRITE_CHUNKS, [JSON.stringify(records)])
    if (documents.rows.length) {
      await trx.rawQuery(
        `UPDATE knowledge_documents d SET chunk_count = c.n
          FROM unnest(?::bigint[], ?::integer[]) AS c(id, n) WHERE d.id = c.id`,
        [idArray(documents.rows.map((d) => Number(d.id))), idArray(counts)]
      )
    }
    total += records.length
  }
  return total
}

/**
 * (Re)builds one document's chunks and index rows and its chunk_count;
 * running it again gives the same state. Returns the chunk count.
 */
export async function indexDocument(
  trx: TransactionClientContract,
  documentId: number
): Promise<number> {
  return indexDocuments(trx, [documentId])
}

/**
 * Removes a document's chunks and index rows; the collection statistics
 * follow. The caller deletes the document row itself.
 */
export async function removeDocumentIndex(
  trx: TransactionClientContract,
  documentId: number
): Promise<void> {
  const documents = await trx.rawQuery<{ rows: unknown[] }>(
    'SELECT id FROM knowledge_documents WHERE id = ? FOR UPDATE',
    [documentId]
  )
  await trx.rawQuery('DELETE FROM knowledge_chunks WHERE document_id = ?', [documentId])
  if (documents.rows.length) {
    await trx.rawQuery('UPDATE knowledge_documents SET chunk_count = 0 WHERE id = ?', [documentId])
  }
}

/**
 * Empties a whole collection's index at once (before deleting a large
 * collection): its postings go in one scan of the collection's index
 * instead of one cascade per chunk.
 */
export async function removeCollectionIndex(
  trx: TransactionClientContract,
  collectionId: number
): Promise<void> {
  await trx.rawQuery(
    'SELECT id FROM knowledge_documents WHERE collection_id = ? ORDER BY id FOR UPDATE',
    [collectionId]
  )
  await trx.rawQuery('DELETE FROM knowledge_postings WHERE collection_id = ?', [collectionId])
  await trx.rawQuery('DELETE FROM knowledge_chunks WHERE collection_id = ?', [collectionId])
  await trx.rawQuery('UPDATE knowledge_documents SET chunk_count = 0 WHERE collection_id = ?', [
    collectionId,
  ])
}
