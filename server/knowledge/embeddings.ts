/*
| Text embeddings for the dense half of knowledge retrieval, from any
| OpenAI-compatible `/embeddings` endpoint. Optional: without
| OPENAI_EMBEDDINGS_MODEL there is no embedder and retrieval is lexical.
*/
import OpenAI from 'openai'
import env from '#start/env'
import { quotaAwareFetch } from '#services/openai_fetch'

export interface Embedder {
  model: string
  /** Length of every vector `embed` returns; the pgvector column is sized by it. */
  dimensions: number
  /** One vector per text, in the order given. */
  embed(texts: string[]): Promise<number[][]>
}

export interface OpenAIEmbedderOptions {
  baseURL?: string
  apiKey: string
  model: string
  /** Required unless the model is one of OpenAI's, whose sizes are known. */
  dimensions?: number
  /** Per attempt; the SDK's own default is ten minutes. */
  timeoutMs?: number
  maxRetries?: number
}

const NATIVE_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
}

// OpenAI accepts up to 2048 inputs per request; smaller requests retry cheaper.
const MAX_INPUTS_PER_REQUEST = 256

export function openAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const native = NATIVE_DIMENSIONS[options.model]
  const dimensions = options.dimensions ?? native
  if (!dimensions || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(
      `The vector size of embeddings model "${options.model}" is unknown: set OPENAI_EMBEDDINGS_DIMENSIONS`
    )
  }
  // Only the text-embedding-3 models can shorten their vectors; other servers may reject the field.
  const shorten =
    options.model.startsWith('text-embedding-3') && dimensions !== native ? dimensions : undefined

  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    fetch: quotaAwareFetch,
  })

  async function request(input: string[]) {
    const response = await client.embeddings.create({
      model: options.model,
      input,
      ...(shorten && { dimensions: shorten }),
    })
    // The API tags each vector with its input's index; do not trust the order.
    const vectors: number[][] = Array.from({ length: input.length })
    for (const item of response.data) vectors[item.index] = Array.from(item.embedding)
    vectors.forEach((vector, i) => {
      if (!vector) throw new Error(`The embeddings response has no vector for input ${i}`)
      if (vector.length !== dimensions) {
        throw new Error(
          `Embeddings model "${options.model}" returned ${vector.length} dimensions where ${dimensions} were expected`
        )
      }
    })
    return vectors
  }

  return {
    model: options.model,
    dimensions,
    async embed(texts) {
      const vectors: number[][] = []
      for (let start = 0; start < texts.length; start += MAX_INPUTS_PER_REQUEST) {
        vectors.push(...(await request(texts.slice(start, start + MAX_INPUTS_PER_REQUEST))))
      }
      return vectors
    },
  }
}

let fromEnv: Embedder | null | undefined

/** The configured embedder, or null when OPENAI_EMBEDDINGS_MODEL is unset. */
export function embedderFromEnv(): Embedder | null {
  if (fromEnv !== undefined) return fromEnv
  const model = env.get('OPENAI_EMBEDDINGS_MODEL')
  fromEnv = model
    ? openAIEmbedder({
        model,
        dimensions: env.get('OPENAI_EMBEDDINGS_DIMENSIONS'),
        baseURL: env.get('OPENAI_BASE_URL'),
        // Local OpenAI-compatible servers take no key, but the SDK insists on one.
        apiKey: env.get('OPENAI_API_KEY')?.release() || 'none',
      })
    : null
  return fromEnv
}
