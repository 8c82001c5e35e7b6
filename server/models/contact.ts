import { DateTime } from 'luxon'
import { column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import AppModel from '#models/app_model'
import ContactIdentity from '#models/contact_identity'

export default class Contact extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number

  @column()
  declare name: string | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare locale: string | null

  @column()
  declare attributes: Record<string, unknown>

  @column.dateTime()
  declare unreachableAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ContactIdentity)
  declare identities: HasMany<typeof ContactIdentity>
}
