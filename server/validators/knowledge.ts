import vine from '@vinejs/vine'
import { id, pageFields, sortField } from '#validators/common'

const name = () => vine.string().trim().minLength(1).maxLength(100)
const description = () => vine.string().trim().maxLength(1000).nullable()
const title = () => vine.string().trim().minLength(1).maxLength(200)

export const createCollectionValidator = vine.create({
  teamId: id(),
  name: name(),
  description: description().optional(),
})

export const updateCollectionValidator = vine.create({
  name: name().optional(),
  description: description().optional(),
})

export const listCollectionsValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  sort: sortField(['name', 'id', 'createdAt']).optional(),
})

/*
| A document comes as text in the body (`content`), as an address to fetch
| (`url`) or as an uploaded `file` (multipart); exactly one of the three.
*/
export const createDocumentValidator = vine.create({
  collectionId: id(),
  title: title().optional(),
  format: vine.enum(['markdown', 'text', 'html'] as const).optional(),
  content: vine.string().minLength(1).maxLength(1_000_000).optional(),
  url: vine
    .string()
    .trim()
    .url({ protocols: ['http', 'https'], require_tld: false })
    .maxLength(2000)
    .optional(),
  externalId: vine.string().trim().minLength(1).maxLength(512).optional(),
})

export const updateDocumentValidator = vine.create({
  title: title().optional(),
  format: vine.enum(['markdown', 'text', 'html'] as const).optional(),
  content: vine.string().minLength(1).maxLength(1_000_000).optional(),
})

export const listDocumentsValidator = vine.create({
  ...pageFields,
  teamId: id().optional(),
  collectionId: id().optional(),
  q: vine.string().trim().minLength(1).maxLength(200).optional(),
  sort: sortField(['title', 'id', 'createdAt', 'updatedAt']).optional(),
})

export const searchKnowledgeValidator = vine.create({
  q: vine.string().trim().minLength(1).maxLength(500),
  teamId: id().optional(),
  collectionId: id().optional(),
  limit: vine.number().withoutDecimals().min(1).max(50).optional(),
})
