import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  experimental: {},

  // The core lives under server/ rather than app/ (see DESIGN.md "Layout").
  directories: {
    httpControllers: 'server/controllers',
    models: 'server/models',
    services: 'server/services',
    exceptions: 'server/exceptions',
    middleware: 'server/middleware',
    policies: 'server/policies',
    validators: 'server/validators',
    commands: 'server/commands',
    providers: 'server/providers',
    tmp: 'storage/tmp',
  },

  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/cors/cors_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('#providers/messaging_provider'),
    () => import('@adonisjs/transmit/transmit_provider'),
  ],

  preloads: [
    () => import('#start/routes'),
    () => import('#start/kernel'),
    () => import('#start/channels'),
    () => import('#start/transmit'),
  ],

  tests: {
    suites: [
      {
        files: ['tests/unit/**/*.spec.{ts,js}'],
        name: 'unit',
        timeout: 10000,
      },
      {
        // The panel in real Chromium against the real server and database; first,
        // before the functional suite's outage tests have cut the server's connections.
        files: ['tests/e2e/**/*.spec.{ts,js}'],
        name: 'e2e',
        timeout: 180000,
      },
      {
        files: ['tests/functional/**/*.spec.{ts,js}'],
        name: 'functional',
        timeout: 60000,
      },
    ],
    forceExit: false,
  },

  metaFiles: [],
})
