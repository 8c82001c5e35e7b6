import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import string from '@adonisjs/core/helpers/string'

export interface ListParams {
  page?: number
  perPage?: number
  sort?: string
}

export const DEFAULT_PER_PAGE = 25

/** `-lastMessageAt` → ['last_message_at', 'desc']. */
export function parseSort(sort: string | undefined, fallback: string): [string, 'asc' | 'desc'] {
  const value = sort ?? fallback
  const desc = value.startsWith('-')
  return [string.snakeCase(desc ? value.slice(1) : value), desc ? 'desc' : 'asc']
}

/**
 * Runs a list query and answers `{data, meta: {total, page, perPage}}`.
 * The id breaks ties so pages never overlap or skip rows.
 */
export async function paginate<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  params: ListParams,
  defaultSort = '-id',
  table?: string
) {
  const page = params.page ?? 1
  const perPage = params.perPage ?? DEFAULT_PER_PAGE
  const [column, direction] = parseSort(params.sort, defaultSort)
  const prefix = table ? `${table}.` : ''
  query.orderBy(`${prefix}${column}`, direction)
  if (column !== 'id') query.orderBy(`${prefix}id`, direction)
  const result = await query.paginate(page, perPage)
  return {
    data: result.all() as InstanceType<Model>[],
    meta: { total: result.total, page, perPage },
  }
}
