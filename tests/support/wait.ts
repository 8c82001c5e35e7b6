import { setTimeout as sleep } from 'node:timers/promises'

/** Polls `probe` until it returns something truthy; fails the test after `ms`. */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 15_000,
  what = 'a condition'
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}`)
    await sleep(50)
  }
}

export { sleep }
