import type { AccessControlProvider } from '@refinedev/core'
import { allowed } from './access_rules'
import { me } from './session'

export const accessControlProvider: AccessControlProvider = {
  async can({ resource, action }) {
    const user = await me().catch(() => null)
    const can = allowed(user?.role, resource ?? '', action)
    return can ? { can } : { can, reason: 'Your role does not include this.' }
  },
  options: { buttons: { enableAccessControl: true, hideIfUnauthorized: true } },
}
