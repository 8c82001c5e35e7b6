/*
| Lexical retrieval over the knowledge index (migration 1041): BM25F,
| computed inside PostgreSQL by one statement, in one round trip.
|
| - Terms: the query goes through the same `english` configuration as the
|   chunks (stemming, stopwords), each distinct term once.
| - Scope: the collections are resolved in the statement; with a teamId,
|   only that team's, so no other team's chunk can ever be scored.
| - OR semantics: every chunk holding any query term is a candidate.
| - IDF: ln(1 + (N - df + 0.5) / (df + 0.5)), with N and df summed over
|   the collections searched (knowledge_index_stats, knowledge_terms).
| - BM25F: per term and chunk, the title, heading-path and body
|   frequencies blend with field weights before saturation,
|     tf~   = wTitle·tfTitle + wHeading·tfHeading + tfBody / (1 - b + b·len/avgLen)
|     score = Σ idf·(k1 + 1)·tf~ / (k1 + tf~)
|   so a title match counts more than a body match, yet a term repeated
|   across fields still saturates. Only the body is length-normalised:
|   titles and headings are short and even. The sum is computed as
|   Σ c - c·k1 / (k1 + tf~), c = idf·(k1 + 1), one division less per posting.
| - Common terms: ranking cost grows with the postings read, and a word in
|   many chunks ("increase", "patient") brings thousands. When a query
|   would read more than `exactPostings`, terms held by more than
|   `commonShare` of the chunks only score chunks that also hold one of the
|   query's other, selective terms (as Lucene's common-terms query does):
|   scores stay exact BM25F, but a chunk matching nothing but common words
|   is not ranked. A query of common words only is scored in full.
|
| Confidence (0..1, what the assistant thresholds) is the share of the
| query's IDF mass whose terms the chunk contains, in any field: rare words
| the chunk lacks weigh heavily, common ones little. A query term found
| nowhere in the collections has no IDF; it counts as much as the average
| term that was found. Below the top hit, confidence is also scaled down
| with the score relative to the top one (by up to a quarter), so the
| passages offered alongside the best one must rank near it too.
*/
import type pg from 'pg'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { idArray } from '#knowledge/indexer'
import {
  denseIndex,
  reciprocalRankFusion,
  type DenseHit,
  type DenseIndex,
} from '#knowledge/vectors'

export interface SearchHit {
  chunkId: number
  documentId: number
  collectionId: number
  title: string
  heading: string | null
  sourceUrl: string | null
  text: string
  score: number
  confidence: number
  snippet?: string
}

export interface Ranking {
  /** Term-frequency saturation. */
  k1: number
  /** Body length normalisation, 0 (none) to 1 (full). */
  b: number
  /** How much a term in the document title counts against one in the body. */
  titleWeight: number
  /** The same for the chunk's heading path. */
  headingWeight: number
  /** A query reading more postings than this treats its common terms apart… */
  exactPostings: number
  /** …common meaning held by more than this share of the chunks searched. */
  commonShare: number
}

/**
 * k1, b and the title weight were chosen on the SciFact train split
 * (`node ace kb:eval`), never on its test split; headings weigh as titles do.
 */
export const DEFAULT_RANKING: Ranking = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 2,
  headingWeight: 2,
  exactPostings: 2000,
  commonShare: 0.05,
}

export interface SearchOptions {
  query: string
  /** Only this team's collections: required unless collectionIds is given. */
  teamId?: number
  /** Only these collections (within the team's, when teamId is given). */
  collectionIds?: number[]
  limit?: number
  /** A short excerpt per hit, HTML-escaped, with matched words in <mark>…</mark>. */
  snippets?: boolean
  client?: QueryClientContract
  /** Other ranking parameters, for evaluation runs. */
  ranking?: Partial<Ranking>
  /**
   * The dense side to fuse with: by default the configured one, if any
   * (denseIndex()); `null` ranks lexically only.
   */
  dense?: Pick<DenseIndex, 'search'> | null
}

