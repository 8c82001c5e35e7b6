/*
| A fake OpenAI-compatible API on 127.0.0.1 for tests, faithful to the
| official reference where our code and the `openai` SDK look: the chat
| completions and embeddings shapes, usage counts, tool calls, and the
| error bodies and headers of 401, 429 (rate limit and insufficient_quota,
| with Retry-After) and 500. Behaviour is scripted per call: a FIFO of
| one-shot behaviours, then a default responder.
*/
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createHash, randomBytes } from 'node:crypto'

export interface ChatRequest {
  model: string
  messages: Array<{ role: string; content: any; tool_calls?: unknown }>
  tools?: Array<{ type: 'function'; function: { name: string; description?: string } }>
  max_tokens?: number
  max_completion_tokens?: number
  [key: string]: any
}

export type Behaviour =
  | { content: string }
  | { toolCall: { name: string; arguments: Record<string, unknown> } }
  | {
      status: 429
      retryAfter?: number
      code?: 'rate_limit_exceeded' | 'insufficient_quota'
    }
  | { status: 500 }
  | { delayMs: number; then?: Behaviour }
  | { hang: true }

export interface FakeOpenAICall {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: any
  at: number
}

const estimate = (text: string) => Math.max(1, Math.ceil(text.length / 4))

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((p: any) => p?.text ?? '').join(' ')
  return ''
}

/** A crude stem: texts that share words share buckets. */
const stem = (word: string) => word.replace(/(ing|ed|es|s)$/, '')

export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const digest = createHash('sha256').update(stem(word)).digest()
    vector[digest.readUInt32BE(0) % dimensions] += digest[4] & 1 ? 1 : -1
  }
  const norm = Math.hypot(...vector) || 1
  return vector.map((v) => v / norm)
}

export class FakeOpenAI {
  readonly calls: FakeOpenAICall[] = []
  #queue: Behaviour[] = []
  #responder: (request: ChatRequest) => Behaviour = () => ({ content: 'This is a test answer.' })
  #hung = new Set<ServerResponse>()

  private constructor(
    private server: Server,
    readonly baseURL: string,
    private apiKey: string,
    private dimensions: number,
    readonly models: string[]
  ) {}

