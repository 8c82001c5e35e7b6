import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import encryption from '@adonisjs/core/services/encryption'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import type { ShieldConfig } from '@adonisjs/shield/types'
import { hasBearerToken } from '#middleware/csrf_exempt'

/** Requests that never belong to a browser session. */
function isStateless(ctx: HttpContext): boolean {
  const path = ctx.request.url()
  if (path === '/health' || path.startsWith('/webhooks/')) return true
  // The panel's hashed scripts and styles: no session row per file.
  if (path.startsWith('/admin/assets/')) return true
  // An API channel's app authenticates with its inbound key, never a cookie.
  if (/^\/api\/v1\/channels\/\d+\/inbound$/.test(path)) return true
  // Trading credentials for a bearer token needs no session.
  return path === '/api/v1/auth/tokens' && ctx.request.method() === 'POST'
}

let headersOnly: ShieldMiddleware | undefined

/**
 * The session (and the CSRF secret it keeps) exists for the panel in a
 * browser. API clients with a bearer token, health probes and platform
 * webhooks get the security headers but no session: otherwise every such
 * request would write a session row, and /health would depend on it.
 */
@inject()
export default class BrowserStateMiddleware {
  constructor(
    protected session: SessionMiddleware<any>,
    protected shield: ShieldMiddleware
  ) {}

  async handle(ctx: HttpContext, next: NextFn) {
    if (hasBearerToken(ctx) || isStateless(ctx)) {
      headersOnly ??= new ShieldMiddleware(
        { ...app.config.get<ShieldConfig>('shield'), csrf: { enabled: false } },
        encryption.use()
      )
      return headersOnly.handle(ctx, next)
    }
    return this.session.handle(ctx, () => this.shield.handle(ctx, next))
  }
}
