import { DateTime } from 'luxon'
import { column, computed } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

/** One document of a collection, kept as cleaned text so it can be re-indexed. */
export default class KnowledgeDocument extends AppModel {
  static table = 'knowledge_documents'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare collectionId: number

  @column()
  declare teamId: number

  @column()
  declare title: string

  @column()
  declare format: string

  @column()
  declare source: string

  @column()
  declare sourceUrl: string | null

  @column()
  declare filename: string | null

  @column()
  declare externalId: string | null

  // Shown by `show` only; lists leave it out.
  @column()
  declare content: string

  @column()
  declare contentHash: string

  @column()
  declare chunkCount: number

  @column()
  declare createdById: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Bytes of the cleaned text; lists select it as `size` instead of loading the text. */
  @computed()
  get size(): number {
    if (this.$extras.size !== undefined) return Number(this.$extras.size)
    return Buffer.byteLength(this.content ?? '')
  }
}
