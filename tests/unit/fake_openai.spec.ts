/*
| The fake OpenAI-compatible server, driven by the real `openai` client:
| what our assistant relies on from the API (shapes, usage, tool calls,
| 429/500/timeout behaviour) must hold at the fake too.
*/
import { test } from '@japa/runner'
import OpenAI from 'openai'
import { FakeOpenAI } from '#bots/testing/fake_openai'

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0)

test.group('Fake OpenAI', (group) => {
  let fake: FakeOpenAI
  group.setup(async () => {
    fake = await FakeOpenAI.start({ apiKey: 'sk-test' })
    return () => fake.stop()
  })
  group.each.setup(() => fake.reset())

  const client = (options: { maxRetries?: number; timeout?: number; apiKey?: string } = {}) =>
    new OpenAI({
      baseURL: fake.baseURL,
      apiKey: options.apiKey ?? 'sk-test',
      maxRetries: options.maxRetries ?? 0,
      timeout: options.timeout ?? 5000,
    })
  const ask = (openai: OpenAI, extra: Record<string, unknown> = {}) =>
    openai.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
      ...extra,
    })

  test('a completion with usage; max_tokens cuts it with finish_reason length', async ({
    assert,
  }) => {
    fake.enqueue({ content: 'Refunds take five days.' })
    const answer = await ask(client())
    assert.equal(answer.choices[0].message.content, 'Refunds take five days.')
    assert.equal(answer.choices[0].finish_reason, 'stop')
    assert.isAbove(answer.usage!.prompt_tokens, 0)
    assert.equal(
      answer.usage!.total_tokens,
      answer.usage!.prompt_tokens + answer.usage!.completion_tokens
    )

    fake.enqueue({ content: 'x'.repeat(400) })
    const cut = await ask(client(), { max_tokens: 10 })
    assert.equal(cut.choices[0].finish_reason, 'length')
    assert.lengthOf(cut.choices[0].message.content!, 40)
  })

  test('a tool call reaches the client parsed', async ({ assert }) => {
    fake.enqueue({ toolCall: { name: 'handoff', arguments: { reason: 'angry' } } })
    const answer = await ask(client())
    const call = answer.choices[0].message.tool_calls![0]
    assert.equal(answer.choices[0].finish_reason, 'tool_calls')
    assert.equal(call.type === 'function' && call.function.name, 'handoff')
    assert.deepEqual(call.type === 'function' && JSON.parse(call.function.arguments), {
      reason: 'angry',
    })
  })

  test('a rate limit with Retry-After is retried by the client; 500 too', async ({ assert }) => {
    fake.enqueue({ status: 429, retryAfter: 0, code: 'rate_limit_exceeded' }, { content: 'ok' })
    const answer = await ask(client({ maxRetries: 2 }))
    assert.equal(answer.choices[0].message.content, 'ok')
    assert.lengthOf(fake.chatCalls(), 2)

    fake.reset()
    fake.enqueue({ status: 500 }, { content: 'again' })
    const retried = await ask(client({ maxRetries: 2 }))
    assert.equal(retried.choices[0].message.content, 'again')
    assert.lengthOf(fake.chatCalls(), 2)
  }).timeout(10_000)

  test('insufficient_quota surfaces as a RateLimitError with its code', async ({ assert }) => {
    fake.enqueue({ status: 429, code: 'insufficient_quota' })
    const error = await ask(client()).catch((e) => e)
    assert.instanceOf(error, OpenAI.RateLimitError)
    assert.equal(error.code, 'insufficient_quota')
    assert.lengthOf(fake.chatCalls(), 1)
  })

  test('a hung response ends in a timeout; a wrong key in a 401', async ({ assert }) => {
    fake.enqueue({ hang: true })
    const timeout = await ask(client({ timeout: 300 })).catch((e) => e)
    assert.instanceOf(timeout, OpenAI.APIConnectionTimeoutError)
    const denied = await ask(client({ apiKey: 'sk-wrong' })).catch((e) => e)
    assert.instanceOf(denied, OpenAI.AuthenticationError)
    assert.equal(denied.code, 'invalid_api_key')
  })

  test('embeddings: shared words are close, dimensions honoured, base64 decoded', async ({
    assert,
  }) => {
    const openai = client()
    const result = await openai.embeddings.create({
      model: 'text-embedding-test',
      input: ['refund my annual plan', 'refunds for annual plans', 'reset the router password'],
      dimensions: 32,
    })
    const [a, b, c] = result.data.map((d) => d.embedding)
    assert.lengthOf(a, 32)
    assert.isAbove(cosine(a, b), cosine(a, c))
    assert.closeTo(cosine(a, a), 1, 1e-5)
    // The client asks for base64 unless told otherwise.
    assert.equal(fake.calls.at(-1)!.body.encoding_format, 'base64')
  })
})
