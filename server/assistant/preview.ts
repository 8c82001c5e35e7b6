/*
| What a team's assistant would be told, for the panel's prompt preview:
| the same settings and system message the answer job builds, with a
| sample in place of the retrieved sources and the confidential marker.
*/
import env from '#start/env'
import { DEFAULT_PROMPT, assistantSettings, type TeamAssistantSettings } from '#assistant/settings'
import { systemMessage } from '#assistant/answer'

const SAMPLE_SOURCES = [
  '[1] <title of the best matching article> (<its address, when it has one>)',
  '<<<',
  '<the passage found in the knowledge base>',
  '>>>',
  '',
  '[2] …',
].join('\n')

export function assistantPreview(
  team: { name: string; settings: Record<string, unknown> | null },
  draftPrompt?: string
) {
  const own = ((team.settings ?? {}).assistant ?? {}) as TeamAssistantSettings
  const prompt = draftPrompt ?? own.prompt
  const settings = assistantSettings(
    { settings: { assistant: prompt === undefined ? {} : { prompt } } },
    team.name
  )
  const defaults = assistantSettings({ settings: {} }, team.name)
  return {
    prompt: settings.prompt,
    system: systemMessage({
      prompt: settings.prompt,
      canary: '<confidential marker>',
      sources: SAMPLE_SOURCES,
    }),
    defaults: {
      prompt: DEFAULT_PROMPT,
      model: env.get('OPENAI_MODEL') ?? null,
      baseUrl: env.get('OPENAI_BASE_URL') ?? null,
      threshold: defaults.threshold,
      maxTokens: defaults.maxTokens,
      deadlineSeconds: defaults.deadlineMs / 1000,
      historyTokens: defaults.historyTokens,
    },
  }
}
