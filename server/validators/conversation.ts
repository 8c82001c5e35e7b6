import vine from '@vinejs/vine'
import { CONVERSATION_OWNERS, CONVERSATION_STATUSES, PRIORITIES } from '#models/conversation'
import { id, pageFields, sortField, tagName } from '#validators/common'

// Each sort has an index behind it (see the messaging migration).
export const CONVERSATION_SORTS = ['lastMessageAt', 'createdAt', 'id'] as const

/** `status=open,pending` style lists from a closed set. */
const oneOrMany = <T extends readonly string[]>(values: T) =>
  vine
    .string()
    .trim()
    .regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`))

export const listConversationsValidator = vine.create({
  ...pageFields,
  status: oneOrMany(CONVERSATION_STATUSES).optional(),
  owner: oneOrMany(CONVERSATION_OWNERS).optional(),
  priority: oneOrMany(PRIORITIES).optional(),
  teamId: id().optional(),
  channelId: id().optional(),
  contactId: id().optional(),
  // A user id, `me`, or `none` for unassigned.
  assigneeId: vine.unionOfTypes([id(), vine.string().in(['me', 'none'])]).optional(),
  tag: tagName().optional(),
  q: vine.string().trim().minLength(1).maxLength(200).optional(),
  sort: sortField(CONVERSATION_SORTS).optional(),
})

export const createConversationValidator = vine.create({
  teamId: id(),
  contactId: id(),
  channelId: id().optional(),
  subject: vine.string().trim().maxLength(300).optional(),
  priority: vine.enum(PRIORITIES).optional(),
  tags: vine.array(tagName()).maxLength(50).distinct().optional(),
  assigneeId: id().nullable().optional(),
})

export const updateConversationValidator = vine.create({
  teamId: id().optional(),
  subject: vine.string().trim().maxLength(300).nullable().optional(),
  status: vine.enum(CONVERSATION_STATUSES).optional(),
  owner: vine.enum(CONVERSATION_OWNERS).optional(),
  priority: vine.enum(PRIORITIES).optional(),
  assigneeId: id().nullable().optional(),
  tags: vine.array(tagName()).maxLength(50).distinct().optional(),
  snoozedUntil: vine.date({ formats: { utc: true } }).optional(),
})

export const conversationTagsValidator = vine.create({
  tags: vine.array(tagName()).minLength(1).maxLength(50).distinct(),
})

export const listMessagesValidator = vine.create({
  ...pageFields,
  sort: sortField(['id']).optional(),
})

const httpUrl = () =>
  vine
    .string()
    .trim()
    .maxLength(2000)
    .url({ protocols: ['http', 'https'], require_tld: false })

export const createMessageValidator = vine.create({
  // Text, files, or both.
  text: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(20000)
    .optional()
    .requiredIfMissing('attachments'),
  // An internal note is visible to operators only and never reaches the customer.
  internal: vine.boolean().optional(),
  // Plain unless asked: customers' platforms would read stray * and _ as formatting.
  format: vine.enum(['plain', 'markdown', 'html'] as const).optional(),
  // Files by URL: the platform fetches them (Telegram: photo up to 5 MB, document up to 20 MB).
  attachments: vine
    .array(
      vine.object({
        kind: vine.enum(['photo', 'document'] as const),
        url: httpUrl(),
        name: vine.string().trim().minLength(1).maxLength(255).optional(),
      })
    )
    .minLength(1)
    .maxLength(10)
    .optional(),
  // Rows of buttons; a press comes back as a message of kind `callback` carrying `data`.
  buttons: vine
    .array(
      vine
        .array(
          vine.object({
            text: vine.string().trim().minLength(1).maxLength(64),
            // Telegram carries at most 64 bytes of callback data.
            data: vine.string().minLength(1).maxLength(64).optional(),
            url: httpUrl().optional(),
          })
        )
        .minLength(1)
        .maxLength(8)
    )
    .minLength(1)
    .maxLength(10)
    .optional(),
})

export const updateMessageValidator = vine.create({
  text: vine.string().trim().minLength(1).maxLength(20000),
})
