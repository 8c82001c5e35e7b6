import type { AuthProvider } from '@refinedev/core'
import { api } from './http'
import { forgetMe, me, rememberMe, type Me } from './session'
import { stopLive } from './live_provider'

const LOGIN = '/login'

/** Session-cookie sign-in; a 401 anywhere sends the user to the login page and back after. */
export const authProvider: AuthProvider = {
  async login({ email, password, to }) {
    try {
      const body = await api<{ data: Me }>('POST', '/auth/login', { body: { email, password } })
      rememberMe(body.data)
      return { success: true, redirectTo: to && to.startsWith('/') ? to : '/' }
    } catch (error: any) {
      const fields = error?.errors ?? {}
      const first = Object.values(fields)[0] as string[] | undefined
      return {
        success: false,
        error: {
          name: error?.statusCode === 429 ? 'Too many attempts' : 'Sign-in failed',
          message: error?.message && error.statusCode !== 422 ? error.message : (first?.[0] ?? 'Check the email and password.'),
        },
      }
    }
  },

  async logout() {
    await api('POST', '/auth/logout').catch(() => undefined)
    forgetMe()
    stopLive()
    return { success: true, redirectTo: LOGIN }
  },

  async check() {
    const user = await me().catch(() => null)
    if (user) return { authenticated: true }
    return { authenticated: false, logout: true, redirectTo: LOGIN }
  },

  async onError(error) {
    if (error?.statusCode === 401) {
      forgetMe()
      stopLive()
      // Back to this page after signing in again.
      const here = window.location.pathname.replace(/^\/admin/, '') + window.location.search
      const to = here && here !== '/' ? `?to=${encodeURIComponent(here)}` : ''
      return { logout: true, redirectTo: LOGIN + to, error }
    }
    return {}
  },

  async getIdentity() {
    const user = await me().catch(() => null)
    return user ? { ...user, name: user.fullName || user.email } : null
  },

  async getPermissions() {
    return (await me().catch(() => null))?.role ?? null
  },
}
