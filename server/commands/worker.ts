import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class Worker extends BaseCommand {
  static commandName = 'worker'
  static description = 'Process jobs and run channels without serving HTTP (scale out with more)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    const { startWorker, stopWorker } = await import('#messaging/worker')
    await startWorker()
    this.logger.info('worker running; Ctrl-C stops it')
    const stop = async () => {
      await stopWorker()
      await this.terminate()
    }
    process.once('SIGTERM', () => void stop())
    process.once('SIGINT', () => void stop())
  }
}
