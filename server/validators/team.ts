import vine from '@vinejs/vine'
import { id, pageFields, sortField } from '#validators/common'
import { businessHoursSchema } from '#validators/rule'

const settings = vine
  .object({
    welcomeText: vine.string().maxLength(4000).optional(),
    autoReplyText: vine.string().maxLength(4000).optional(),
    helpText: vine.string().maxLength(4000).optional(),
    handoffText: vine.string().maxLength(4000).optional(),
    // Read by rules (the `business_hours` condition); null removes the calendar.
    businessHours: businessHoursSchema.optional(),
    assistant: vine
      .object({
        enabled: vine.boolean().optional(),
        // null: back to the server's default (OPENAI_MODEL, OPENAI_BASE_URL, the built-in prompt).
        model: vine.string().trim().minLength(1).maxLength(200).nullable().optional(),
        baseUrl: vine
          .string()
          .trim()
          .url({ protocols: ['http', 'https'], require_tld: false })
          .nullable()
          .optional(),
        // Stored encrypted beside the settings, never shown; null or "" removes it.
        apiKey: vine.string().maxLength(500).nullable().optional(),
        prompt: vine.string().trim().minLength(1).maxLength(8000).nullable().optional(),
        threshold: vine.number().min(0).max(1).optional(),
        maxTokens: vine.number().withoutDecimals().min(16).max(8000).optional(),
        deadlineSeconds: vine.number().min(1).max(120).optional(),
        historyTokens: vine.number().withoutDecimals().min(0).max(100000).optional(),
        monthlyTokenBudget: vine.number().withoutDecimals().min(0).nullable().optional(),
        allowedHosts: vine
          .array(
            vine
              .string()
              .trim()
              .toLowerCase()
              .regex(/^[a-z0-9.-]{1,253}$/)
          )
          .maxLength(100)
          .optional(),
      })
      .optional(),
  })
  .allowUnknownProperties()

export const createTeamValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  description: vine.string().trim().maxLength(2000).optional(),
  settings: settings.optional(),
})

export const updateTeamValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100).optional(),
  description: vine.string().trim().maxLength(2000).nullable().optional(),
  settings: settings.optional(),
})

export const listTeamsValidator = vine.create({
  ...pageFields,
  q: vine.string().trim().maxLength(200).optional(),
  sort: sortField(['id', 'name', 'createdAt']).optional(),
})

export const addMemberValidator = vine.create({
  userId: id(),
})

export const assistantPreviewValidator = vine.create({
  prompt: vine.string().trim().minLength(1).maxLength(8000).optional(),
})
