import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export default class UsageEvent extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number | null

  @column()
  declare conversationId: number | null

  @column()
  declare kind: string

  @column()
  declare quantity: number

  @column()
  declare data: Record<string, unknown>

  @column.dateTime()
  declare occurredAt: DateTime
}
