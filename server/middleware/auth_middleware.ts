import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { errors } from '@adonisjs/auth'

/**
 * Authenticates with a bearer token when one is sent, otherwise with the
 * session cookie. A disabled user is refused on every request, so disabling
 * takes effect at once, whatever credential they still hold.
 */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const bearer = /^bearer\s+\S/i.test(ctx.request.header('authorization') ?? '')
    const guard = bearer ? 'api' : 'web'
    const user = await ctx.auth.authenticateUsing([guard])
    if (user.disabledAt) {
      if (guard === 'web') await ctx.auth.use('web').logout()
      throw new errors.E_UNAUTHORIZED_ACCESS('Account disabled', { guardDriverName: guard })
    }
    return next()
  }
}
