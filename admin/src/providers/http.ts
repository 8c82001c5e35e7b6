import type { HttpError } from '@refinedev/core'
import { toHttpError } from './data_core'

/** Where the panel is mounted; the API is on the same origin. */
export const API = '/api/v1'

function xsrfToken(): string | undefined {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : undefined
}

/** Headers every request carries: JSON, and the CSRF echo for cookie-authenticated writes. */
export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra }
  const token = xsrfToken()
  if (token) headers['x-xsrf-token'] = token
  return headers
}

export type RequestOptions = { query?: URLSearchParams | Record<string, unknown>; body?: unknown }

/**
 * One fetch for the whole panel. Non-2xx answers become Refine's HttpError,
 * with the API's `{errors:[{field,message}]}` keyed by field path so forms
 * put each message under its own input.
 */
export async function api<T = any>(
  method: string,
  path: string,
  opts: RequestOptions = {}
): Promise<T> {
  let url = path.startsWith('/') && !path.startsWith(API) ? API + path : path
  if (opts.query) {
    const query =
      opts.query instanceof URLSearchParams
        ? opts.query
        : new URLSearchParams(
            Object.entries(opts.query)
              .filter(([, v]) => v !== undefined && v !== null && v !== '')
              .map(([k, v]) => [k, String(v)])
          )
    const qs = query.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  const isForm = typeof FormData !== 'undefined' && opts.body instanceof FormData
  let response: Response
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: apiHeaders(
        opts.body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}
      ),
      body:
        opts.body === undefined
          ? undefined
          : isForm
            ? (opts.body as FormData)
            : JSON.stringify(opts.body),
    })
  } catch {
    const error: HttpError = { statusCode: 0, message: 'The server cannot be reached.' }
    throw error
  }
  if (response.status === 204) return undefined as T
  const type = response.headers.get('content-type') ?? ''
  const body = type.includes('json') ? await response.json().catch(() => null) : null
  if (!response.ok) {
    throw toHttpError(response.status, body, response.headers.get('retry-after'))
  }
  return body as T
}
