import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class AdminTypes extends BaseCommand {
  static commandName = 'admin:types'
  static description =
    "Regenerate the panel's API types (admin/src/api/schema.d.ts) from the OpenAPI document"
  static options: CommandOptions = { startApp: true }

  async run() {
    const { writeFile } = await import('node:fs/promises')
    const { apiTypes, API_TYPES_FILE } = await import('#services/api_types')
    await writeFile(API_TYPES_FILE, await apiTypes())
    this.logger.success(`Wrote ${this.app.relativePath(API_TYPES_FILE)}`)
  }
}
