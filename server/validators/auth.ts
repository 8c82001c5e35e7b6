import vine from '@vinejs/vine'
import { email } from '#validators/common'

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
