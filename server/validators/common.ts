import vine from '@vinejs/vine'
import { TAG_NAME } from '#operators/commands'

/** Shared by every list endpoint: `page`, `perPage` (at most 100), `sort`. */
export const pageFields = {
  page: vine.number().withoutDecimals().min(1).max(100000).optional(),
  perPage: vine.number().withoutDecimals().min(1).max(100).optional(),
}

export const id = () => vine.number().withoutDecimals().min(1).max(2147483647)

/** `sort=field` ascending, `sort=-field` descending, from a closed list. */
export const sortField = (fields: readonly string[]) =>
  vine
    .string()
    .trim()
    .in(fields.flatMap((f) => [f, `-${f}`]))

// Lower-cased: accounts are found by email whatever case was typed.
export const email = () => vine.string().trim().toLowerCase().email().maxLength(254)
export const password = () => vine.string().minLength(8).maxLength(128)
export const tagName = () => vine.string().trim().toLowerCase().regex(TAG_NAME)

export const pageFieldsValidator = vine.create({ ...pageFields })
