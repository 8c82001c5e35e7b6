import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { Secret } from '@adonisjs/core/helpers'
import type { AccessTokensProvider } from '#services/access_tokens_provider'
import db from '@adonisjs/lucid/services/db'
import { teamIdsColumn } from '#services/access'

/**
 * Loads the authenticated user together with the ids of their teams, in one
 * query: nearly every request asks which teams its user may see right after
 * authenticating (see access.ts, which reads `$extras.team_ids`).
 */
async function findWithTeams<Model extends LucidModel>(model: Model, id: string | number | BigInt) {
  return model
    .query()
    .select(`${model.table}.*`, db.raw(teamIdsColumn(`${model.table}.id`)))
    .where('id', String(id))
    .first()
}

/**
 * The tokens guard verifies a token, then asks for its user by id. The
 * provider answers both from one statement: verifyToken keeps the user it
 * loaded with the token, and findById hands it over instead of querying.
 */
export class TokensUserProvider extends AccessTokensLucidUserProvider<any, any> {
  #verified = new Map<string, LucidRow>()

  async verifyToken(tokenValue: Secret<string>) {
    const tokens = (await this.getTokensProvider()) as AccessTokensProvider<LucidModel>
    const found = await tokens.verifyWithUser(tokenValue)
    if (!found) return null
    this.#verified.set(String(found.token.tokenableId), found.user)
    return found.token
  }

  async findById(identifier: string | number | BigInt) {
    const key = String(identifier)
    const loaded = this.#verified.get(key)
    this.#verified.delete(key)
    const user = loaded ?? (await findWithTeams(await this.getModel(), identifier))
    return user ? this.createUserForGuard(user) : null
  }
}

export class SessionUserProvider extends SessionLucidUserProvider<any> {
  async findById(identifier: string | number | BigInt) {
    const user = await findWithTeams(await this.getModel(), identifier)
    return user ? this.createUserForGuard(user) : null
  }
}
