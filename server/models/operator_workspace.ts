import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export interface WorkspaceRouting {
  /** `handoff`: only conversations handed to people; `all`: every one. */
  conversations: 'handoff' | 'all'
  channelIds?: number[]
  tags?: string[]
}

/** Where a team's operators answer: a Slack channel or a Telegram forum group. */
export default class OperatorWorkspace extends AppModel {
  static table = 'operator_workspaces'

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

  @column({ prepare: (value: WorkspaceRouting) => JSON.stringify(value) })
  declare routing: WorkspaceRouting

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
