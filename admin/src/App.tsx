import { Authenticated, Refine } from '@refinedev/core'
import routerProvider, {
  CatchAllNavigate,
  DocumentTitleHandler,
  UnsavedChangesNotifier,
} from '@refinedev/react-router'
import { BrowserRouter, Outlet, Route, Routes } from 'react-router'
import { App as AntdApp, ConfigProvider } from 'antd'
import '@refinedev/antd/dist/reset.css'
import { dataProvider } from './providers/data_provider'
import { authProvider } from './providers/auth_provider'
import { accessControlProvider } from './providers/access_control'
import { liveProvider } from './providers/live_provider'
import type { ResourceModule } from './lib/resource'
import { page } from './lib/resource'
import { useNotificationProvider } from './providers/notification_provider'
import { PanelLayout } from './components/layout'

// Every resource folder registers itself (see lib/resource.tsx).
const modules = Object.values(
  import.meta.glob<{ default: ResourceModule }>('./resources/*/index.tsx', { eager: true })
).map((m) => m.default)
const resources = modules
  .flatMap((m) => m.resources)
  .sort((a, b) => (a.meta?.order ?? 99) - (b.meta?.order ?? 99))

export default function App() {
  return (
    <BrowserRouter basename="/admin">
      <ConfigProvider theme={{ token: { colorPrimary: '#3056d3' } }}>
        <AntdApp>
          <Refine
            dataProvider={dataProvider}
            authProvider={authProvider}
            accessControlProvider={accessControlProvider}
            liveProvider={liveProvider}
            routerProvider={routerProvider}
            notificationProvider={useNotificationProvider}
            resources={resources}
            options={{
              syncWithLocation: true,
              warnWhenUnsavedChanges: true,
              liveMode: 'auto',
              disableTelemetry: true,
              title: { text: 'Switchboard' },
            }}
          >
            <Routes>
              <Route
                element={
                  <Authenticated key="app" fallback={<CatchAllNavigate to="/login" />}>
                    <PanelLayout>
                      <Outlet />
                    </PanelLayout>
                  </Authenticated>
                }
              >
                {modules.map((m, i) => (
                  <Route key={i}>{m.routes}</Route>
                ))}
                <Route path="*" element={page(() => import('./pages/not_found'))} />
              </Route>
              <Route path="/login" element={page(() => import('./pages/login'))} />
            </Routes>
            <UnsavedChangesNotifier />
            <DocumentTitleHandler
              handler={({ resource }) =>
                resource?.meta?.label ? `${resource.meta.label} · Switchboard` : 'Switchboard'
              }
            />
          </Refine>
        </AntdApp>
      </ConfigProvider>
    </BrowserRouter>
  )
}
