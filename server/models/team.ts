import { DateTime } from 'luxon'
import { column, manyToMany } from '@adonisjs/lucid/orm'
import type { ManyToMany } from '@adonisjs/lucid/types/relations'
import AppModel from '#models/app_model'
import type { TeamAssistantSettings } from '#assistant/settings'
import User from '#models/user'
import type { BusinessHours } from '#automation/business_hours'

export interface TeamSettings {
  welcomeText?: string
  autoReplyText?: string
  helpText?: string
  /** Told to the customer when the assistant hands the conversation to people. */
  handoffText?: string
  assistant?: TeamAssistantSettings
  /** Opening hours the rules' business_hours condition reads; none means always open. */
  businessHours?: BusinessHours | null
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

  // A team's own model API key, encrypted with APP_KEY; never serialised.
  @column({ serializeAs: null })
  declare assistantKeyEncrypted: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @manyToMany(() => User, { pivotTable: 'team_memberships', pivotTimestamps: false })
  declare members: ManyToMany<typeof User>
}
