/*
| What the assistant does for a team: the server's defaults (environment)
| overridden by the team's own settings (`settings.assistant`). A team's
| own API key is stored encrypted in its own column and never shown.
*/
import encryption from '@adonisjs/core/services/encryption'
import env from '#start/env'

export const DEFAULT_PROMPT = `You are the support assistant of {{team}}. Answer the customer's last message using only the numbered sources provided. Cite the sources you use as [1], [2]. Be brief and friendly. If the sources do not answer the question, or the customer wants a person, call the handoff tool instead of guessing.`

export interface TeamAssistantSettings {
  enabled?: boolean
  /** null (like absent): the server's default. */
  model?: string | null
  baseUrl?: string | null
  prompt?: string | null
  /** Least confidence (0–1) of the best passage for the assistant to answer at all. */
  threshold?: number
  maxTokens?: number
  deadlineSeconds?: number
  /** Conversation history sent in full up to this many tokens; older turns are summarised. */
  historyTokens?: number
  /** Tokens a month; past it the assistant hands over instead of calling the model. */
  monthlyTokenBudget?: number | null
  /** Hosts (besides the sources') whose links may stay links in an answer. */
  allowedHosts?: string[]
}

export interface AssistantSettings {
  enabled: boolean
  /** Null: no model configured; the assistant quotes the best passage. */
  model: { name: string; baseURL?: string; apiKey: string } | null
  prompt: string
  threshold: number
  maxTokens: number
  deadlineMs: number
  historyTokens: number
  monthlyTokenBudget: number | null
  allowedHosts: string[]
  sources: number
  /** Dollars per million tokens, for the cost estimate in usage. */
  prices: { input: number; output: number }
}

export function assistantSettings(
  team: { settings: Record<string, unknown> | null; assistantKeyEncrypted?: string | null },
  name = 'us'
): AssistantSettings {
  const own = ((team.settings ?? {}).assistant ?? {}) as TeamAssistantSettings
  const modelName = own.model ?? env.get('OPENAI_MODEL')
  const apiKey =
    (team.assistantKeyEncrypted && encryption.decrypt<string>(team.assistantKeyEncrypted)) ||
    env.get('OPENAI_API_KEY')?.release()
  const baseURL = own.baseUrl ?? env.get('OPENAI_BASE_URL')
  return {
    enabled: own.enabled ?? true,
    // A local OpenAI-compatible server may need no key; the SDK still wants a string.
    model: modelName ? { name: modelName, baseURL, apiKey: apiKey || 'none' } : null,
    prompt: (own.prompt ?? DEFAULT_PROMPT).replaceAll('{{team}}', name),
    threshold: own.threshold ?? 0.5,
    maxTokens: own.maxTokens ?? 500,
    deadlineMs: (own.deadlineSeconds ?? 20) * 1000,
    historyTokens: own.historyTokens ?? 1500,
    monthlyTokenBudget: own.monthlyTokenBudget ?? null,
    allowedHosts: own.allowedHosts ?? [],
    sources: 4,
    prices: {
      input: env.get('OPENAI_PRICE_INPUT_PER_1M') ?? 0,
      output: env.get('OPENAI_PRICE_OUTPUT_PER_1M') ?? 0,
    },
  }
}
