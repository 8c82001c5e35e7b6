import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import RuleService from '#automation/rule_service'
import { customEventValidator } from '#validators/rule'

/** Custom events from a company's own systems: they trigger the team's `custom` rules. */
@inject()
export default class EventsController {
  constructor(protected rules: RuleService) {}

  async store({ auth, request, response }: HttpContext) {
    const input = await request.validateUsing(customEventValidator)
    const result = await this.rules.customEvent(auth.getUserOrFail(), input)
    response.status(202)
    return { data: result }
  }
}
