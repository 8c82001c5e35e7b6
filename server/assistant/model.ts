/*
| Calls to the OpenAI-compatible chat model, through the official SDK. The
| SDK retries 429s and 5xx with backoff and honours Retry-After, except a
| spent quota (quotaAwareFetch).
*/
import OpenAI from 'openai'
import { quotaAwareFetch } from '#services/openai_fetch'
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions'

export type ModelOutcome = 'ok' | 'quota' | 'timeout' | 'rate_limited' | 'failed'

export class ModelError extends Error {
  constructor(
    readonly outcome: Exclude<ModelOutcome, 'ok'>,
    message: string
  ) {
    super(message)
  }
}

const clients = new Map<string, OpenAI>()

function clientOf(model: { baseURL?: string; apiKey: string }) {
  const key = `${model.baseURL ?? ''}\0${model.apiKey}`
  let client = clients.get(key)
  if (!client) {
    client = new OpenAI({
      baseURL: model.baseURL,
      apiKey: model.apiKey,
      maxRetries: 2,
      // Per attempt; the caller's deadline bounds the whole call.
      timeout: 15_000,
      fetch: quotaAwareFetch,
    })
    clients.set(key, client)
  }
  return client
}

export interface Completion {
  content: string | null
  toolCalls: Array<{ name: string; arguments: Record<string, unknown> }>
  promptTokens: number
  completionTokens: number
  finishReason: string
}

export async function complete(
  model: { name: string; baseURL?: string; apiKey: string },
  request: {
    messages: ChatCompletionMessageParam[]
    tools?: ChatCompletionTool[]
    maxTokens: number
    deadlineMs: number
  }
): Promise<Completion> {
  const client = clientOf(model)
  try {
    const response = await client.chat.completions.create(
      {
        model: model.name,
        messages: request.messages,
        tools: request.tools,
        max_tokens: request.maxTokens,
        temperature: 0.2,
      },
      { signal: AbortSignal.timeout(request.deadlineMs), timeout: request.deadlineMs }
    )
    const choice = response.choices[0]
    return {
      content: choice?.message.content ?? null,
      toolCalls: (choice?.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function'
          ? [{ name: call.function.name, arguments: parseArguments(call.function.arguments) }]
          : []
      ),
      promptTokens: response.usage?.prompt_tokens ?? 0,
      completionTokens: response.usage?.completion_tokens ?? 0,
      finishReason: choice?.finish_reason ?? 'stop',
    }
  } catch (error) {
    throw classify(error)
  }
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text)
    return value && typeof value === 'object' ? value : {}
  } catch {
    return {}
  }
}

function classify(error: unknown): ModelError {
  if (error instanceof OpenAI.APIConnectionTimeoutError || isAbort(error)) {
    return new ModelError('timeout', 'The model did not answer before the deadline')
  }
  if (error instanceof OpenAI.RateLimitError) {
    return error.code === 'insufficient_quota' ||
      (error.error as { type?: string } | undefined)?.type === 'insufficient_quota'
      ? new ModelError('quota', 'The model provider says the quota is spent')
      : new ModelError('rate_limited', 'The model provider is rate limiting us')
  }
  if (error instanceof OpenAI.APIError) {
    return new ModelError('failed', `The model call failed (HTTP ${error.status ?? 'error'})`)
  }
  return new ModelError('failed', `The model call failed: ${(error as Error).message}`)
}

function isAbort(error: unknown) {
  return (
    error instanceof OpenAI.APIUserAbortError ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
  )
}
