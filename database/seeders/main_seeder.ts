import env from '#start/env'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import SetupService from '#services/setup_service'

/** `node ace db:seed` performs the same first-start setup as `npm start`. */
export default class MainSeeder extends BaseSeeder {
  async run() {
    const result = await new SetupService().run({
      email: env.get('ADMIN_EMAIL'),
      password: env.get('ADMIN_PASSWORD'),
      demo: env.get('SEED_DEMO', true),
    })
    if (result.generatedPassword) {
      console.log(`Admin: ${result.email} / ${result.generatedPassword} (shown once)`)
    }
  }
}