export interface SearchResult {
  hits: SearchHit[]
  terms: string[]
  tookMs: number
}

const MAX_LIMIT = 1000
/** Hits that get a ts_headline snippet; those below get the start of their text. */
const HEADLINE_HITS = 10
/** Stand-ins for <mark> and </mark> while PostgreSQL cuts the snippet: HTML escaping comes after. */
const START_MARK = '\u0001'
const STOP_MARK = '\u0002'

/** One posting's BM25F score for its query term (the w row carries the per-query constants). */
const POSTING_SCORE = `w.c - w.ck / (w.k1 + w.w_title * p.tf_title + w.w_heading * p.tf_heading
  + p.tf_body / (w.b0 + w.b1 * p.body_length))`

/*
| Parameters: $1 team id, $2 collection ids, $3 query text, $4 k1, $5 b,
| $6 title weight, $7 heading weight, $8 limit, $9 snippets?,
| $10 exactPostings, $11 commonShare.
|
| The statement has the same shape for every query, so each connection
| plans it a few times and then reuses a generic plan.
*/
const SEARCH = `
  WITH scope AS MATERIALIZED (
    SELECT coalesce(array_agg(id), '{}') AS ids FROM knowledge_collections
    WHERE ($1::integer IS NULL OR team_id = $1::integer)
      AND ($2::integer[] IS NULL OR id = ANY($2::integer[]))
  ),
  q AS MATERIALIZED (
    SELECT lexeme AS term FROM unnest(to_tsvector('english', $3::text))
  ),
  stats AS MATERIALIZED (
    SELECT coalesce(sum(chunk_count), 0)::float8 AS n,
      coalesce(nullif(sum(body_length), 0)::float8 / nullif(sum(chunk_count), 0), 1) AS avg_length
    FROM knowledge_index_stats
    WHERE collection_id = ANY((SELECT ids FROM scope)::integer[])
  ),
  seen AS MATERIALIZED (
    SELECT t.term, sum(t.df)::float8 AS df
    FROM knowledge_terms t
    WHERE t.collection_id = ANY((SELECT ids FROM scope)::integer[])
      AND t.term = ANY(ARRAY(SELECT term FROM q))
    GROUP BY t.term
  ),
  pruning AS MATERIALIZED (
    SELECT sum(s.df) > $10::float8
      AND count(*) FILTER (WHERE s.df > st.n * $11::float8) BETWEEN 1 AND count(*) - 1 AS active
    FROM seen s CROSS JOIN stats st
  ),
  w AS MATERIALIZED (
    SELECT s.term, i.idf, i.idf * ($4::float8 + 1) AS c, i.idf * ($4::float8 + 1) * $4::float8 AS ck,
      (SELECT active FROM pruning) AND s.df > st.n * $11::float8 AS common,
      $4::float8 AS k1, $6::float8 AS w_title, $7::float8 AS w_heading,
      1 - $5::float8 AS b0, $5::float8 / st.avg_length AS b1
    FROM seen s
    CROSS JOIN stats st
    CROSS JOIN LATERAL (SELECT ln(1 + (st.n - s.df + 0.5) / (s.df + 0.5)) AS idf) i
  ),
  selective AS MATERIALIZED (
    SELECT p.chunk_id, sum(${POSTING_SCORE}) AS score, sum(w.idf) AS matched_idf
    FROM w
    JOIN knowledge_postings p
      ON p.collection_id = ANY((SELECT ids FROM scope)::integer[]) AND p.term = w.term
    WHERE NOT w.common
    GROUP BY p.chunk_id
  ),
  ranked AS (
    SELECT chunk_id, score, matched_idf FROM selective
    WHERE NOT (SELECT active FROM pruning)
    UNION ALL
    SELECT chunk_id, sum(score), sum(matched_idf)
    FROM (
      SELECT chunk_id, score, matched_idf FROM selective
      UNION ALL
      SELECT p.chunk_id, ${POSTING_SCORE}, w.idf
      FROM w
      JOIN knowledge_postings p
        ON p.collection_id = ANY((SELECT ids FROM scope)::integer[]) AND p.term = w.term
      WHERE w.common AND p.chunk_id IN (SELECT chunk_id FROM selective)
    ) AS scored
    WHERE (SELECT active FROM pruning)
    GROUP BY chunk_id
  ),
  top AS (
    SELECT chunk_id, score, matched_idf,
      row_number() OVER (ORDER BY score DESC, chunk_id) AS rank
    FROM (SELECT * FROM ranked ORDER BY score DESC, chunk_id LIMIT $8::integer) AS best
  ),
  query AS (
    SELECT (SELECT ids FROM scope) AS collection_ids, ARRAY(SELECT term FROM q ORDER BY term) AS terms,
      -- A term found nowhere weighs as much as the average one found.
      (SELECT coalesce(sum(idf) + avg(idf) * ((SELECT count(*) FROM q) - count(*)), 0) FROM w)
        AS idf_mass,
      -- The terms OR-ed, each quoted as the lexeme it already is (not to be stemmed again).
      (SELECT string_agg('''' || replace(replace(term, '\\', '\\\\'), '''', '''''') || '''', ' | ')
        FROM q) AS tsquery
  )
  SELECT
    -- What is the same for every hit comes with the first row only.
    CASE WHEN coalesce(t.rank, 1) = 1 THEN qu.collection_ids END AS collection_ids,
    CASE WHEN coalesce(t.rank, 1) = 1 THEN qu.terms END AS terms,
    qu.idf_mass, t.chunk_id, t.score, t.matched_idf, c.document_id,
    c.collection_id, c.heading, c.text, d.title, d.source_url,
    CASE WHEN $9::boolean AND t.rank <= ${HEADLINE_HITS} THEN ts_headline('english',
      translate(c.text, E'\\x01\\x02', ''), qu.tsquery::tsquery,
      'StartSel=${START_MARK}, StopSel=${STOP_MARK}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
    END AS headline
  FROM query qu
  LEFT JOIN (
    top t
    JOIN knowledge_chunks c ON c.id = t.chunk_id
    JOIN knowledge_documents d ON d.id = c.document_id
  ) ON true
  ORDER BY t.rank
`

