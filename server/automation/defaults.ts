/*
| The built-in behaviour, written as rules every team can see, change and
| switch off: nothing of it runs outside the engine. A team receives them
| the first time its rules are read; deleting one keeps it deleted.
*/
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RuleDefinition } from '#automation/types'

export const AFTER_HOURS_TEXT =
  'Thanks for your message! We are away right now and will answer as soon as we are back.'

export const DEFAULT_RULES: Array<RuleDefinition & { builtin: string }> = [
  {
    builtin: 'welcome',
    name: 'Welcome message',
    enabled: true,
    priority: 10,
    trigger: { type: 'message.received' },
    conditions: { all: [{ field: 'message.command', operator: 'equals', value: 'start' }] },
    actions: [{ type: 'send_message', text: '{{texts.welcome}}' }],
    stopProcessing: true,
    cooldownSeconds: 0,
  },
  {
    builtin: 'human',
    name: 'Hand off on /human',
    enabled: true,
    priority: 20,
    trigger: { type: 'message.received' },
    conditions: { all: [{ field: 'message.command', operator: 'equals', value: 'human' }] },
    actions: [
      { type: 'hand_off', reason: 'the customer asked for a person (/human)', source: 'customer' },
      { type: 'send_message', text: '{{texts.human}}' },
    ],
    stopProcessing: true,
    cooldownSeconds: 0,
  },
  {
    builtin: 'after_hours',
    name: 'After-hours reply',
    enabled: true,
    priority: 30,
    trigger: { type: 'message.received' },
    // Quiet until the team sets business hours: without a calendar it is always open.
    conditions: {
      all: [
        { field: 'business_hours', operator: 'equals', value: false },
        { field: 'message.command', operator: 'absent' },
      ],
    },
    actions: [{ type: 'send_message', text: AFTER_HOURS_TEXT }],
    stopProcessing: false,
    cooldownSeconds: 3600,
  },
  {
    builtin: 'assistant',
    name: 'Assistant answers while the bot owns the conversation',
    enabled: true,
    priority: 1000,
    trigger: { type: 'message.received' },
    conditions: {
      all: [
        { field: 'owner', operator: 'equals', value: 'bot' },
        { field: 'message.command', operator: 'absent' },
        { field: 'message.kind', operator: 'not_equals', value: 'callback' },
        { field: 'message.text', operator: 'present' },
      ],
    },
    actions: [{ type: 'ai_answer' }],
    stopProcessing: false,
    cooldownSeconds: 0,
  },
]

/** Writes the built-in rules once per team; safe to run concurrently. */
export async function ensureDefaultRules(
  client: Pick<QueryClientContract, 'rawQuery'>,
  teamId: number
) {
  const claimed = await client.rawQuery(
    'UPDATE teams SET rules_seeded_at = now() WHERE id = ? AND rules_seeded_at IS NULL RETURNING id',
    [teamId]
  )
  if (!claimed.rows.length) return
  for (const rule of DEFAULT_RULES) {
    await client.rawQuery(
      `INSERT INTO rules (team_id, builtin, name, enabled, priority, trigger, conditions, actions,
         stop_processing, cooldown_seconds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, builtin) DO NOTHING`,
      [
        teamId,
        rule.builtin,
        rule.name,
        rule.enabled,
        rule.priority,
        JSON.stringify(rule.trigger),
        JSON.stringify(rule.conditions),
        JSON.stringify(rule.actions),
        rule.stopProcessing,
        rule.cooldownSeconds,
      ]
    )
  }
}
