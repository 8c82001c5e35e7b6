import { lazy, Suspense, type ComponentType, type ReactElement } from 'react'
import type { ResourceProps } from '@refinedev/core'
import { Spin } from 'antd'
import { Route } from 'react-router'

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

type Load = () => Promise<{ default: ComponentType<any> }>

/**
 * A plain resource under `/<name>`: its list, and whichever of create
 * (`/create`), show (`/:id`) and edit (`/:id/edit`) pages it has.
 */
export function recordResource(
  name: string,
  meta: NonNullable<ResourceProps['meta']>,
  pages: { list: Load; create?: Load; show?: Load; edit?: Load }
): ResourceModule {
  return {
    resources: [
      {
        name,
        list: `/${name}`,
        ...(pages.create && { create: `/${name}/create` }),
        ...(pages.show && { show: `/${name}/:id` }),
        ...(pages.edit && { edit: `/${name}/:id/edit` }),
        meta,
      },
    ],
    routes: (
      <Route path={name}>
        <Route index element={page(pages.list)} />
        {pages.create && <Route path="create" element={page(pages.create)} />}
        {pages.show && <Route path=":id" element={page(pages.show)} />}
        {pages.edit && <Route path=":id/edit" element={page(pages.edit)} />}
      </Route>
    ),
  }
}
