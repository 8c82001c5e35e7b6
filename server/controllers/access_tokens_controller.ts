import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import LoginService from '#services/login_service'
import { createTokenValidator } from '#validators/auth'
import { audit } from '#services/audit'

export default class AccessTokensController {
  /** POST /api/v1/auth/tokens: trade credentials for a bearer token (shown once). */
  @inject()
  async store(ctx: HttpContext, login: LoginService) {
    const { email, password, name, expiresInDays } =
      await ctx.request.validateUsing(createTokenValidator)
    const user = await login.verify(email, password, 'token')
    const token = await User.accessTokens.create(user, ['*'], {
      name,
      expiresIn: expiresInDays ? `${expiresInDays} days` : undefined,
    })
    await audit(ctx, {
      action: 'auth.token_created',
      actorId: user.id,
      subjectType: 'token',
      subjectId: String(token.identifier),
      data: { name },
    })
    ctx.response.status(201)
    return {
      data: {
        id: Number(token.identifier),
        name: token.name,
        token: token.value!.release(),
        expiresAt: token.expiresAt,
        createdAt: token.createdAt,
      },
    }
  }

  /** GET /api/v1/auth/tokens: the caller's tokens, without their secrets. */
  async index({ auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const tokens = await User.accessTokens.all(user)
    return {
      data: tokens.map((t) => ({
        id: Number(t.identifier),
        name: t.name,
        lastUsedAt: t.lastUsedAt,
        expiresAt: t.expiresAt,
        createdAt: t.createdAt,
      })),
    }
  }

  /** DELETE /api/v1/auth/tokens/:id: revoked at once; another user's token is a 404. */
  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const id = ctx.request.param('id')
    const deleted = await User.accessTokens.delete(user, id)
    if (!deleted) return ctx.response.notFound({ errors: [{ message: 'Not found' }] })
    await audit(ctx, {
      action: 'auth.token_revoked',
      actorId: user.id,
      subjectType: 'token',
      subjectId: id,
    })
    return ctx.response.noContent()
  }
}