interface Row {
  /** On the first row only. */
  collection_ids: number[] | null
  terms: string[] | null
  idf_mass: number
  chunk_id: number | null
  score: number
  matched_idf: number
  document_id: number
  collection_id: number
  heading: string | null
  text: string
  title: string
  source_url: string | null
  headline: string | null
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  )

/** Safe to render: everything escaped but the marks around matched words. */
function snippetOf(row: Row): string {
  if (row.headline) {
    return escapeHtml(row.headline.replace(/\s+/g, ' ').trim())
      .replaceAll(START_MARK, '<mark>')
      .replaceAll(STOP_MARK, '</mark>')
  }
  const text = row.text.replace(/\s+/g, ' ').trim()
  const cut = text.length > 200 ? `${text.slice(0, text.lastIndexOf(' ', 200))} …` : text
  return escapeHtml(cut)
}

/**
 * Runs a named prepared statement on the client's own connection (the
 * transaction's, when it is one), so PostgreSQL can reuse its plan.
 */
async function prepared<T>(
  client: QueryClientContract,
  name: string,
  text: string,
  values: unknown[]
): Promise<T[]> {
  const knex = client.getWriteClient()
  const connection = (await knex.client.acquireConnection()) as pg.ClientBase
  try {
    const result = await connection.query({ name, text, values })
    return result.rows as T[]
  } finally {
    await knex.client.releaseConnection(connection)
  }
}

