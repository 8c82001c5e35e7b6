import { defineConfig } from '@adonisjs/shield'
import { csrfExempt } from '#middleware/csrf_exempt'

const shieldConfig = defineConfig({
  // The API serves JSON only; the panel ships its own CSP with its static files.
  csp: {
    enabled: true,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    reportOnly: false,
  },

  /*
  | CSRF guards every cookie-authenticated write. The panel reads the
  | XSRF-TOKEN cookie and echoes it in X-XSRF-TOKEN. Requests that carry
  | their own credentials are exempt (see csrf_exempt.ts).
  */
  csrf: {
    enabled: true,
    exceptRoutes: csrfExempt,
    enableXsrfCookie: true,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },

  xFrame: { enabled: true, action: 'DENY' },
  hsts: { enabled: true, maxAge: '180 days' },
  contentTypeSniffing: { enabled: true },
})

export default shieldConfig
