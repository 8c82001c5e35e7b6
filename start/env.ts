/*
| Environment variables, validated at boot. Every variable is documented
| in .env.example and the README.
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum.optional(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  // bin/launch.ts sets it to the embedded server when it is unset.
  DATABASE_URL: (name: string, value?: string) => {
    if (!value || !/^postgres(ql)?:\/\/[^\s]+$/.test(value)) {
      throw new Error(`${name} must be a postgres:// URL`)
    }
    return value
  },
  DB_POOL_MAX: Env.schema.number.optional(),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'database'] as const),
  CORS_ORIGIN: Env.schema.string.optional(),

  // First start: the admin account created into an empty database.
  ADMIN_EMAIL: Env.schema.string.optional({ format: 'email' }),
  ADMIN_PASSWORD: Env.schema.string.optional(),
  SEED_DEMO: Env.schema.boolean.optional(),

  // Where platforms reach this server (Telegram webhooks); unset: polling only.
  PUBLIC_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  // Web processes also run the job worker unless this is false.
  RUN_WORKER: Env.schema.boolean.optional(),
  WORKER_CONCURRENCY: Env.schema.number.optional(),
  // Seconds a job may run before another worker takes it over.
  JOB_EXPIRE_SECONDS: Env.schema.number.optional(),
  // Workers also run the clock (Bree: schedules, inactivity, waits) unless this is false; one holds it at a time.
  RUN_SCHEDULER: Env.schema.boolean.optional(),
  // Days the rules' log, handled events and the inbound ledger are kept.
  RETENTION_DAYS: Env.schema.number.optional(),

  // The assistant's OpenAI-compatible chat model; without OPENAI_MODEL it quotes the best passage.
  OPENAI_BASE_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  OPENAI_API_KEY: Env.schema.secret.optional(),
  OPENAI_MODEL: Env.schema.string.optional(),
  // Dollars per million prompt / completion tokens, for the usage cost estimate.
  OPENAI_PRICE_INPUT_PER_1M: Env.schema.number.optional(),
  OPENAI_PRICE_OUTPUT_PER_1M: Env.schema.number.optional(),
  // Embeddings for dense retrieval (used only where the database has pgvector); the
  // dimensions are required for models other than OpenAI's text-embedding-3 / ada-002.
  OPENAI_EMBEDDINGS_MODEL: Env.schema.string.optional(),
  OPENAI_EMBEDDINGS_DIMENSIONS: Env.schema.number.optional(),

  // Importing knowledge from a URL on a loopback or private address (off: no proxying into our network).
  KNOWLEDGE_IMPORT_PRIVATE_URLS: Env.schema.boolean.optional(),

  // Live updates fan out through Redis to every process; unset: per process.
  REDIS_URL: (name: string, value?: string) => {
    if (value && !/^rediss?:\/\/[^\s]+$/.test(value)) {
      throw new Error(`${name} must be a redis:// or rediss:// URL`)
    }
    return value || undefined
  },
})
