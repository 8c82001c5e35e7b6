import { api } from './http'

export type Role = 'admin' | 'supervisor' | 'operator'
export type Me = {
  id: number
  email: string
  fullName: string | null
  role: Role
  disabled: boolean
  teams: { id: number; name: string }[]
}

/*
| The signed-in user, fetched once and shared by the auth provider, access
| control and live updates. `undefined` means not asked yet; `null` means
| signed out.
*/
let current: Promise<Me | null> | undefined

export function me(): Promise<Me | null> {
  current ??= api<{ data: Me }>('GET', '/me').then(
    (body) => body.data,
    (error) => {
      current = undefined
      if (error?.statusCode === 401) return null
      throw error
    }
  )
  return current
}

export function forgetMe() {
  current = undefined
}

export function rememberMe(user: Me) {
  current = Promise.resolve(user)
}
