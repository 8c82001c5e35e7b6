import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Documents inserted and indexed per transaction. */
const LOAD_BATCH = 500
/** Unmeasured queries first, so caches and the connection pool are warm. */
const WARMUP_QUERIES = 20
const SEARCH_LIMIT = 100

interface Metrics {
  ndcg_at_10: number
  recall_at_100: number
  mrr_at_10: number
  p50_ms: number
  p95_ms: number
  queries: number
  documents: number
}

class DatasetError extends Error {}

/** One JSON object per line; a blank line is skipped, a broken one names its place. */
async function* jsonLines(file: string): AsyncGenerator<Record<string, unknown>> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  let number = 0
  for await (const line of lines) {
    number++
    if (!line.trim()) continue
    try {
      yield JSON.parse(line)
    } catch {
      throw new DatasetError(`${file}:${number} is not valid JSON`)
    }
  }
}

/** qrels/<split>.tsv: a header row, then query-id, corpus-id, score. */
async function readQrels(file: string): Promise<Map<string, Map<string, number>>> {
  const qrels = new Map<string, Map<string, number>>()
  const text = await readFile(file, 'utf8')
  const lines = text.split(/\r?\n/)
  lines.forEach((line, i) => {
    if (i === 0 || !line.trim()) return
    const [queryId, corpusId, score] = line.split('\t')
    const grade = Number(score)
    if (!queryId || !corpusId || !Number.isFinite(grade)) {
      throw new DatasetError(`${file}:${i + 1} is not "query-id<TAB>corpus-id<TAB>score"`)
    }
    if (!qrels.has(queryId)) qrels.set(queryId, new Map())
    qrels.get(queryId)!.set(corpusId, grade)
  })
  return qrels
}

async function kindOf(path: string): Promise<'file' | 'directory' | null> {
  const info = await stat(path).catch(() => null)
  return info?.isFile() ? 'file' : info?.isDirectory() ? 'directory' : null
}

/**
 * Retrieval quality of the production search on a BEIR-format data set,
 * loaded into a collection of its own (no team: no assistant ever sees it)
 * and indexed by the production indexer.
 */
