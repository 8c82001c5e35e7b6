import type User from '#models/user'
import { BasePolicy, AuthorizationResponse } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'

export default class AuditLogPolicy extends BasePolicy {
  viewList(user: User): AuthorizerResponse {
    return user.role === 'admin' || AuthorizationResponse.deny('Admins only', 403)
  }
}
