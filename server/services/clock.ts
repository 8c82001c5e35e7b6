import { DateTime } from 'luxon'

/**
 * The one source of "now" (DESIGN invariant 8). Tests move time with
 * `clock.travel()` / `clock.freeze()` instead of patching Date.
 */
export class Clock {
  #offsetMs = 0
  #frozen: number | null = null

  nowMs(): number {
    return this.#frozen ?? Date.now() + this.#offsetMs
  }

  now(): DateTime {
    return DateTime.fromMillis(this.nowMs())
  }

  travel(ms: number) {
    if (this.#frozen !== null) this.#frozen += ms
    else this.#offsetMs += ms
  }

  freeze(at?: DateTime) {
    this.#frozen = at ? at.toMillis() : this.nowMs()
  }

  reset() {
    this.#offsetMs = 0
    this.#frozen = null
  }
}

const clock = new Clock()
export default clock
