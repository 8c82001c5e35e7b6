import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export default class ContactIdentity extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number

  @column()
  declare contactId: number

  @column()
  declare platform: string

  @column()
  declare externalId: string

  @column()
  declare username: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
