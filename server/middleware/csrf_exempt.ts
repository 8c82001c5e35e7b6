import type { HttpContext } from '@adonisjs/core/http'

export function hasBearerToken(ctx: HttpContext): boolean {
  return /^bearer\s+\S/i.test(ctx.request.header('authorization') ?? '')
}

/**
 * CSRF exists because browsers attach cookies on their own. The login
 * request proves itself with the password, so it needs no token (the
 * SameSite=Lax cookie covers login CSRF). Bearer requests never reach the
 * CSRF check (see browser_state_middleware.ts); the test here is a backstop.
 */
export function csrfExempt(ctx: HttpContext): boolean {
  return hasBearerToken(ctx) || ctx.request.url() === '/api/v1/auth/login'
}
