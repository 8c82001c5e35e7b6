import { test } from '@japa/runner'
import { Clock } from '#services/clock'

test.group('Clock', () => {
  test('travel moves now forward; freeze stops it; reset returns to real time', async ({
    assert,
  }) => {
    const clock = new Clock()
    const real = Date.now()
    clock.travel(3_600_000)
    assert.closeTo(clock.nowMs(), real + 3_600_000, 1000)
    clock.freeze()
    const frozen = clock.nowMs()
    await new Promise((r) => setTimeout(r, 20))
    assert.equal(clock.nowMs(), frozen)
    clock.travel(1000)
    assert.equal(clock.now().toMillis(), frozen + 1000)
    clock.reset()
    assert.closeTo(clock.nowMs(), Date.now(), 1000)
  })
})
