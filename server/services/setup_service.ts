import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type Team from '#models/team'
import UserService from '#services/user_service'
import TeamService from '#services/team_service'
import { seedDemo } from '#database/demo'

export interface SetupResult {
  created: boolean
  email?: string
  /** Only when generated: printed once, never stored in clear. */
  generatedPassword?: string
  team?: Team
}

/**
 * First start: an admin, a "Support" team and demo data, only into an empty
 * database. Runs on every `npm start` and does nothing after the first.
 */
export default class SetupService {
  async run(options: { email?: string; password?: string; demo?: boolean }): Promise<SetupResult> {
    // One installer at a time, even if two processes start together.
    return db.transaction(async (trx) => {
      await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtext(?))', ['switchboard:setup'])
      const existing = await trx.from('users').count('* as n').first()
      if (Number(existing?.n ?? 0) > 0) return { created: false }

      const email = options.email ?? 'admin@example.com'
      const generatedPassword = options.password ? undefined : randomBytes(12).toString('base64url')
      const password = options.password ?? generatedPassword!

      const team = await new TeamService().create(
        null,
        {
          name: 'Support',
          description: 'The default team',
          settings: { welcomeText: 'Hi! Ask us anything. Type /human to reach a person.' },
        },
        null,
        trx
      )
      const admin = await new UserService().create(
        null,
        { email, password, fullName: 'Administrator', role: 'admin', teamIds: [team.id] },
        null,
        trx
      )
      if (options.demo !== false) await seedDemo(trx, team, admin)
      return { created: true, email: admin.email, generatedPassword, team }
    })
  }
}
