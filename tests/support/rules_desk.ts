/*
| A desk for rule scenarios without a platform: a team with an API channel
| (disabled, so nothing delivers), customers whose messages go through the
| real ingest, and the "process conversation" job run in-line, as the
| worker would run it. Replies stay `pending` rows the tests read.
*/
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import type Team from '#models/team'
import Rule from '#models/rule'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { ingest } from '#messaging/ingest'
import { processMessage } from '#messaging/process'
import { drainRuleEvents } from '#automation/dispatch'
import RuleService, { type RuleInput } from '#automation/rule_service'
import type { Action, Trigger } from '#automation/types'

export async function rulesDesk(settings: Team['settings'] = { assistant: { enabled: false } }) {
  const team = await makeTeam(undefined, settings)
  const [channel] = await db
    .table('channels')
    .returning('*')
    .insert({
      team_id: team.id,
      platform: 'api',
      name: 'Site chat',
      config_encrypted: encryption.encrypt(JSON.stringify({})),
      enabled: false,
    })
  const supervisor = await makeUser('supervisor', [team], { fullName: 'Sam Super' })
  const token = await tokenFor(supervisor)
  return {
    team,
    channel: { id: channel.id as number, teamId: team.id, platform: 'api' },
    supervisor,
    token,
  }
}

export type Desk = Awaited<ReturnType<typeof rulesDesk>>

/** A customer's message through ingest and the process job; rule events drained after. */
export async function customerSays(
  desk: Desk,
  text: string,
  who: { id: string; name?: string } = { id: 'cust-1', name: 'Ana Lima' },
  command?: string
) {
  const result = await ingest(desk.channel, {
    eventId: randomUUID(),
    contact: { externalId: who.id, name: who.name },
    message: {
      externalId: randomUUID(),
      kind: 'text',
      text,
      attachments: [],
      ...(command ? { command: { name: command, args: '' } } : {}),
    },
  })
  await processMessage(result.messageId!)
  await drainRuleEvents()
  return { conversationId: result.conversationId!, messageId: result.messageId! }
}

export async function addRule(
  desk: Desk,
  rule: Omit<RuleInput, 'trigger' | 'actions'> & {
    trigger: Trigger | Record<string, unknown>
    actions: Array<Action | Record<string, unknown>>
  }
) {
  return new RuleService().create(desk.team.id, { name: 'A rule', ...rule } as never)
}

/** What the customer was sent (or is about to be), oldest first. */
export async function repliesIn(conversationId: number): Promise<string[]> {
  const rows = await db
    .from('messages')
    .where({ conversation_id: conversationId, direction: 'outbound' })
    .orderBy('id')
    .select('body')
  return rows.map((r) => r.body as string)
}

export async function notesIn(conversationId: number): Promise<string[]> {
  const rows = await db
    .from('messages')
    .where({ conversation_id: conversationId, direction: 'internal' })
    .orderBy('id')
    .select('body')
  return rows.map((r) => r.body as string)
}

export function conversation(id: number) {
  return db.from('conversations').where('id', id).firstOrFail()
}

/** The rule's log as the API shows it, oldest first. */
export async function executionsOf(ruleId: number) {
  const rule = await Rule.findOrFail(ruleId)
  const { data } = await new RuleService().log(rule, { perPage: 100 })
  return data.reverse()
}

export { tokenFor }
