/**
 * A cookie-keeping HTTP client that behaves like the panel in a browser:
 * it stores Set-Cookie, sends cookies back, and echoes the XSRF-TOKEN cookie
 * in X-XSRF-TOKEN only when told to. Plain fetch, so nothing in between
 * rewrites cookies.
 */
export class Browser {
  readonly cookies = new Map<string, string>()
  readonly base = `http://${process.env.HOST}:${process.env.PORT}`

  async request(method: string, path: string, body?: unknown, opts: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookies.size) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    }
    const xsrf = this.cookies.get('XSRF-TOKEN')
    if (opts.csrf && xsrf) headers['x-xsrf-token'] = decodeURIComponent(xsrf)
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';')
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]
      const expired = attributes.some(
        (a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim())
      )
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const text = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      setCookies: response.headers.getSetCookie(),
      body: text ? JSON.parse(text) : null,
    }
  }

  get(path: string) {
    return this.request('GET', path)
  }

  post(path: string, body?: unknown, opts?: { csrf?: boolean }) {
    return this.request('POST', path, body ?? {}, opts)
  }
}
