import { DateTime } from 'luxon'
import { column, manyToMany } from '@adonisjs/lucid/orm'
import type { ManyToMany } from '@adonisjs/lucid/types/relations'
import AppModel from '#models/app_model'
import User from '#models/user'

export interface TeamSettings {
  welcomeText?: string
  autoReplyText?: string
  helpText?: string
  [key: string]: unknown
}

export default class Team extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare settings: TeamSettings

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @manyToMany(() => User, { pivotTable: 'team_memberships', pivotTimestamps: false })
  declare members: ManyToMany<typeof User>
}