  static async start(
    options: { apiKey?: string; embeddingDimensions?: number; models?: string[] } = {}
  ): Promise<FakeOpenAI> {
    let fake!: FakeOpenAI
    const server = createServer((req, res) => void fake.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    fake = new FakeOpenAI(
      server,
      `http://127.0.0.1:${port}/v1`,
      options.apiKey ?? 'sk-test',
      options.embeddingDimensions ?? 64,
      options.models ?? ['gpt-test', 'text-embedding-test']
    )
    return fake
  }

  /** The default answer for chat completions with nothing enqueued. */
  respond(responder: (request: ChatRequest) => Behaviour) {
    this.#responder = responder
  }

  /** One-shot behaviours for the next chat completions, in order. */
  enqueue(...behaviours: Behaviour[]) {
    this.#queue.push(...behaviours)
  }

  chatCalls(): ChatRequest[] {
    return this.calls.filter((c) => c.path === '/v1/chat/completions').map((c) => c.body)
  }

  reset() {
    this.calls.length = 0
    this.#queue = []
    this.#responder = () => ({ content: 'This is a test answer.' })
    this.#releaseHung()
  }

  async stop() {
    this.#releaseHung()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  #releaseHung() {
    for (const res of this.#hung) res.destroy()
    this.#hung.clear()
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const path = (req.url ?? '').split('?')[0]
    let body: any
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      this.calls.push({
        method: req.method!,
        path,
        headers: req.headers,
        body: raw,
        at: Date.now(),
      })
      return this.error(
        res,
        400,
        'We could not parse the JSON body of your request.',
        'invalid_request_error'
      )
    }
    this.calls.push({ method: req.method!, path, headers: req.headers, body, at: Date.now() })

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return this.error(
        res,
        401,
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key'
      )
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return this.json(res, 200, {
        object: 'list',
        data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      })
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chat(res, body)
    if (req.method === 'POST' && path === '/v1/embeddings') return this.embeddings(res, body)
    return this.error(res, 404, `Invalid URL (${req.method} ${path})`, 'invalid_request_error')
  }

  private async chat(res: ServerResponse, request: ChatRequest) {
    if (!request?.model || !Array.isArray(request.messages)) {
      return this.error(
        res,
        400,
        "Missing required parameter: 'messages'.",
        'invalid_request_error',
        null,
        'messages'
      )
    }
    if (request.stream) {
      return this.error(
        res,
        400,
        'Streaming is not supported by this server.',
        'invalid_request_error',
        null,
        'stream'
      )
    }
    let behaviour: Behaviour = this.#queue.shift() ?? this.#responder(request)
    while ('delayMs' in behaviour) {
      await new Promise((resolve) =>
        setTimeout(resolve, (behaviour as { delayMs: number }).delayMs)
      )
      behaviour = (behaviour as { then?: Behaviour }).then ?? this.#responder(request)
    }
    if ('hang' in behaviour) {
      this.#hung.add(res)
      return
    }
    if ('status' in behaviour) {
      if (behaviour.status === 500) {
        return this.error(
          res,
          500,
          'The server had an error while processing your request.',
          'server_error'
        )
      }
      const quota = behaviour.code === 'insufficient_quota'
      const headers: Record<string, string> = {}
      if (behaviour.retryAfter !== undefined) {
        headers['retry-after'] = String(behaviour.retryAfter)
        headers['retry-after-ms'] = String(behaviour.retryAfter * 1000)
      }
      return quota
        ? this.error(
            res,
            429,
            'You exceeded your current quota, please check your plan and billing details.',
            'insufficient_quota',
            'insufficient_quota',
            null,
            headers
          )
        : this.error(
            res,
            429,
            `Rate limit reached for ${request.model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`,
            'requests',
            'rate_limit_exceeded',
            null,
            headers
          )
    }
    const promptTokens = estimate(request.messages.map((m) => textOf(m.content)).join('\n'))
    const limit = request.max_completion_tokens ?? request.max_tokens
    let message: Record<string, unknown>
    let finish = 'stop'
    let completionTokens: number
    if ('toolCall' in behaviour) {
      const args = JSON.stringify(behaviour.toolCall.arguments)
      message = {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: `call_${randomBytes(12).toString('hex')}`,
            type: 'function',
            function: { name: behaviour.toolCall.name, arguments: args },
          },
        ],
      }
      finish = 'tool_calls'
      completionTokens = estimate(args)
    } else {
      let content = behaviour.content
      if (limit !== undefined && estimate(content) > limit) {
        content = content.slice(0, limit * 4)
        finish = 'length'
      }
      message = { role: 'assistant', content, refusal: null }
      completionTokens = estimate(content)
    }
    return this.json(res, 200, {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    })
  }

  private embeddings(res: ServerResponse, request: any) {
    const input = request?.input
    const texts: unknown[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input : []
    if (!request?.model || !texts.length || texts.some((t) => typeof t !== 'string')) {
      return this.error(
        res,
        400,
        "'input' must be a string or an array of strings.",
        'invalid_request_error',
        null,
        'input'
      )
    }
    const dimensions = request.dimensions ?? this.dimensions
    const base64 = request.encoding_format === 'base64'
    const data = (texts as string[]).map((text, index) => {
      const vector = fakeEmbedding(text, dimensions)
      return {
        object: 'embedding',
        index,
        embedding: base64
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector,
      }
    })
    const tokens = (texts as string[]).reduce((sum, t) => sum + estimate(t), 0)
    return this.json(res, 200, {
      object: 'list',
      data,
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    })
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ) {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req_${randomBytes(8).toString('hex')}`,
      ...headers,
    })
    res.end(JSON.stringify(body))
  }

  private error(
    res: ServerResponse,
    status: number,
    message: string,
    type: string,
    code: string | null = null,
    param: string | null = null,
    headers: Record<string, string> = {}
  ) {
    return this.json(res, status, { error: { message, type, param, code } }, headers)
  }
}
