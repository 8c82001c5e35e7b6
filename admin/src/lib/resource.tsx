import { lazy, Suspense, type ComponentType, type ReactElement } from 'react'
import type { ResourceProps } from '@refinedev/core'
import { Spin } from 'antd'

/**
 * What each `resources/<name>/index.tsx` exports by default: its Refine
 * resource definitions (menu order in `meta.order`) and its routes. App.tsx
 * collects them, so a new resource is one new folder.
 */
export type ResourceModule = {
  resources: ResourceProps[]
  routes: ReactElement
}

const fallback = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
)

/** A page loaded on demand: each route is its own chunk. */
export function page(load: () => Promise<{ default: ComponentType<any> }>): ReactElement {
  const Page = lazy(load)
  return (
    <Suspense fallback={fallback}>
      <Page />
    </Suspense>
  )
}
