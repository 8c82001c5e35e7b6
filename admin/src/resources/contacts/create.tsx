import { useEffect } from 'react'
import type { HttpError } from '@refinedev/core'
import { Create, useForm } from '@refinedev/antd'
import { Form } from 'antd'
import type { Contact } from '../../api/types'
import { useTeams } from '../../lib/lookups'
import { ContactFields } from './form'
import { toBody, type ContactValues } from './values'

export default function ContactCreate() {
  const { teams } = useTeams()
  const { formProps, saveButtonProps, onFinish, form } = useForm<Contact, HttpError, ContactValues>(
    {
      resource: 'contacts',
      action: 'create',
      redirect: 'show',
      successNotification: () => ({ type: 'success', message: 'Contact added' }),
    }
  )
  // One team: it is the only choice, so it is chosen.
  useEffect(() => {
    if (teams.length === 1 && !form.getFieldValue('teamId'))
      form.setFieldValue('teamId', teams[0].id)
  }, [teams, form])
  return (
    <Create title="Add contact" saveButtonProps={{ ...saveButtonProps, children: 'Add contact' }}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={{ attributes: [] }}
        onFinish={(values) => onFinish(toBody(values) as ContactValues).catch(() => undefined)}
      >
        <ContactFields teams={teams} />
      </Form>
    </Create>
  )
}
