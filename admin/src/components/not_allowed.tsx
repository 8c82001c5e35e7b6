import type { ReactNode } from 'react'
import { CanAccess } from '@refinedev/core'
import { Result } from 'antd'

/**
 * A page only some roles may use: others who open its address see why
 * instead of a page the API would refuse piece by piece.
 */
export function Allowed({
  resource,
  action = 'list',
  children,
}: {
  resource: string
  action?: string
  children: ReactNode
}) {
  return (
    <CanAccess
      resource={resource}
      action={action}
      fallback={
        <Result
          status="403"
          title="Not for your role"
          subTitle="An admin can do this for you, or give your account the role it needs."
        />
      }
    >
      {children}
    </CanAccess>
  )
}
