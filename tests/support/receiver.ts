import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'

/** A company's webhook receiver: records every request, answers from a script. */
export class Receiver {
  requests: Array<{ headers: IncomingHttpHeaders; body: string }> = []
  answers: number[] = []
  #server?: Server
  url = ''

  async start() {
    this.#server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body })
        res.statusCode = this.answers.shift() ?? 200
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    const address = this.#server.address() as { port: number }
    this.url = `http://127.0.0.1:${address.port}/hooks`
  }

  stop() {
    return new Promise<void>((resolve) => this.#server?.close(() => resolve()))
  }
}
