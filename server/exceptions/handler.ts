import app from '@adonisjs/core/services/app'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as lucidErrors } from '@adonisjs/lucid'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'

export interface ApiError {
  field?: string
  rule?: string
  message: string
}

/** PostgreSQL error codes that mean "your input", never "our bug". */
const PG_CLIENT_ERRORS: Record<string, { status: number; rule: string; message: string }> = {
  '23505': { status: 409, rule: 'unique', message: 'A record with these values already exists' },
  '23503': {
    status: 409,
    rule: 'reference',
    message: 'The record is referenced by, or refers to, a missing record',
  },
  '22P02': { status: 400, rule: 'type', message: 'A value has the wrong type' },
  '22003': { status: 400, rule: 'range', message: 'A number is out of range' },
  '22001': { status: 400, rule: 'maxLength', message: 'A value is too long' },
  '2201B': { status: 400, rule: 'regex', message: 'Invalid regular expression' },
}

/** The database is unreachable or restarting: a retry will succeed, so say 503, not 500. */
const DATABASE_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
])

function databaseUnavailable(e: { code?: string; name?: string; message?: string }) {
  return (
    (e.code !== undefined && DATABASE_UNAVAILABLE.has(e.code)) ||
    e.name === 'KnexTimeoutError' ||
    /Connection terminated|not currently accepting connections/.test(e.message ?? '')
  )
}

/**
 * Every error leaves as `{"errors": [{field?, rule?, message}]}` with a 4xx
 * status when the request was at fault. Only a genuine fault is a 500, and it
 * never leaks internals in production.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    const { status, errors, headers } = this.describe(error)
    for (const [name, value] of Object.entries(headers ?? {})) ctx.response.header(name, value)
    return ctx.response.status(status).send({ errors })
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }

  protected describe(error: unknown): {
    status: number
    errors: ApiError[]
    headers?: Record<string, string | number>
  } {
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const messages = error.messages as Array<{ field: string; rule: string; message: string }>
      return {
        status: 422,
        errors: messages.map((m) => ({ field: m.field, rule: m.rule, message: m.message })),
      }
    }
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      return {
        status: 429,
        errors: [{ rule: 'throttle', message: 'Too many attempts. Try again later.' }],
        headers: error.getDefaultHeaders(),
      }
    }
    if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return {
        status: 401,
        errors: [{ rule: 'credentials', message: 'Invalid email or password' }],
      }
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return { status: 401, errors: [{ rule: 'auth', message: 'Authentication required' }] }
    }
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
      // A policy answers 404 for records of another team, so they do not leak.
      const status = error.response.status ?? error.status ?? 403
      const message = status === 404 ? 'Not found' : (error.response.message ?? 'Not allowed')
      return { status, errors: [{ rule: 'authorization', message }] }
    }
    if (error instanceof lucidErrors.E_ROW_NOT_FOUND) {
      return { status: 404, errors: [{ message: 'Not found' }] }
    }

    const e = error as {
      status?: number
      code?: string
      message?: string
      field?: string
      rule?: string
    }
    if (e?.code === 'E_BAD_CSRF_TOKEN') {
      return { status: 403, errors: [{ rule: 'csrf', message: 'Missing or invalid CSRF token' }] }
    }
    if (e?.code && PG_CLIENT_ERRORS[e.code]) {
      const { status, rule, message } = PG_CLIENT_ERRORS[e.code]
      return { status, errors: [{ rule, message }] }
    }
    if (e && databaseUnavailable(e)) {
      return {
        status: 503,
        errors: [{ rule: 'unavailable', message: 'The database is unavailable; retry shortly' }],
        headers: { 'Retry-After': 5 },
      }
    }
    if (e?.code === 'E_REQUEST_ENTITY_TOO_LARGE') {
      return { status: 413, errors: [{ rule: 'size', message: 'Request body is too large' }] }
    }
    if (e?.code === 'E_ROUTE_NOT_FOUND') {
      return { status: 404, errors: [{ message: 'Not found' }] }
    }
    const status =
      typeof e?.status === 'number' && e.status >= 400 && e.status < 600 ? e.status : 500
    if (status < 500) {
      const message =
        e?.code === 'E_ENCODING_UNSUPPORTED' || e?.status === 400
          ? (e.message ?? 'Bad request')
          : (e?.message ?? 'Request failed')
      return { status, errors: [{ field: e.field, rule: e.rule, message }] }
    }
    return {
      status,
      errors: [{ message: this.debug && e?.message ? e.message : 'Internal server error' }],
    }
  }
}
