/*
| `node ace worker` as a real child process on the test database, so tests
| can run several and kill one with SIGKILL.
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export class WorkerProcess {
  output = ''
  #exited: Promise<void>

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => (this.output += chunk))
    child.stderr?.on('data', (chunk) => (this.output += chunk))
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
  }

  /** Resolves once the worker says it runs (its queue and channel runner are up). */
  static async start(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--import', '@poppinss/ts-exec', 'ace.js', 'worker'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const worker = new WorkerProcess(child)
    const deadline = Date.now() + 30_000
    while (!worker.output.includes('worker running')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`node ace worker did not start:\n${worker.output}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    return worker
  }

  /** No cleanup, no goodbye: the process is gone mid-work. */
  async kill() {
    this.child.kill('SIGKILL')
    await this.#exited
  }

  async stop() {
    if (this.child.exitCode !== null) return
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await this.#exited
    clearTimeout(timer)
  }
}
