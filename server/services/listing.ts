import db from '@adonisjs/lucid/services/db'
import string from '@adonisjs/core/helpers/string'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'

export interface ListParams {
  page?: number
  perPage?: number
  sort?: string
}

export interface ListMeta {
  total: number
  page: number
  perPage: number
  /** True when there are more than COUNT_CAP matches and `total` stops there. */
  totalCapped: boolean
}

export const DEFAULT_PER_PAGE = 25

/**
 * Lists count their matches up to this many. Counting every row of a large
 * result costs more than the page itself (an exact count of 100k
 * conversations is a full index scan); beyond this, "1,000+" is the answer,
 * as search engines do.
 */
export const COUNT_CAP = 1000

/** `%text%` for ILIKE, with LIKE's wildcards in the text matched literally. */
export function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`
}

/** `-lastMessageAt` → ['last_message_at', 'desc']. */
export function parseSort(sort: string | undefined, fallback: string): [string, 'asc' | 'desc'] {
  const value = sort ?? fallback
  const desc = value.startsWith('-')
  return [string.snakeCase(desc ? value.slice(1) : value), desc ? 'desc' : 'asc']
}

export function pageOf(params: ListParams) {
  const page = params.page ?? 1
  const perPage = params.perPage ?? DEFAULT_PER_PAGE
  return { page, perPage, offset: (page - 1) * perPage }
}

type Countable = ModelQueryBuilderContract<LucidModel> | DatabaseQueryBuilderContract

/** SQL counting the rows a query matches, stopping at COUNT_CAP + 1. */
export function countSql(query: Countable): { sql: string; bindings: readonly unknown[] } {
  const { sql, bindings } = query
    .clone()
    .clearOrder()
    .clearSelect()
    .select(db.raw('1'))
    .limit(COUNT_CAP + 1)
    .toSQL()
  return { sql: `SELECT count(*)::int AS n FROM (${sql}) AS matches`, bindings }
}

export function capped(n: number): { total: number; totalCapped: boolean } {
  return { total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP }
}

export async function runCount(count: { sql: string; bindings: readonly unknown[] }) {
  const result = await db.rawQuery(count.sql, count.bindings as never)
  return capped(Number(result.rows[0].n))
}

/** Counts the rows a query matches, stopping at COUNT_CAP + 1. */
export function cappedCount(query: Countable) {
  return runCount(countSql(query))
}

/**
 * Runs a list query and answers `{data, meta: {total, page, perPage, totalCapped}}`.
 * The id breaks ties so pages never overlap or skip rows.
 */
export async function paginate<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  params: ListParams,
  defaultSort = '-id',
  table?: string
): Promise<{ data: InstanceType<Model>[]; meta: ListMeta }> {
  const { page, perPage, offset } = pageOf(params)
  const [column, direction] = parseSort(params.sort, defaultSort)
  const prefix = table ? `${table}.` : ''
  const counted = cappedCount(query)
  query.orderBy(`${prefix}${column}`, direction)
  if (column !== 'id') query.orderBy(`${prefix}id`, direction)
  const [rows, count] = await Promise.all([query.limit(perPage).offset(offset), counted])
  return { data: rows as InstanceType<Model>[], meta: { ...count, page, perPage } }
}
