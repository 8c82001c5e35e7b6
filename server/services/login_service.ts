import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import limiter from '@adonisjs/limiter/services/main'
import { Exception } from '@adonisjs/core/exceptions'
import User from '#models/user'
import { audit } from '#services/audit'
import clock from '#services/clock'

/** 5 failed attempts per email and IP within 15 minutes, then a 15-minute block. */
const loginLimiter = () =>
  limiter.use({ requests: 5, duration: '15 mins', blockDuration: '15 mins' })

/**
 * Verifies credentials for the session login and for token creation alike,
 * throttles failures per email+IP, and records every attempt in the audit
 * log (which doubles as the login history).
 */
@inject()
export default class LoginService {
  constructor(protected ctx: HttpContext) {}

  async verify(email: string, password: string, via: 'session' | 'token'): Promise<User> {
    const key = `login_${email.toLowerCase()}_${this.ctx.request.ip()}`
    const [throttled, user] = await loginLimiter()
      .penalize(key, () => User.verifyCredentials(email, password))
      .catch(async (error) => {
        const known = await User.findByEmail(email)
        await audit(this.ctx, {
          action: 'auth.login_failed',
          actorId: known?.id ?? null,
          data: { email: email.toLowerCase(), via, result: 'invalid_credentials' },
        })
        throw error
      })

    if (throttled) {
      await audit(this.ctx, {
        action: 'auth.login_throttled',
        data: { email: email.toLowerCase(), via, result: 'throttled' },
      })
      throw throttled
    }

    if (user.disabledAt) {
      await audit(this.ctx, {
        action: 'auth.login_failed',
        actorId: user.id,
        data: { email: user.email, via, result: 'disabled' },
      })
      throw new Exception('This account is disabled', { status: 403, code: 'E_ACCOUNT_DISABLED' })
    }

    user.lastLoginAt = clock.now()
    await user.save()
    await audit(this.ctx, {
      action: 'auth.login',
      actorId: user.id,
      data: { email: user.email, via, result: 'ok' },
    })
    return user
  }
}
