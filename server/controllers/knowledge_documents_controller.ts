import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import KnowledgeCollection from '#models/knowledge_collection'
import KnowledgeDocument from '#models/knowledge_document'
import KnowledgeService, { type DocumentInput } from '#knowledge/knowledge_service'
import {
  ExtractionError,
  FILE_EXTENSIONS,
  fetchDocument,
  formatOfFilename,
} from '#knowledge/extract'
import { pageOf, paginate } from '#services/listing'
import { visibleTeamIds } from '#services/access'
import { invalidField } from '#services/team_scope'
import { pageFieldsValidator } from '#validators/common'
import {
  createDocumentValidator,
  listDocumentsValidator,
  updateDocumentValidator,
} from '#validators/knowledge'

// Lists leave the text out: it can be megabytes per row.
const LIST_COLUMNS = [
  'id',
  'collection_id',
  'team_id',
  'title',
  'format',
  'source',
  'source_url',
  'filename',
  'external_id',
  'content_hash',
  'chunk_count',
  'created_by_id',
  'created_at',
  'updated_at',
]

/** Documents of a team's collections: text, uploaded files or imported pages. */
@inject()
export default class KnowledgeDocumentsController {
  constructor(protected knowledge: KnowledgeService) {}

  async index({ auth, request }: HttpContext) {
    const params = await request.validateUsing(listDocumentsValidator)
    const teamIds = await visibleTeamIds(auth.getUserOrFail())
    const query = KnowledgeDocument.query()
      .select(LIST_COLUMNS)
      // The stored length, without reading (or decompressing) the text itself.
      .select(db.raw('octet_length(content) AS size'))
      .whereNotNull('team_id')
    if (teamIds !== null) query.whereIn('team_id', teamIds)
    if (params.teamId) query.where('team_id', params.teamId)
    if (params.collectionId) query.where('collection_id', params.collectionId)
    if (params.q) query.whereILike('title', `%${params.q.replace(/[\\%_]/g, '\\$&')}%`)
    return paginate(query, params, '-id')
  }

  async store({ auth, bouncer, request, response }: HttpContext) {
    const input = await request.validateUsing(createDocumentValidator)
    const collection = await KnowledgeCollection.query()
      .where({ id: input.collectionId, kind: 'team' })
      .first()
    if (!collection) throw invalidField('collectionId', 'exists', 'No such collection')
    await bouncer.with('KnowledgePolicy').authorize('manage', collection)

    const file = request.file('file', { size: '20mb', extnames: FILE_EXTENSIONS })
    const given = [input.content !== undefined, input.url !== undefined, !!file].filter(Boolean)
    if (given.length !== 1) {
      throw invalidField('content', 'required', 'Send exactly one of content, url or file')
    }
    const common = {
      collectionId: collection.id,
      title: input.title,
      externalId: input.externalId,
      createdById: auth.getUserOrFail().id,
    }
    let document: DocumentInput
    try {
      if (file) {
        if (!file.isValid || !file.tmpPath) {
          const error = file.errors[0]
          // The type is read from the bytes, so a renamed or damaged file lands here too.
          const message =
            error?.type === 'extname'
              ? `${file.clientName} is not a Markdown, text, HTML or PDF file`
              : (error?.message ?? 'The file was not received')
          throw new ExtractionError(message, 'file')
        }
        document = {
          ...common,
          format: formatOfFilename(file.clientName)!,
          body: await readFile(file.tmpPath),
          source: 'file',
          filename: file.clientName,
        }
      } else if (input.url) {
        const fetched = await fetchDocument(input.url, {
          allowPrivate: env.get('KNOWLEDGE_IMPORT_PRIVATE_URLS') ?? false,
        })
        document = {
          ...common,
          title: input.title ?? fetched.title,
          format: fetched.format,
          body: fetched.body,
          source: 'url',
          sourceUrl: fetched.url,
        }
      } else {
        document = { ...common, format: input.format ?? 'markdown', body: input.content! }
      }
      const { document: saved, outcome } = await this.knowledge.saveDocument(document)
      response.status(outcome === 'created' ? 201 : 200)
      return { data: saved, meta: { outcome } }
    } catch (error) {
      if (error instanceof ExtractionError)
        throw invalidField(error.field, 'extract', error.message)
      throw error
    }
  }

  protected async find({ bouncer, params }: HttpContext, ability: 'view' | 'manage') {
    const document = await KnowledgeDocument.query()
      .where('id', params.id)
      .whereNotNull('team_id')
      .firstOrFail()
    await bouncer.with('KnowledgePolicy').authorize(ability, document)
    return document
  }

  async show(ctx: HttpContext) {
    return { data: await this.find(ctx, 'view') }
  }

  /** The document as the index holds it: its chunks in order, each with its heading path. */
  async chunks(ctx: HttpContext) {
    const document = await this.find(ctx, 'view')
    const params = await ctx.request.validateUsing(pageFieldsValidator)
    const { page, perPage, offset } = pageOf(params)
    const data = await db
      .from('knowledge_chunks')
      .select('id', 'ordinal', 'heading', 'text')
      .where('document_id', document.id)
      .orderBy('ordinal')
      .limit(perPage)
      .offset(offset)
    return {
      data: data.map((chunk) => ({ ...chunk, id: Number(chunk.id) })),
      meta: { total: document.chunkCount, page, perPage, totalCapped: false },
    }
  }

  async update(ctx: HttpContext) {
    const document = await this.find(ctx, 'manage')
    const input = await ctx.request.validateUsing(updateDocumentValidator)
    try {
      return { data: await this.knowledge.updateDocument(document, input) }
    } catch (error) {
      if (error instanceof ExtractionError)
        throw invalidField(error.field, 'extract', error.message)
      throw error
    }
  }

  async destroy(ctx: HttpContext) {
    await this.knowledge.deleteDocument(await this.find(ctx, 'manage'))
    return ctx.response.noContent()
  }
}
