import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'

/**
 * Loads the authenticated user together with the ids of their teams, in one
 * query: nearly every request asks which teams its user may see right after
 * authenticating (see access.ts, which reads `$extras.team_ids`).
 */
async function findWithTeams<Model extends LucidModel>(model: Model, id: string | number | BigInt) {
  return model
    .query()
    .select(
      `${model.table}.*`,
      db.raw('ARRAY(SELECT team_id FROM team_memberships WHERE user_id = ??) AS team_ids', [
        `${model.table}.id`,
      ])
    )
    .where('id', String(id))
    .first()
}

export class TokensUserProvider extends AccessTokensLucidUserProvider<any, any> {
  async findById(identifier: string | number | BigInt) {
    const user = await findWithTeams(await this.getModel(), identifier)
    return user ? this.createUserForGuard(user) : null
  }
}

export class SessionUserProvider extends SessionLucidUserProvider<any> {
  async findById(identifier: string | number | BigInt) {
    const user = await findWithTeams(await this.getModel(), identifier)
    return user ? this.createUserForGuard(user) : null
  }
}
