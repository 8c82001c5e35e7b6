import type { HttpError } from '@refinedev/core'
import { Edit, useForm } from '@refinedev/antd'
import { Form } from 'antd'
import type { Contact } from '../../api/types'
import { ContactFields } from './form'
import { toBody, toFormValues, type ContactValues } from './values'
import { NotFound } from '../../components/not_found'

export default function ContactEdit() {
  const { formProps, saveButtonProps, onFinish, query } = useForm<
    Contact,
    HttpError,
    ContactValues,
    ContactValues
  >({
    resource: 'contacts',
    action: 'edit',
    redirect: 'show',
    errorNotification: (error) =>
      error?.statusCode === 404 ? false : { type: 'error', message: error?.message ?? 'Not saved' },
    successNotification: () => ({ type: 'success', message: 'Contact saved' }),
    queryOptions: {
      select: (data) => ({ ...data, data: toFormValues(data.data) as ContactValues }),
      retry: (count, error) => error?.statusCode !== 404 && count < 2,
    },
  })

  if (query?.error?.statusCode === 404) return <NotFound />

  return (
    <Edit
      title="Edit contact"
      saveButtonProps={{ ...saveButtonProps, children: 'Save' }}
      canDelete
      deleteButtonProps={{
        confirmTitle: 'Delete this contact and all their conversations?',
        confirmOkText: 'Delete',
      }}
    >
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 640 }}
        onFinish={(values) => onFinish(toBody(values) as ContactValues).catch(() => undefined)}
      >
        <ContactFields />
      </Form>
    </Edit>
  )
}
