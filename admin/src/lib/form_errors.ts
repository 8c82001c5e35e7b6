import type { FormInstance } from 'antd'
import type { HttpError } from '@refinedev/core'

/**
 * Puts an API error's field messages under the form's own inputs (for forms
 * saved with `api()` rather than Refine's useForm). The API names fields by
 * dotted path, which is the form's name path. Returns the messages that
 * matched no input, for a notification.
 */
export function showFieldErrors(form: FormInstance, error: unknown): string | null {
  const http = error as HttpError | undefined
  const errors = (http?.errors ?? {}) as Record<string, string[] | string>
  // Registered inputs, typed into or not.
  const known = new Set([
    ...Object.keys(flatten(form.getFieldsValue() as Record<string, unknown>)),
    ...Object.keys(flatten(form.getFieldsValue(true) as Record<string, unknown>)),
  ])
  const fields = []
  const leftover: string[] = []
  for (const [path, messages] of Object.entries(errors)) {
    const list = Array.isArray(messages) ? messages : [messages]
    if (known.has(path)) {
      fields.push({
        name: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        errors: list,
      })
    } else leftover.push(...list)
  }
  form.setFields(fields)
  if (fields.length && !leftover.length) return null
  return leftover[0] ?? http?.message ?? 'Something went wrong.'
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key
    out[path] = inner
    if (inner && typeof inner === 'object') Object.assign(out, flatten(inner as any, path))
  }
  return out
}

/** The first API message for one field, for inputs outside a Refine form. */
export function fieldMessage(error: unknown, field: string): string | undefined {
  const messages = (error as HttpError | null | undefined)?.errors?.[field]
  if (Array.isArray(messages)) return messages[0]
  return typeof messages === 'string' ? messages : undefined
}

/**
 * For Refine's `errorNotification`: no toast for a 409 (a duplicate email
 * or name), which `conflictOnField` shows under the field instead.
 */
export const unlessConflict = (error?: HttpError) =>
  (error?.statusCode === 409 ? false : undefined) as false | undefined

/** A 409's message under the field it is about. */
export function conflictOnField(form: FormInstance, field: string, error?: HttpError) {
  if (error?.statusCode === 409) form.setFields([{ name: field, errors: [error.message] }])
}

/**
 * A form submit handler whose rejection is already handled (Refine has put
 * the errors on the fields): a refused save leaves no unhandled rejection.
 */
export function quietly<T>(submit: ((values: T) => unknown) | undefined) {
  return (values: T) => {
    void Promise.resolve(submit?.(values)).catch(() => undefined)
  }
}

/** Brings the first field the server refused into view (long forms put it off screen). */
export function scrollToFirstError(form: FormInstance) {
  setTimeout(() => {
    const first = form.getFieldsError().find((f) => f.errors.length > 0)
    if (first) form.scrollToField(first.name, { block: 'center' })
  }, 0)
}
