import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import AppModel from '#models/app_model'

export type MessageDirection = 'inbound' | 'outbound' | 'internal'
export type AuthorKind = 'contact' | 'bot' | 'operator' | 'system'
export type DeliveryStatus = 'received' | 'pending' | 'sent' | 'failed'

export interface Attachment {
  kind: string
  name?: string
  mimeType?: string
  size?: number
  url?: string
  ref?: string
}

export default class Message extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare conversationId: number

  @column()
  declare channelId: number | null

  @column()
  declare direction: MessageDirection

  @column()
  declare authorKind: AuthorKind

  @column()
  declare authorUserId: number | null

  @column()
  declare kind: string

  @column()
  declare body: string | null

  // pg would send a JS array as a PostgreSQL array literal, not as JSON.
  @column({ prepare: (value: Attachment[]) => JSON.stringify(value ?? []) })
  declare attachments: Attachment[]

  @column()
  declare metadata: Record<string, unknown>

  @column()
  declare externalId: string | null

  @column()
  declare replyToId: number | null

  @column()
  declare deliveryStatus: DeliveryStatus | null

  @column()
  declare failureReason: string | null

  @column()
  declare attempts: number

  @column.dateTime()
  declare editedAt: DateTime | null

  @column.dateTime()
  declare deletedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
