/*
| Dense vectors for chunks, when an embeddings model is configured: the
| indexing transaction enqueues a `knowledge.embed` job (so a document and
| its job commit together), and the job embeds the document's current
| chunks outside any transaction. Without a model nothing is queued.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import queue, { EMBED_QUEUE, type EmbedJob } from '#messaging/queue'
import { denseIndex } from '#knowledge/vectors'
import { embedderFromEnv } from '#knowledge/embeddings'

export async function scheduleEmbedding(trx: TransactionClientContract, documentIds: number[]) {
  if (!documentIds.length || !embeddingsConfigured()) return
  await queue.send(EMBED_QUEUE, { documentIds }, { trx })
}

/** A misconfigured embeddings model must not stop documents being saved: lexical search still works. */
function embeddingsConfigured() {
  try {
    return !!embedderFromEnv()
  } catch (error) {
    console.error(`[knowledge] embeddings disabled: ${(error as Error).message}`)
    return false
  }
}

export async function embedDocuments({ documentIds }: EmbedJob) {
  const dense = await denseIndex()
  if (!dense) return
  const chunks = await db
    .from('knowledge_chunks')
    .whereIn('document_id', documentIds)
    .select('id')
    .orderBy('id')
  if (chunks.length) await dense.embed(chunks.map((c) => Number(c.id)))
}
