import type { HttpContext } from '@adonisjs/core/http'

/** Routes whose body carries the credentials themselves. */
const CREDENTIAL_ROUTES = new Set(['/api/v1/auth/login', '/api/v1/auth/tokens'])

/**
 * CSRF exists because browsers attach cookies on their own. A request with
 * `Authorization: Bearer` was built by a client holding the token, and a
 * login request proves itself with the password, so neither needs the token.
 */
export function csrfExempt(ctx: HttpContext): boolean {
  const authorization = ctx.request.header('authorization') ?? ''
  if (/^bearer\s+\S/i.test(authorization)) return true
  const path = ctx.request.url()
  return CREDENTIAL_ROUTES.has(path) || path.startsWith('/webhooks/')
}
