import type { DataProvider } from '@refinedev/core'
import { api } from './http'
import { fromList, listQuery, type ApiList } from './data_core'

/**
 * Refine resources map to `/api/v1/<resource>`; a resource may name another
 * path in `meta.path` (`knowledge/collections`). Records answer `{data}`.
 */
const pathOf = (resource: string, meta?: Record<string, any>) => `/${meta?.path ?? resource}`

export const dataProvider: DataProvider = {
  getApiUrl: () => '/api/v1',

  async getList({ resource, pagination, sorters, filters, meta }) {
    const query = listQuery({ pagination, sorters, filters })
    for (const [k, v] of Object.entries(meta?.query ?? {})) {
      if (v !== undefined && v !== null && v !== '') query.set(k, String(v))
    }
    return fromList(await api<ApiList<any>>('GET', pathOf(resource, meta), { query }))
  },

  async getMany({ resource, ids, meta }) {
    const records = await Promise.all(
      ids.map((id) => api<{ data: any }>('GET', `${pathOf(resource, meta)}/${id}`))
    )
    return { data: records.map((r) => r.data) }
  },

  async getOne({ resource, id, meta }) {
    return { data: (await api<{ data: any }>('GET', `${pathOf(resource, meta)}/${id}`)).data }
  },

  async create({ resource, variables, meta }) {
    const body = await api<{ data: any }>('POST', pathOf(resource, meta), { body: variables })
    return { data: body?.data ?? body }
  },

  async update({ resource, id, variables, meta }) {
    const body = await api<{ data: any }>('PATCH', `${pathOf(resource, meta)}/${id}`, {
      body: variables,
    })
    return { data: body?.data ?? body }
  },

  async deleteOne({ resource, id, meta }) {
    await api('DELETE', `${pathOf(resource, meta)}/${id}`)
    return { data: { id } as any }
  },

  async custom({ url, method, payload, query }) {
    const body = await api(method.toUpperCase(), url, { body: payload, query: query as any })
    return { data: body as any }
  },
}