/** Lexical and dense hits in one list, by reciprocal rank fusion. */
async function fused(
  lexical: SearchHit[],
  dense: DenseHit[],
  options: SearchOptions,
  limit: number
): Promise<SearchHit[]> {
  const known = new Map(lexical.map((hit) => [hit.chunkId, hit]))
  const similarity = new Map(dense.map((hit) => [hit.chunkId, hit.score]))
  const order = reciprocalRankFusion([lexical, dense]).slice(0, limit)
  const missing = order.map((o) => o.chunkId).filter((id) => !known.has(id))
  if (missing.length) {
    const rows = await (options.client ?? db.connection())
      .from('knowledge_chunks as c')
      .join('knowledge_documents as d', 'd.id', 'c.document_id')
      .whereIn('c.id', missing)
      .select(
        'c.id',
        'c.document_id',
        'c.collection_id',
        'c.heading',
        'c.text',
        'd.title',
        'd.source_url'
      )
    for (const row of rows) {
      const text = String(row.text)
      known.set(Number(row.id), {
        chunkId: Number(row.id),
        documentId: Number(row.document_id),
        collectionId: Number(row.collection_id),
        title: row.title,
        heading: row.heading,
        sourceUrl: row.source_url,
        text,
        score: 0,
        confidence: Number(
          Math.max(0, Math.min(1, similarity.get(Number(row.id)) ?? 0)).toFixed(4)
        ),
        ...(options.snippets && { snippet: escapeHtml(text.slice(0, 200)) }),
      })
    }
  }
  return order.flatMap(({ chunkId, score }) => {
    const hit = known.get(chunkId)
    return hit ? [{ ...hit, score: Number(score.toFixed(6)) }] : []
  })
}

/** The chunks best matching `query`, best first. */
export async function searchKnowledge(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now()
  if (options.teamId === undefined && options.collectionIds === undefined) {
    throw new Error('searchKnowledge needs a teamId or collectionIds')
  }
  const ranking = { ...DEFAULT_RANKING, ...options.ranking }
  const limit = Math.min(Math.max(Math.floor(options.limit ?? 10), 1), MAX_LIMIT)

  const rows = await prepared<Row>(options.client ?? db.connection(), 'knowledge_search', SEARCH, [
    options.teamId ?? null,
    options.collectionIds ? idArray(options.collectionIds) : null,
    options.query,
    ranking.k1,
    ranking.b,
    ranking.titleWeight,
    ranking.headingWeight,
    limit,
    options.snippets === true,
    ranking.exactPostings,
    ranking.commonShare,
  ])

  const found = rows.filter((row) => row.chunk_id !== null)
  const idfMass = Number(rows[0].idf_mass)
  const top = found.length ? Number(found[0].score) : 0
  let hits: SearchHit[] = found.map((row) => {
    const score = Number(row.score)
    const coverage = Math.min(1, Number(row.matched_idf) / idfMass)
    const hit: SearchHit = {
      chunkId: Number(row.chunk_id),
      documentId: Number(row.document_id),
      collectionId: Number(row.collection_id),
      title: row.title,
      heading: row.heading,
      sourceUrl: row.source_url,
      text: row.text,
      score,
      confidence: Number((coverage * (0.75 + (0.25 * score) / top)).toFixed(4)),
    }
    if (options.snippets) hit.snippet = snippetOf(row)
    return hit
  })

  /*
  | Dense vectors, when configured: both lists are fused by reciprocal rank
  | (ranks only, so no score scales are mixed). A hit keeps its lexical
  | confidence; one only the dense side found has its cosine similarity as
  | confidence, and its score is the fused one like every other hit's. The
  | lexical path stands alone when the dense side is absent or fails.
  */
  const dense = options.dense === undefined ? await denseIndex().catch(() => null) : options.dense
  if (dense && rows[0].collection_ids?.length) {
    const near = await dense
      .search(rows[0].collection_ids, options.query, limit)
      .catch(() => [] as DenseHit[])
    if (near.length) hits = await fused(hits, near, options, limit)
  }
  hits = hits.slice(0, limit)

  return {
    hits,
    terms: rows[0].terms ?? [],
    tookMs: Number((performance.now() - started).toFixed(2)),
  }
}
