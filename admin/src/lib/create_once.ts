import { useState } from 'react'
import { useForm } from '@refinedev/antd'
import { scrollToFirstError } from './form_errors'

/**
 * A create form whose answer carries what is shown only once (keys, secrets,
 * URLs to copy): the page stays put after saving and shows `created`.
 */
export function useCreateShownOnce<T extends { name?: string | null }, F extends {}>(
  resource: string,
  noun: string
) {
  const [created, setCreated] = useState<T | null>(null)
  const result = useForm<T, any, F>({
    resource,
    action: 'create',
    redirect: false,
    successNotification: (data) => ({
      type: 'success',
      message: `${noun} “${data?.data?.name}” created`,
    }),
    onMutationSuccess: (data) => setCreated(data.data),
    onMutationError: () => scrollToFirstError(result.form),
  })
  return { ...result, created }
}
