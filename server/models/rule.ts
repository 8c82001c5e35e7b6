import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'
import type { ConditionNode } from '#automation/conditions'
import type { Action, Trigger } from '#automation/types'

/** A team's automation rule (server/automation). */
export default class Rule extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number

  @column()
  declare name: string

  @column()
  declare enabled: boolean

  @column()
  declare priority: number

  @column({ prepare: (value: unknown) => JSON.stringify(value) })
  declare trigger: Trigger

  @column({ prepare: (value: unknown) => JSON.stringify(value) })
  declare conditions: ConditionNode

  @column({ prepare: (value: unknown) => JSON.stringify(value) })
  declare actions: Action[]

  @column()
  declare stopProcessing: boolean

  @column()
  declare cooldownSeconds: number

  /** Which built-in behaviour this is (welcome, human, after_hours, assistant); null for the team's own. */
  @column()
  declare builtin: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
