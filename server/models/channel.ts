import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export default class Channel extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number

  @column()
  declare platform: string

  @column()
  declare name: string

  // Never serialised: holds the encrypted secrets.
  @column({ serializeAs: null })
  declare configEncrypted: string

  @column()
  declare enabled: boolean

  @column()
  declare status: string

  @column()
  declare statusDetail: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
