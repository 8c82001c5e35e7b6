import { defineConfig } from '@adonisjs/auth'
import { sessionGuard } from '@adonisjs/auth/session'
import { tokensGuard } from '@adonisjs/auth/access_tokens'
import { SessionUserProvider, TokensUserProvider } from '#services/auth_user_providers'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

const authConfig = defineConfig({
  default: 'web',
  guards: {
    // The panel: an HttpOnly session cookie.
    web: sessionGuard({
      useRememberMeTokens: false,
      provider: new SessionUserProvider({
        model: () => import('#models/user'),
      }),
    }),
    // API clients: opaque bearer tokens, stored hashed.
    api: tokensGuard({
      provider: new TokensUserProvider({
        tokens: 'accessTokens',
        model: () => import('#models/user'),
      }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
