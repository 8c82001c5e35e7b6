import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'

/** Signs cookies and keys the encryption module: losing it loses every encrypted secret. */
export const appKey = env.get('APP_KEY')

export const appUrl = env.get('APP_URL', `http://localhost:${env.get('PORT', 3333)}`)

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: false,
  // Client IPs are read from X-Forwarded-For only when a proxy on loopback/private nets sets it.
  trustProxy: (address: string) =>
    address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1',
  // `status=open,pending` stays one string; lists from a closed set are validated as such.
  qs: {
    parse: { depth: 5, parameterLimit: 1000, allowSparse: false, arrayLimit: 20, comma: false },
    stringify: { encode: true, encodeValuesOnly: false, arrayFormat: 'indices', skipNulls: false },
  },
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
