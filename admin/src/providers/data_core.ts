/*
| The pure half of the data provider: Refine's list parameters to our query
| string, and our error bodies to Refine's HttpError. No React, no fetch, so
| the unit tests import it directly.
*/
import type { CrudFilter, CrudSort, HttpError, Pagination } from '@refinedev/core'

export type ListMeta = { total: number; page: number; perPage: number; totalCapped?: boolean }
export type ApiList<T> = { data: T[]; meta: ListMeta }
export type ApiError = { field?: string; rule?: string; message: string }

const MAX_PER_PAGE = 100

/** Refine's pagination, sorters and filters as the API's query parameters. */
export function listQuery(params: {
  pagination?: Pagination
  sorters?: CrudSort[]
  filters?: CrudFilter[]
}): URLSearchParams {
  const query = new URLSearchParams()
  const { pagination, sorters, filters } = params
  if (pagination && pagination.mode !== 'off') {
    query.set('page', String(Math.max(1, pagination.currentPage ?? 1)))
    query.set('perPage', String(Math.min(MAX_PER_PAGE, Math.max(1, pagination.pageSize ?? 20))))
  }
  // The API sorts by one field; the first sorter wins.
  const [sorter] = sorters ?? []
  if (sorter) query.set('sort', sorter.order === 'desc' ? `-${sorter.field}` : sorter.field)
  for (const filter of filters ?? []) {
    if (!('field' in filter)) continue // and/or groups have no API equivalent
    const value = filter.value
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      if (value.length === 0) continue
      if (filter.operator === 'between' && value.length === 2) {
        query.set(`${filter.field}From`, String(value[0]))
        query.set(`${filter.field}To`, String(value[1]))
        continue
      }
      query.set(filter.field, value.map(String).join(','))
      continue
    }
    query.set(filter.field, String(value))
  }
  return query
}

/** `{data, meta}` as Refine's `{data, total}`; a capped total stays a lower bound. */
export function fromList<T>(body: ApiList<T>): { data: T[]; total: number } {
  return { data: body.data, total: body.meta?.total ?? body.data.length }
}

const FALLBACK: Record<number, string> = {
  400: 'The request was malformed.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with something that already exists.',
  413: 'That is too large.',
  422: 'Some fields need attention.',
  429: 'Too many attempts.',
}

/**
 * An API error body as Refine's HttpError. Each `{field, message}` lands on
 * `errors[field]`, where `field` is the API's dotted path (`actions.1.url`):
 * Refine's antd forms split it into the form's name path.
 */
export function toHttpError(status: number, body: unknown, retryAfter?: string | null): HttpError {
  const list: ApiError[] =
    body && typeof body === 'object' && Array.isArray((body as any).errors)
      ? (body as any).errors
      : []
  const errors: Record<string, string[]> = {}
  for (const error of list) {
    if (!error.field) continue
    ;(errors[error.field] ??= []).push(error.message)
  }
  const general = list.find((e) => !e.field)?.message
  let message = general ?? list[0]?.message ?? FALLBACK[status] ?? `Request failed (${status}).`
  if (status === 429 && retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) {
      message = `${message.replace(/[.!]?$/, '.')} Try again in ${waitText(seconds)}.`
    }
  }
  return { statusCode: status, message, errors: Object.keys(errors).length ? errors : undefined }
}

/** 75 → "2 minutes", 30 → "30 seconds". */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
