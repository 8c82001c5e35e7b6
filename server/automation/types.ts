import type { ConditionNode } from '#automation/conditions'
import type { ACTION_TYPES, TRIGGER_TYPES } from '#validators/rule'

/** The trigger and action types are those the rule validator lists. */
export type TriggerType = (typeof TRIGGER_TYPES)[number]
export type ActionType = (typeof ACTION_TYPES)[number]

export type Trigger = { type: TriggerType } & Record<string, unknown>
export type Action = { type: string } & Record<string, unknown>

/** A rule as the API and the JSON export show it. */
export interface RuleDefinition {
  name: string
  enabled: boolean
  priority: number
  trigger: Trigger
  conditions: ConditionNode
  actions: Action[]
  stopProcessing: boolean
  cooldownSeconds: number
}

/** Something that happened, as rules see it. */
export interface RuleEvent {
  type: TriggerType
  /** Unique per event: an evaluation is recorded once per (rule, key). */
  key: string
  teamId: number
  conversationId?: number | null
  data: Record<string, unknown>
  /** Rules whose actions caused this event, oldest first. */
  chain: number[]
  /** Only this rule answers it (a schedule tick, an inactivity match, a wait). */
  ruleId?: number
}

export interface ActionOutcome {
  index: number
  type: string
  /** done | skipped | failed | waiting | would_run (dry run) */
  outcome: string
  detail?: string
}

export interface Evaluation {
  ruleId: number
  ruleName: string
  outcome:
    | 'fired'
    | 'conditions_failed'
    | 'cooldown'
    | 'loop_prevented'
    | 'waiting'
    | 'failed'
    | 'would_fire'
  reason?: string
  conditions: unknown[]
  actions: ActionOutcome[]
  durationMs: number
}
