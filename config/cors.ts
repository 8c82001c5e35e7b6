import env from '#start/env'
import { defineConfig } from '@adonisjs/cors'

// The panel is served from the same origin; other origins must be listed in CORS_ORIGIN.
const origins = (env.get('CORS_ORIGIN') ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean)

const corsConfig = defineConfig({
  enabled: origins.length > 0,
  origin: origins,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  headers: true,
  exposeHeaders: ['retry-after', 'x-request-id'],
  credentials: true,
  maxAge: 90,
})

export default corsConfig
