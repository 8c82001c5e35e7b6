import { test } from '@japa/runner'
import dayjs from 'dayjs'
import {
  csvUrl,
  isEmpty,
  perDayByChannel,
  readSelection,
  reportQuery,
  writeSelection,
} from '../../admin/src/resources/dashboard/report.ts'

const today = dayjs('2026-12-06T15:00:00')

test.group('Panel dashboard: period and team in the address', () => {
  test('presets are the last N days, today included; the default is 30', ({ assert }) => {
    assert.deepInclude(readSelection(new URLSearchParams(''), today), {
      preset: '30',
      from: '2026-11-07',
      to: '2026-12-06',
    })
    assert.deepInclude(readSelection(new URLSearchParams('period=7'), today), {
      from: '2026-11-30',
      to: '2026-12-06',
    })
    assert.deepInclude(readSelection(new URLSearchParams('period=90'), today), {
      from: '2026-09-08',
    })
  })

  test('a custom range is kept only when it is a valid period', ({ assert }) => {
    const custom = readSelection(
      new URLSearchParams('period=custom&from=2026-10-01&to=2026-10-31&teamId=3'),
      today
    )
    assert.deepEqual(custom, { preset: 'custom', from: '2026-10-01', to: '2026-10-31', teamId: 3 })
    for (const bad of [
      'period=custom&from=2026-10-31&to=2026-10-01',
      'period=custom&from=2020-01-01&to=2026-10-01',
      'period=custom&from=yesterday&to=2026-10-01',
      'period=12',
    ]) {
      assert.equal(readSelection(new URLSearchParams(bad), today).preset, '30', bad)
    }
    assert.isUndefined(readSelection(new URLSearchParams('teamId=abc'), today).teamId)
  })

  test('presets stay relative in the address; custom ranges keep their days', ({ assert }) => {
    const preset = readSelection(new URLSearchParams('period=7&teamId=2'), today)
    assert.equal(writeSelection(preset).toString(), 'period=7&teamId=2')
    const custom = { preset: 'custom' as const, from: '2026-10-01', to: '2026-10-31' }
    assert.equal(writeSelection(custom).toString(), 'period=custom&from=2026-10-01&to=2026-10-31')
  })

  test('both endpoints get the days, the zone and the team', ({ assert }) => {
    const selection = { preset: '7' as const, from: '2026-11-30', to: '2026-12-06', teamId: 4 }
    assert.deepEqual(reportQuery(selection, 'Europe/Berlin'), {
      from: '2026-11-30',
      to: '2026-12-06',
      tz: 'Europe/Berlin',
      teamId: 4,
    })
    assert.equal(
      csvUrl({ ...selection, teamId: undefined }, 'America/Los_Angeles'),
      '/api/v1/reports/conversations.csv?from=2026-11-30&to=2026-12-06&tz=America%2FLos_Angeles'
    )
  })
})

test.group('Panel dashboard: series', () => {
  test('conversations per day become one row per day, channels largest first', ({ assert }) => {
    const { channels, data } = perDayByChannel([
      { day: '2026-12-05', channel: 'api', count: 1 },
      { day: '2026-12-05', channel: 'telegram', count: 4 },
      { day: '2026-12-06', channel: 'api', count: 0 },
      { day: '2026-12-06', channel: 'telegram', count: 2 },
    ])
    assert.deepEqual(channels, ['telegram', 'api'])
    assert.deepEqual(data, [
      { day: '2026-12-05', api: 1, telegram: 4 },
      { day: '2026-12-06', api: 0, telegram: 2 },
    ])
  })

  test('a period without conversations or customer messages is empty', ({ assert }) => {
    const overview = {
      kpis: { createdInPeriod: 0, resolvedInPeriod: 0 },
      series: { busiestHours: [{ weekday: 0, hour: 9, count: 0 }] },
    }
    assert.isTrue(isEmpty(overview))
    overview.series.busiestHours[0].count = 1
    assert.isFalse(isEmpty(overview))
  })
})
