import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { Secret } from '@adonisjs/core/helpers'
import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { AccessTokenDbColumns } from '@adonisjs/auth/types/access_tokens'
import clock from '#services/clock'
import { teamIdsColumn } from '#services/access'

/** How stale `last_used_at` may get before a request refreshes it. */
const LAST_USED_PRECISION_MS = 60_000

const TOKEN_COLUMNS = [
  'id',
  'tokenable_id',
  'type',
  'name',
  'hash',
  'abilities',
  'created_at',
  'updated_at',
  'last_used_at',
  'expires_at',
] as const

/**
 * Bearer tokens, stored hashed. Differs from the stock provider twice:
 * - it checks the secret before it writes anything, and refreshes
 *   `last_used_at` at most once a minute, so API reads stay reads and a
 *   forged token touches nothing;
 * - it reads the token, its user and the user's team ids in one statement
 *   (`verifyWithUser`), because every API request needs all three.
 */
export class AccessTokensProvider<Model extends LucidModel> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const found = await this.verifyWithUser(tokenValue)
    return found?.token ?? null
  }

  async verifyWithUser(
    tokenValue: Secret<string>
  ): Promise<{ token: AccessToken; user: LucidRow } | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const db = await this.getDb()
    const model = this.options.tokenableModel
    const users = model.table
    const result = await db.rawQuery(
      `SELECT ${TOKEN_COLUMNS.map((c) => `t.${c} AS "t.${c}"`).join(', ')}, u.*,
         ${teamIdsColumn('u.id')}
       FROM ${this.table} t JOIN ${users} u ON u.id = t.tokenable_id
       WHERE t.id = ? AND t.type = ?`,
      [decoded.identifier, this.type]
    )
    const row = result.rows[0] as Record<string, unknown> | undefined
    if (!row) return null

    const tokenRow: Record<string, unknown> = {}
    const userRow: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith('t.')) tokenRow[key.slice(2)] = value
      else userRow[key] = value
    }
    const token = this.dbRowToAccessToken(tokenRow as AccessTokenDbColumns)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = clock.now().toJSDate()
    const lastUsed = tokenRow.last_used_at ? new Date(tokenRow.last_used_at as string).getTime() : 0
    if (now.getTime() - lastUsed > LAST_USED_PRECISION_MS) {
      await db.from(this.table).where({ id: tokenRow.id }).update({ last_used_at: now })
      token.lastUsedAt = now
    }
    const user = model.$createFromAdapterResult(userRow)!
    return { token, user }
  }
}
