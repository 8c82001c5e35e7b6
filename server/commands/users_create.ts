import { randomBytes } from 'node:crypto'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class UsersCreate extends BaseCommand {
  static commandName = 'users:create'
  static description = 'Create a user. Prints a generated password when --password is not given.'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email address', required: true })
  declare email: string

  @flags.string({ description: 'admin | supervisor | operator', default: 'operator' })
  declare role: string

  @flags.array({ description: 'Team name or id (repeatable)' })
  declare team?: string[]

  @flags.string({ description: 'Full name' })
  declare name?: string

  @flags.string({ description: 'Password (8+ characters); generated when omitted' })
  declare password?: string

  async run() {
    const { errors } = await import('@vinejs/vine')
    const { createUserValidator } = await import('#validators/user')
    const { default: UserService } = await import('#services/user_service')
    const { default: Team } = await import('#models/team')

    const teamIds: number[] = []
    for (const ref of this.team ?? []) {
      const team = /^\d+$/.test(ref)
        ? await Team.find(Number(ref))
        : await Team.query().whereRaw('lower(name) = lower(?)', [ref]).first()
      if (!team) return this.fail(`No team named "${ref}"`)
      teamIds.push(team.id)
    }

    const generated = this.password ? undefined : randomBytes(12).toString('base64url')
    try {
      const input = await createUserValidator.validate({
        email: this.email,
        role: this.role,
        fullName: this.name,
        password: this.password ?? generated,
        teamIds,
      })
      const user = await new UserService().create(null, input)
      this.logger.success(`Created ${user.role} ${user.email} (id ${user.id})`)
      if (generated) this.logger.info(`Password: ${generated} (shown once)`)
    } catch (error) {
      if (error instanceof errors.E_VALIDATION_ERROR) {
        const messages = error.messages as Array<{ field: string; message: string }>
        return this.fail(messages.map((m) => `${m.field}: ${m.message}`).join('; '))
      }
      return this.fail((error as Error).message)
    }
  }

  protected fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
