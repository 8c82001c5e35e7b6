import vine from '@vinejs/vine'
import { email, password } from '#validators/common'

export const loginValidator = vine.create({
  email: email(),
  password: vine.string().maxLength(128),
})

export const createTokenValidator = vine.create({
  email: email(),
  password: vine.string().maxLength(128),
  name: vine.string().trim().minLength(1).maxLength(100),
  expiresInDays: vine.number().withoutDecimals().min(1).max(3650).optional(),
})

/** The caller's own account; a new password or email needs the current password. */
export const updateMeValidator = vine.create({
  fullName: vine.string().trim().maxLength(200).nullable().optional(),
  email: email().optional(),
  password: password().optional(),
  currentPassword: vine.string().maxLength(128).optional(),
})
