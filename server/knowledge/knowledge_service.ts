/*
| Collections and documents. Every change to a document and to its index
| commits together, so search never sees half a document; importing the
| same external id again updates the document instead of adding a twin.
*/
import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import KnowledgeCollection from '#models/knowledge_collection'
import KnowledgeDocument from '#models/knowledge_document'
import { indexDocument, removeCollectionIndex, removeDocumentIndex } from '#knowledge/indexer'
import { guessTitle, toContent, type KnowledgeFormat } from '#knowledge/extract'
import { scheduleEmbedding } from '#knowledge/embedding_jobs'
import { inTransaction } from '#services/transactions'

export interface CollectionInput {
  teamId: number
  name: string
  description?: string | null
}

export interface DocumentInput {
  collectionId: number
  title?: string
  format: KnowledgeFormat
  body: string | Uint8Array
  source?: 'text' | 'file' | 'url'
  sourceUrl?: string
  filename?: string
  externalId?: string
  createdById?: number | null
}

export interface DocumentUpdate {
  title?: string
  format?: KnowledgeFormat
  content?: string
}

export type DocumentOutcome = 'created' | 'updated' | 'unchanged'

const hashOf = (title: string, content: string) =>
  createHash('sha256').update(title).update('\0').update(content).digest('hex')

export default class KnowledgeService {
  createCollection(input: CollectionInput, trx?: TransactionClientContract) {
    return KnowledgeCollection.create(
      {
        teamId: input.teamId,
        name: input.name,
        description: input.description ?? null,
        kind: 'team',
      },
      { client: trx }
    )
  }

  async updateCollection(collection: KnowledgeCollection, input: Partial<CollectionInput>) {
    collection.merge({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
    })
    await collection.save()
    return collection
  }

  /** The documents, their chunks and index rows go with it. */
  async deleteCollection(collection: KnowledgeCollection) {
    await db.transaction(async (trx) => {
      await removeCollectionIndex(trx, collection.id)
      await trx.from('knowledge_collections').where('id', collection.id).delete()
    })
  }

  /**
   * Adds a document, or with an `externalId` already in the collection,
   * replaces that one's text (re-indexing only when it changed).
   */
  async saveDocument(
    input: DocumentInput,
    outer?: TransactionClientContract
  ): Promise<{ document: KnowledgeDocument; outcome: DocumentOutcome }> {
    const content = await toContent(input.format, input.body)
    const title = (input.title?.trim() || guessTitle(content, input.filename ?? 'Untitled')).slice(
      0,
      200
    )
    const hash = hashOf(title, content)
    const collection = await KnowledgeCollection.findOrFail(input.collectionId, { client: outer })

    return inTransaction(outer, async (trx) => {
      const existing = input.externalId
        ? await KnowledgeDocument.query({ client: trx })
            .where({ collection_id: collection.id, external_id: input.externalId })
            .forUpdate()
            .first()
        : null
      if (existing?.contentHash === hash) {
        return { document: existing, outcome: 'unchanged' as const }
      }
      const document = existing ?? new KnowledgeDocument()
      document.useTransaction(trx)
      document.merge({
        collectionId: collection.id,
        teamId: collection.teamId,
        title,
        format: input.format,
        source: input.source ?? 'text',
        sourceUrl: input.sourceUrl ?? null,
        filename: input.filename ?? null,
        externalId: input.externalId ?? null,
        content,
        contentHash: hash,
        ...(!existing && { createdById: input.createdById ?? null }),
      })
      await document.save()
      document.chunkCount = await indexDocument(trx, document.id)
      await scheduleEmbedding(trx, [document.id])
      return { document, outcome: existing ? ('updated' as const) : ('created' as const) }
    })
  }

  /** New text or title: the document is re-indexed in the same transaction. */
  async updateDocument(document: KnowledgeDocument, input: DocumentUpdate) {
    const format = input.format ?? (document.format as KnowledgeFormat)
    const content =
      input.content !== undefined ? await toContent(format, input.content) : document.content
    const title = input.title?.trim() || document.title
    const hash = hashOf(title, content)
    if (hash === document.contentHash) return document
    await db.transaction(async (trx) => {
      document.useTransaction(trx)
      document.merge({ title, content, contentHash: hash, format })
      await document.save()
      document.chunkCount = await indexDocument(trx, document.id)
      await scheduleEmbedding(trx, [document.id])
    })
    return document
  }

  async deleteDocument(document: KnowledgeDocument) {
    await db.transaction(async (trx) => this.removeDocument(trx, document.id))
  }

  async removeDocument(trx: TransactionClientContract, documentId: number) {
    await removeDocumentIndex(trx, documentId)
    await trx.from('knowledge_documents').where('id', documentId).delete()
  }
}
