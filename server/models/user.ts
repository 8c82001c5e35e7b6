import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { beforeSave, column, manyToMany } from '@adonisjs/lucid/orm'
import type { ManyToMany } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import type { AccessToken } from '@adonisjs/auth/access_tokens'
import { AccessTokensProvider } from '#services/access_tokens_provider'
import AppModel from '#models/app_model'
import Team from '#models/team'

export const ROLES = ['admin', 'supervisor', 'operator'] as const
export type Role = (typeof ROLES)[number]

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(AppModel, AuthFinder) {
  static accessTokens = new AccessTokensProvider({
    tokenableModel: User,
    prefix: 'sb_',
    table: 'auth_access_tokens',
    type: 'auth_token',
    tokenSecretLength: 40,
  })

  declare currentAccessToken?: AccessToken

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare fullName: string | null

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: Role

  @column.dateTime()
  declare disabledAt: DateTime | null

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @manyToMany(() => Team, { pivotTable: 'team_memberships', pivotTimestamps: false })
  declare teams: ManyToMany<typeof Team>

  get isAdmin() {
    return this.role === 'admin'
  }

  get isDisabled() {
    return this.disabledAt !== null
  }

  /** Emails are matched case-insensitively, as the unique index does. */
  static findByEmail(email: string) {
    return this.query().whereRaw('lower(email) = lower(?)', [email]).first()
  }

  /** Stored lower-cased, so credential lookups match whatever case was typed. */
  @beforeSave()
  static normaliseEmail(user: User) {
    if (user.$dirty.email) user.email = user.email.trim().toLowerCase()
  }
}
