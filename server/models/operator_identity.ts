import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export default class OperatorIdentity extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number

  @column()
  declare platform: string

  @column()
  declare externalId: string

  @column()
  declare displayName: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
