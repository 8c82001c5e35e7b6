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
    // Only a process that started the worker stops it: loading it during an
    // ace command's shutdown would touch a database connection already closed.
    if (!this.#started) return
    const { stopWorker } = await import('#messaging/worker')
    await stopWorker()
  }
}
