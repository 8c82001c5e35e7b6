import { randomBytes } from 'node:crypto'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class UsersResetPassword extends BaseCommand {
  static commandName = 'users:reset-password'
  static description = 'Set a new password for a user, revoking their sessions and tokens'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email address', required: true })
  declare email: string

  @flags.string({ description: 'New password (8+ characters); generated when omitted' })
  declare password?: string

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: User } = await import('#models/user')
    const { audit } = await import('#services/audit')

    const user = await User.findByEmail(this.email)
    if (!user) {
      this.logger.error(`No user with email ${this.email}`)
      this.exitCode = 1
      return
    }
    if (this.password !== undefined && (this.password.length < 8 || this.password.length > 128)) {
      this.logger.error('password: must be 8 to 128 characters')
      this.exitCode = 1
      return
    }
    const password = this.password ?? randomBytes(12).toString('base64url')
    await db.transaction(async (trx) => {
      user.useTransaction(trx)
      user.password = password
      await user.save()
      // Whoever held the old password loses every way in.
      await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      await trx.from('sessions').where('user_id', String(user.id)).delete()
      await audit(
        null,
        {
          action: 'user.password_reset',
          subjectType: 'user',
          subjectId: user.id,
          data: { via: 'cli' },
        },
        trx
      )
    })
    this.logger.success(`Password reset for ${user.email}`)
    if (!this.password) this.logger.info(`Password: ${password} (shown once)`)
  }
}
