/*
| The fetch every `openai` client of ours uses. A spent quota
| (`insufficient_quota`) is a 429 like a rate limit, and the SDK would retry
| it, only burning the caller's deadline: it is marked not retryable with
| the header the SDK itself reads (`x-should-retry`).
*/
export const quotaAwareFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init)
  if (response.status !== 429) return response
  const body = await response.clone().text()
  if (!body.includes('insufficient_quota')) return response
  const headers = new Headers(response.headers)
  headers.set('x-should-retry', 'false')
  return new Response(body, { status: 429, statusText: response.statusText, headers })
}
