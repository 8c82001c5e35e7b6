import { DateTime } from 'luxon'
import { belongsTo, column, hasMany } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany } from '@adonisjs/lucid/types/relations'
import AppModel from '#models/app_model'
import Contact from '#models/contact'
import Message from '#models/message'
import User from '#models/user'

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const
export const CONVERSATION_OWNERS = ['bot', 'queued', 'human'] as const
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number]
export type ConversationOwner = (typeof CONVERSATION_OWNERS)[number]
export type Priority = (typeof PRIORITIES)[number]

export default class Conversation extends AppModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare teamId: number

  @column()
  declare channelId: number | null

  @column()
  declare contactId: number

  @column()
  declare subject: string | null

  @column()
  declare status: ConversationStatus

  @column()
  declare owner: ConversationOwner

  @column()
  declare assigneeId: number | null

  @column()
  declare priority: Priority

  @column()
  declare tags: string[]

  @column()
  declare handoffReason: string | null

  @column.dateTime()
  declare snoozedUntil: DateTime | null

  @column.dateTime()
  declare resolvedAt: DateTime | null

  @column.dateTime()
  declare lastMessageAt: DateTime

  @column.dateTime()
  declare lastCustomerMessageAt: DateTime | null

  @column.dateTime()
  declare lastOperatorMessageAt: DateTime | null

  @column()
  declare messageCount: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Contact)
  declare contact: BelongsTo<typeof Contact>

  @belongsTo(() => User, { foreignKey: 'assigneeId' })
  declare assignee: BelongsTo<typeof User>

  @hasMany(() => Message)
  declare messages: HasMany<typeof Message>
}
