/*
| What conditions and templates read about an event: the conversation, its
| contact, the message, the team. Rows a team's rules never read are not
| loaded: the engine asks for the fields its candidate rules use first.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { type DateTime } from 'luxon'
import clock from '#services/clock'
import { isOpen, type BusinessHours } from '#automation/business_hours'
import type { Facts } from '#automation/conditions'
import type { RuleEvent } from '#automation/types'
import { DEFAULT_TEXTS } from '#messaging/process'

type Row = Record<string, any>

export interface FactRows {
  team: Row
  conversation?: Row | null
  message?: Row | null
  contact?: Row | null
  platform?: string | null
  customerMessages?: number
  contactIsNew?: boolean
}

function dig(value: unknown, path: string[]): unknown {
  let at = value
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

function minutesSince(value: Date | string | null | undefined, now: number) {
  if (!value) return null
  return Math.floor((now - new Date(value).getTime()) / 60_000)
}

/** Which extra rows the fields need. */
export function needs(fields: Iterable<string>) {
  const want = { contact: false, platform: false, customerMessages: false, contactIsNew: false }
  for (const field of fields) {
    if (field === 'contact.new') want.contactIsNew = true
    else if (field.startsWith('contact.')) want.contact = true
    else if (field === 'platform') want.platform = true
    else if (field === 'message_count') want.customerMessages = true
  }
  return want
}

export async function loadFacts(
  trx: TransactionClientContract,
  rows: FactRows,
  want: ReturnType<typeof needs>
): Promise<FactRows> {
  const c = rows.conversation
  if (!c) return rows
  if (want.contact && rows.contact === undefined) {
    rows.contact = (await trx.from('contacts').where('id', c.contact_id).first()) ?? null
  }
  if (want.platform && rows.platform === undefined) {
    const channel = c.channel_id
      ? await trx.from('channels').where('id', c.channel_id).select('platform').first()
      : null
    rows.platform = channel?.platform ?? null
  }
  if (want.customerMessages && rows.customerMessages === undefined) {
    const count = await trx
      .from('messages')
      .where({ conversation_id: c.id, direction: 'inbound' })
      .count('* as n')
      .first()
    rows.customerMessages = Number(count?.n ?? 0)
  }
  if (want.contactIsNew && rows.contactIsNew === undefined) {
    const earlier = await trx
      .from('conversations')
      .where('contact_id', c.contact_id)
      .where('id', '<', c.id)
      .select('id')
      .first()
    rows.contactIsNew = !earlier
  }
  return rows
}

/** The facts of one event; `rows.conversation` may change as actions run and is read live. */
export function factsOf(rows: FactRows, event: RuleEvent): Facts & { now: DateTime } {
  const now = clock.now()
  const nowMs = now.toMillis()
  const settings = (rows.team.settings ?? {}) as Row
  return {
    now,
    get(field: string): unknown {
      const c = rows.conversation ?? undefined
      const m = rows.message ?? undefined
      const contact = rows.contact ?? undefined
      switch (field) {
        case 'message.text':
          return m?.body ?? null
        case 'message.command':
          return (m?.metadata?.command?.name as string | undefined)?.toLowerCase() ?? null
        case 'message.kind':
          return m?.kind ?? null
        case 'message.attachments':
          return Array.isArray(m?.attachments) ? m.attachments.length : 0
        case 'channel':
          return c?.channel_id ?? null
        case 'platform':
          return rows.platform ?? null
        case 'team':
          return rows.team.id
        case 'status':
          return c?.status ?? null
        case 'owner':
          return c?.owner ?? null
        case 'assignee':
          return c?.assignee_id ?? null
        case 'tags':
          return c?.tags ?? []
        case 'priority':
          return c?.priority ?? null
        case 'contact.name':
        case 'contact.email':
        case 'contact.phone':
        case 'contact.locale':
          return contact?.[field.slice(8)] ?? null
        case 'contact.tags':
          return contact?.tags ?? []
        case 'contact.new':
          return rows.contactIsNew ?? null
        case 'business_hours':
          return isOpen(settings.businessHours as BusinessHours | undefined, now)
        case 'minutes_since_customer':
          return minutesSince(c?.last_customer_message_at, nowMs)
        case 'minutes_since_operator':
          return minutesSince(c?.last_operator_message_at, nowMs)
        case 'message_count':
          return rows.customerMessages ?? null
      }
      if (field.startsWith('contact.attributes.')) {
        return dig(contact?.attributes, field.slice(19).split('.')) ?? null
      }
      if (field.startsWith('event.')) return dig(event.data, field.slice(6).split('.')) ?? null
      return null
    },
  }
}

type Settings = Row

/** Names templates know beyond the condition fields, and how each is filled in. */
export const TEMPLATE_VARIABLES: Record<
  string,
  {
    label: string
    reads?: string
    get: (rows: FactRows, facts: Facts, settings: Settings) => unknown
  }
> = {
  'contact.first_name': {
    label: "The contact's first name",
    reads: 'contact.name',
    get: (_rows, facts) => String(facts.get('contact.name') ?? '').split(/\s+/)[0],
  },
  'conversation.id': { label: 'Conversation id', get: (rows) => rows.conversation?.id },
  'team.name': { label: 'Team name', get: (rows) => rows.team.name },
  'texts.welcome': {
    label: "The team's welcome text",
    get: (_rows, _facts, settings) => settings.welcomeText || DEFAULT_TEXTS.welcome,
  },
  'texts.human': { label: 'The hand-off text', get: () => DEFAULT_TEXTS.human },
  'texts.help': {
    label: "The team's help text",
    get: (_rows, _facts, settings) => settings.helpText || DEFAULT_TEXTS.help,
  },
}

/** `{{name}}`, or `{{name | fallback}}` for when the value is empty. */
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g

/**
 * `{{contact.name}}`, `{{contact.name | there}}` (a fallback): the facts'
 * fields plus TEMPLATE_VARIABLES. Lists are joined with commas.
 */
export function render(template: string, rows: FactRows, facts: Facts): string {
  const settings = (rows.team.settings ?? {}) as Settings
  return template.replace(PLACEHOLDER, (_, name: string, fallback?: string) => {
    let value = Object.hasOwn(TEMPLATE_VARIABLES, name)
      ? TEMPLATE_VARIABLES[name].get(rows, facts, settings)
      : facts.get(name)
    if (Array.isArray(value)) value = value.join(', ')
    const text = value === null || value === undefined ? '' : String(value)
    return text || fallback || ''
  })
}

/** Fields a template reads, so the engine loads their rows. */
export function templateFields(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([\w.]+)/g)].map((m) =>
    Object.hasOwn(TEMPLATE_VARIABLES, m[1]) ? (TEMPLATE_VARIABLES[m[1]].reads ?? m[1]) : m[1]
  )
}
