import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'

/** Web processes also work jobs and run channels unless RUN_WORKER=false. */
export default class MessagingProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web' || env.get('RUN_WORKER') === false) return
    const { startWorker } = await import('#messaging/worker')
    await startWorker()
  }

  async shutdown() {
    const { stopWorker } = await import('#messaging/worker')
    await stopWorker()
  }
}
