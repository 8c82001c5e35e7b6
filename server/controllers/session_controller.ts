import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import LoginService from '#services/login_service'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { loginValidator, updateMeValidator } from '#validators/auth'
import UserService from '#services/user_service'
import { invalidField } from '#services/team_scope'
import { audit } from '#services/audit'
import AuditLog from '#models/audit_log'
import { paginate } from '#services/listing'
import { pageFieldsValidator } from '#validators/common'
import { presentUser } from '#services/presenters'
import User from '#models/user'

/** Guessing the current password from a borrowed session: 5 tries in 15 minutes. */
const passwordCheckLimiter = () =>
  limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })

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

  /**
   * PATCH /api/v1/me: the caller's name, email and password. A new email or
   * password needs the current password; a new password ends the caller's
   * other sessions (this one and the access tokens stay).
   */
  @inject()
  async update(ctx: HttpContext, users: UserService) {
    const user = await User.findOrFail(ctx.auth.getUserOrFail().id)
    const { currentPassword, ...changes } = await ctx.request.validateUsing(updateMeValidator)
    const newEmail = changes.email !== undefined && changes.email !== user.email
    if (changes.password !== undefined || newEmail) {
      if (!currentPassword) {
        throw invalidField('currentPassword', 'required', 'Enter your current password')
      }
      const [throttled] = await passwordCheckLimiter().penalize(
        `password_check_${user.id}`,
        async () => {
          if (!(await hash.verify(user.password, currentPassword))) {
            throw invalidField('currentPassword', 'current_password', 'This is not your password')
          }
        }
      )
      if (throttled) throw throttled
    }
    await users.update(user, user, changes, ctx)
    if (changes.password !== undefined) {
      const others = db.from('sessions').where('user_id', String(user.id))
      // A bearer request has no session of its own.
      if (!ctx.auth.getUserOrFail().currentAccessToken) others.whereNot('id', ctx.session.sessionId)
      await others.delete()
    }
    return { data: await presentUser(user) }
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
