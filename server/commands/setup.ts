import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class Setup extends BaseCommand {
  static commandName = 'switchboard:setup'
  static description =
    'First start: create the admin, the Support team and demo data into an empty database'
  static options: CommandOptions = { startApp: true }

  async run() {
    // Imported here: command files load before the app boots.
    const { default: env } = await import('#start/env')
    const { default: SetupService } = await import('#services/setup_service')
    const result = await new SetupService().run({
      email: env.get('ADMIN_EMAIL'),
      password: env.get('ADMIN_PASSWORD'),
      demo: env.get('SEED_DEMO', true),
    })
    if (!result.created) {
      this.logger.info('Database already set up')
      return
    }
    const box = this.ui.sticker().heading('Switchboard is set up')
    box.add(`Admin email:    ${result.email}`)
    if (result.generatedPassword) {
      box.add(`Admin password: ${result.generatedPassword}`)
      box.add('This password is shown once. Change it after logging in.')
    } else {
      box.add('Admin password: from ADMIN_PASSWORD')
    }
    box.add(`Team:           ${result.team?.name}`)
    box.render()
  }
}
