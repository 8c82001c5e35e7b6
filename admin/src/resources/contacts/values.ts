/*
| The contact form's values and the API's contact, both ways. Attributes
| are edited as key/value rows under the API's own field name
| (`attributes`), so an API error on `attributes` shows under the rows.
| Values that were not text (numbers, booleans, objects) stay JSON, so
| saving keeps their type.
*/
import type { components } from '../../api/schema.js'

type Contact = components['schemas']['Contact']

export type AttributeRow = { key?: string; value?: string; json?: boolean }
export type ContactValues = {
  teamId?: number
  name?: string | null
  email?: string | null
  phone?: string | null
  locale?: string | null
  attributes?: AttributeRow[]
}

export function toRows(attributes: unknown): AttributeRow[] {
  if (!attributes || typeof attributes !== 'object' || Array.isArray(attributes)) return []
  return Object.entries(attributes as Record<string, unknown>).map(([key, value]) =>
    typeof value === 'string' ? { key, value } : { key, value: JSON.stringify(value), json: true }
  )
}

export function fromRows(rows: AttributeRow[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const row of rows ?? []) {
    const key = row?.key?.trim()
    if (!key) continue
    const value = row.value ?? ''
    out[key] = row.json ? JSON.parse(value) : value
  }
  return out
}

/** The record as the form holds it. */
export function toFormValues(contact: Contact | undefined): ContactValues | undefined {
  if (!contact) return contact
  return { ...contact, attributes: toRows(contact.attributes) } as ContactValues
}

const blankToNull = (value: string | null | undefined) =>
  typeof value === 'string' && value.trim() === '' ? null : value

/** The body the API expects: empty inputs are cleared (null), attributes an object. */
export function toBody(values: ContactValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: blankToNull(values.name),
    email: blankToNull(values.email),
    phone: blankToNull(values.phone),
    locale: blankToNull(values.locale),
    attributes: fromRows(values.attributes),
  }
  if (values.teamId !== undefined) body.teamId = values.teamId
  return body
}
