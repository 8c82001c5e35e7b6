import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import HealthService from '#services/health_service'

export default class HealthController {
  /** GET /health: 200 when every check passes, 503 naming the one that failed. */
  @inject()
  async show({ response }: HttpContext, health: HealthService) {
    const { healthy, checks } = await health.run()
    return response.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'error', checks })
  }
}
