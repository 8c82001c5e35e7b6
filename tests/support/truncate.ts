/*
| Emptying the database between tests, as testUtils.db().truncate() does,
| but retried when PostgreSQL picks the TRUNCATE as a deadlock's victim: a
| job finishing its transaction as a worker stops can hold row locks the
| TRUNCATE's table locks collide with. Retrying is safe; the table is
| emptied either way.
*/
import testUtils from '@adonisjs/core/services/test_utils'
import { sleep } from '#tests/support/wait'

/** The clean-up function, for `group.each.setup(() => truncateLater())`. */
export async function truncateLater(): Promise<() => Promise<void>> {
  const truncate = await testUtils.db().truncate()
  return async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await truncate()
        return
      } catch (error) {
        if (attempt >= 5 || !/deadlock detected/.test(String(error))) throw error
        await sleep(100 * attempt)
      }
    }
  }
}

/** Empties the database now. */
export async function truncateNow() {
  const truncate = await truncateLater()
  await truncate()
}
