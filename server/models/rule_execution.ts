import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

/** One evaluation of a rule: the event, what each condition saw, what each action did. */
export default class RuleExecution extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare ruleId: number

  @column()
  declare teamId: number

  @column()
  declare conversationId: number | null

  @column()
  declare eventKey: string

  @column()
  declare event: Record<string, unknown>

  @column()
  declare outcome: string

  @column()
  declare reason: string | null

  @column()
  declare conditions: unknown[]

  @column()
  declare actions: unknown[]

  @column()
  declare durationMs: number

  @column.dateTime()
  declare createdAt: DateTime
}
