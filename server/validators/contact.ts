import vine from '@vinejs/vine'
import { id, pageFields, sortField } from '#validators/common'

const fields = {
  name: vine.string().trim().maxLength(200).nullable().optional(),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  phone: vine
    .string()
    .trim()
    .regex(/^\+?[0-9 ()\-.]{3,40}$/)
    .nullable()
    .optional(),
  locale: vine
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
    .nullable()
    .optional(),
  attributes: vine.object({}).allowUnknownProperties().optional(),
}

export const createContactValidator = vine.create({ teamId: id(), ...fields })
// A contact stays in its team: its conversations and identities live there.
export const updateContactValidator = vine.create({ ...fields })

export const listContactsValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  q: vine.string().trim().maxLength(200).optional(),
  sort: sortField(['id', 'name', 'createdAt', 'updatedAt']).optional(),
})
