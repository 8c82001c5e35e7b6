import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { Secret } from '@adonisjs/core/helpers'
import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { AccessTokenDbColumns } from '@adonisjs/auth/types/access_tokens'
import clock from '#services/clock'

/** How stale `last_used_at` may get before a request refreshes it. */
const LAST_USED_PRECISION_MS = 60_000

/**
 * The stock provider writes `last_used_at` on every request, before it has
 * even checked the secret. This one checks first and refreshes the stamp
 * at most once a minute: an API client's reads stay reads, and a forged
 * token touches nothing.
 */
export class AccessTokensProvider<Model extends LucidModel> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const db = await this.getDb()
    const row: AccessTokenDbColumns | null = await db
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .first()
    if (!row) return null
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = clock.now().toJSDate()
    const lastUsed = row.last_used_at ? new Date(row.last_used_at).getTime() : 0
    if (now.getTime() - lastUsed > LAST_USED_PRECISION_MS) {
      await db.from(this.table).where({ id: row.id }).update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}
