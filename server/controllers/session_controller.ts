import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import LoginService from '#services/login_service'
import { loginValidator } from '#validators/auth'
import { audit } from '#services/audit'
import AuditLog from '#models/audit_log'
import { paginate } from '#services/listing'
import { pageFieldsValidator } from '#validators/common'
import { presentUser } from '#services/presenters'
import User from '#models/user'

export default class SessionController {
  /** POST /api/v1/auth/login: a session cookie for the panel. */
  @inject()
  async store(ctx: HttpContext, login: LoginService) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    const user = await login.verify(email, password, 'session')
    await ctx.auth.use('web').login(user)
    // Tagged sessions can be revoked when the account is disabled or its password reset.
    await ctx.session.tag(String(user.id))
    return { data: await presentUser(user) }
  }

  /** POST /api/v1/auth/logout: the session is destroyed server-side. */
  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    if (user.currentAccessToken) {
      // A bearer client logging out revokes the token it used.
      await User.accessTokens.delete(user, user.currentAccessToken.identifier)
    } else {
      await ctx.auth.use('web').logout()
      ctx.session.clear()
    }
    await audit(ctx, { action: 'auth.logout', actorId: user.id })
    return ctx.response.noContent()
  }

  /** GET /api/v1/me */
  async me({ auth }: HttpContext) {
    return { data: await presentUser(auth.getUserOrFail()) }
  }

  /** GET /api/v1/me/logins: the caller's login history. */
  async logins({ auth, request }: HttpContext) {
    const params = await request.validateUsing(pageFieldsValidator)
    const user = auth.getUserOrFail()
    const query = AuditLog.query()
      .where('actor_id', user.id)
      .whereIn('action', ['auth.login', 'auth.login_failed'])
    return paginate(query, params, '-id')
  }
}
