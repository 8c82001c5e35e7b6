import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

/** A team's set of documents the assistant answers from. */
export default class KnowledgeCollection extends AppModel {
  static table = 'knowledge_collections'

  @column({ isPrimary: true })
  declare id: number

  // Null only for internal collections (an evaluation's corpus), which the API never shows.
  @column()
  declare teamId: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column({ serializeAs: null })
  declare kind: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