export default class KbEval extends BaseCommand {
  static commandName = 'kb:eval'
  static description =
    'Measure knowledge search (nDCG@10, Recall@100, MRR@10, latency) on a BEIR-format data set'
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description: 'Folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv',
    required: true,
  })
  declare dataset: string

  @flags.string({ description: 'The qrels split to evaluate', default: 'test' })
  declare split: string

  @flags.boolean({ description: 'End with the metrics as one JSON line' })
  declare json: boolean

  @flags.boolean({ description: 'Keep the evaluation collection afterwards' })
  declare keep: boolean

  async run() {
    const dir = resolve(this.dataset)
    const files = {
      corpus: join(dir, 'corpus.jsonl'),
      queries: join(dir, 'queries.jsonl'),
      qrels: join(dir, 'qrels', `${this.split}.tsv`),
    }
    if ((await kindOf(dir)) !== 'directory') {
      return this.fail(`No such data set folder: ${this.dataset}`)
    }
    if (!/^[\w.-]+$/.test(this.split)) return this.fail(`Bad split name: "${this.split}"`)
    for (const file of [files.corpus, files.queries]) {
      if ((await kindOf(file)) !== 'file') return this.fail(`Missing file: ${file}`)
    }
    if ((await kindOf(files.qrels)) !== 'file') {
      return this.fail(`Unknown split "${this.split}": missing file ${files.qrels}`)
    }

    const { default: db } = await import('@adonisjs/lucid/services/db')
    let collectionId: number | undefined
    try {
      const qrels = await readQrels(files.qrels)
      const queries = new Map<string, string>()
      for await (const query of jsonLines(files.queries)) {
        if (qrels.has(String(query._id))) queries.set(String(query._id), String(query.text ?? ''))
      }
      const missing = [...qrels.keys()].filter((id) => !queries.has(id))
      if (missing.length) {
        throw new DatasetError(
          `${missing.length} queries of ${files.qrels} are not in ${files.queries} (first: ${missing[0]})`
        )
      }

      const [collection] = await db
        .table('knowledge_collections')
        .insert({
          team_id: null,
          kind: 'eval',
          name: `eval ${basename(dir)} ${this.split} ${new Date().toISOString()} ${randomBytes(3).toString('hex')}`,
          description: `kb:eval of ${dir}`,
        })
        .returning('id')
      collectionId = Number(collection.id)
      const corpusIds = await this.load(collectionId, files.corpus)
      const metrics = await this.evaluate(collectionId, queries, qrels, corpusIds)
      this.report(metrics)
    } catch (error) {
      if (error instanceof DatasetError) return this.fail(error.message)
      throw error
    } finally {
      if (collectionId !== undefined && !this.keep) await this.drop(collectionId)
      else if (collectionId !== undefined) this.progress(`kept collection ${collectionId}`)
    }
  }

  /** Inserts and indexes the corpus in batches; returns corpus ids by document id. */
  protected async load(collectionId: number, corpusFile: string): Promise<Map<number, string>> {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { indexDocuments } = await import('#knowledge/indexer')
    const corpusIds = new Map<number, string>()
    const started = performance.now()
    let chunks = 0

    const flush = async (batch: Array<Record<string, string>>) => {
      await db.transaction(async (trx) => {
        const inserted = await trx.rawQuery<{ rows: Array<{ id: number; external_id: string }> }>(
          `INSERT INTO knowledge_documents
            (collection_id, team_id, title, format, source, external_id, content, content_hash)
          SELECT ?, NULL, r.title, 'text', 'text', r.external_id, r.content, r.content_hash
          FROM jsonb_to_recordset(?::jsonb) AS r(title text, external_id text, content text, content_hash text)
          RETURNING id, external_id`,
          [collectionId, JSON.stringify(batch)]
        )
        for (const row of inserted.rows) corpusIds.set(Number(row.id), row.external_id)
        chunks += await indexDocuments(
          trx,
          inserted.rows.map((row) => Number(row.id))
        )
      })
      this.progress(`loaded ${corpusIds.size} documents (${chunks} chunks)`)
    }

    let batch: Array<Record<string, string>> = []
    const seen = new Set<string>()
    for await (const doc of jsonLines(corpusFile)) {
      const id = String(doc._id ?? '')
      if (!id || seen.has(id)) continue
      seen.add(id)
      const title = String(doc.title ?? '')
      const content = String(doc.text ?? '')
      batch.push({
        title,
        external_id: id,
        content,
        content_hash: createHash('sha256').update(title).update('\0').update(content).digest('hex'),
      })
      if (batch.length >= LOAD_BATCH) {
        await flush(batch)
        batch = []
      }
    }
    if (batch.length) await flush(batch)
    if (!corpusIds.size) throw new DatasetError(`No documents in ${corpusFile}`)
    await this.settle()
    this.progress(
      `indexed ${corpusIds.size} documents into ${chunks} chunks in ${((performance.now() - started) / 1000).toFixed(1)} s`
    )
    return corpusIds
  }

  /**
   * Vacuums and analyses what the load wrote, as autovacuum would in
   * time: otherwise autovacuum does it during the measurement, and the
   * ranking reads postings from the heap until their pages are marked
   * all-visible. An autoanalyze still running from the load can keep
   * VACUUM from marking the newest pages, so that is checked and repeated.
   */
  protected async settle() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    for (const table of ['knowledge_documents', 'knowledge_chunks', 'knowledge_terms']) {
      await db.rawQuery(`VACUUM (ANALYZE) ${table}`)
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      await db.rawQuery('VACUUM (ANALYZE) knowledge_postings')
      const { rows } = await db.rawQuery<{ rows: Array<{ pages: number; visible: number }> }>(
        `SELECT relpages AS pages, relallvisible AS visible FROM pg_class
          WHERE oid = 'knowledge_postings'::regclass`
      )
      if (rows[0].visible >= rows[0].pages * 0.99) return
      await new Promise((done) => setTimeout(done, 500))
    }
    this.progress('the postings are not all-visible yet: latency may read high')
  }

  protected async evaluate(
    collectionId: number,
    queries: Map<string, string>,
    qrels: Map<string, Map<string, number>>,
    corpusIds: Map<number, string>
  ): Promise<Metrics> {
    const { searchKnowledge } = await import('#knowledge/search')
    const metrics = await import('#knowledge/metrics')
    const search = (query: string) =>
      searchKnowledge({ query, collectionIds: [collectionId], limit: SEARCH_LIMIT })

    const ids = [...queries.keys()]
    for (const id of ids.slice(0, WARMUP_QUERIES)) await search(queries.get(id)!)

    const ndcg: number[] = []
    const recall: number[] = []
    const mrr: number[] = []
    const latencies: number[] = []
    for (const [i, id] of ids.entries()) {
      const started = performance.now()
      const result = await search(queries.get(id)!)
      latencies.push(performance.now() - started)
      const ranking = metrics.uniqueRanking(
        result.hits.map((hit) => corpusIds.get(hit.documentId)!)
      )
      const judgments = qrels.get(id)!
      ndcg.push(metrics.ndcgAt(ranking, judgments, 10))
      recall.push(metrics.recallAt(ranking, judgments, 100))
      mrr.push(metrics.mrrAt(ranking, judgments, 10))
      if ((i + 1) % 100 === 0) this.progress(`${i + 1}/${ids.length} queries`)
    }
    const round = (value: number, digits: number) => Number(value.toFixed(digits))
    return {
      ndcg_at_10: round(metrics.mean(ndcg), 4),
      recall_at_100: round(metrics.mean(recall), 4),
      mrr_at_10: round(metrics.mean(mrr), 4),
      p50_ms: round(metrics.percentile(latencies, 50), 2),
      p95_ms: round(metrics.percentile(latencies, 95), 2),
      queries: ids.length,
      documents: corpusIds.size,
    }
  }

  protected report(metrics: Metrics) {
    this.logger.log(
      [
        `kb:eval ${this.dataset} (${this.split}): ${metrics.queries} queries, ${metrics.documents} documents`,
        `  nDCG@10     ${metrics.ndcg_at_10.toFixed(4)}`,
        `  Recall@100  ${metrics.recall_at_100.toFixed(4)}`,
        `  MRR@10      ${metrics.mrr_at_10.toFixed(4)}`,
        `  latency     p50 ${metrics.p50_ms.toFixed(2)} ms, p95 ${metrics.p95_ms.toFixed(2)} ms`,
      ].join('\n')
    )
    if (this.json) this.logger.log(JSON.stringify(metrics))
  }

  /** The evaluation collection and everything in it. */
  protected async drop(collectionId: number) {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { removeCollectionIndex } = await import('#knowledge/indexer')
    await db.transaction(async (trx) => {
      await removeCollectionIndex(trx, collectionId)
      await trx.from('knowledge_collections').where('id', collectionId).delete()
    })
    this.progress(`removed evaluation collection ${collectionId}`)
  }

  protected progress(message: string) {
    this.logger.logError(`[kb:eval] ${message}`)
  }

  protected fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
