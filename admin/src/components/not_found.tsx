import type { HttpError } from '@refinedev/core'
import { Alert, Button, Result } from 'antd'
import { useNavigate } from 'react-router'

/** A page or record that does not exist, or is not the user's to see: the same answer. */
export function NotFound() {
  const navigate = useNavigate()
  return (
    <Result
      status="404"
      title="Not found"
      subTitle="This page does not exist, or it is not yours to see."
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          Back to the dashboard
        </Button>
      }
    />
  )
}

/** A record that could not be loaded: not found like any other page, other failures as they are. */
export function LoadError({ error }: { error: HttpError }) {
  if (error.statusCode === 404) return <NotFound />
  return <Alert type="error" showIcon message={error.message} />
}
