import pg from 'pg'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
| bigint ids and counts come back from pg as strings, so the API would say
| "id": "42" where its schema says integer. Ours stay far below 2^53.
*/
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value
})

const dbConfig = defineConfig({
  connection: 'postgres',
  prettyPrintDebugQueries: false,
  connections: {
    postgres: {
      client: 'pg',
      connection: {
        connectionString: env.get('DATABASE_URL'),
      },
      // Give up on an unreachable server within seconds, so /health answers 503 promptly.
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10), acquireTimeoutMillis: 5000 },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: {
        paths: ['database/seeders'],
      },
      // Models declare their columns by hand; no generated schema file.
      schemaGeneration: { enabled: false },
    },
  },
})

export default dbConfig
