import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'

/** Web processes also work jobs and run channels unless RUN_WORKER=false. */
export default class MessagingProvider {
  #started = false

  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web' || env.get('RUN_WORKER') === false) return
    const { startWorker } = await import('#messaging/worker')
    await startWorker()
    this.#started = true
  }

  async shutdown() {
    // A process that never ran the worker has nothing to stop, and loading it
    // during an ace command's shutdown would touch a closed connection. Tests
    // start the worker themselves, so the test runner always stops it.
    if (!this.#started && this.app.getEnvironment() !== 'test') return
    const { stopWorker } = await import('#messaging/worker')
    await stopWorker()
  }
}
