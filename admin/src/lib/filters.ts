import { useEffect, useState } from 'react'
import type { CrudFilter, CrudFilters } from '@refinedev/core'

/**
 * A list page's filters as single values, read back from the URL: one field
 * at a time, merged into the others; an empty value removes the filter.
 */
export function useFilterValues(
  filters: CrudFilters,
  setFilters: (filters: CrudFilter[], behavior: 'merge' | 'replace') => void
) {
  return {
    filter: (field: string) =>
      filters.find((f) => 'field' in f && f.field === field)?.value as any,
    setFilter: (field: string, value: unknown) =>
      setFilters(
        [{ field, operator: 'eq', value: value === '' ? undefined : (value ?? undefined) }],
        'merge'
      ),
    clear: () => setFilters([], 'replace'),
  }
}

/**
 * A search box that types freely: the list follows on Enter (`apply` given
 * by the caller) or after a pause, and the box follows the URL's `q`.
 */
export function useSearchBox(q: string, apply: (value: string | undefined) => void) {
  const [search, setSearch] = useState(q)
  useEffect(() => setSearch(q), [q])
  useEffect(() => {
    if (search.trim() === q) return
    const timer = setTimeout(() => apply(search.trim() || undefined), 400)
    return () => clearTimeout(timer)
  }, [search])
  return [search, setSearch] as const
}
