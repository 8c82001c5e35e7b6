/*
| Rule conditions: every operator, nesting, the trace a rule's log shows,
| the checks that name a bad condition's path, and business hours.
*/
import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { checkConditions, compileConditions, type ConditionTrace } from '#automation/conditions'
import { isOpen } from '#automation/business_hours'

const facts = (values: Record<string, unknown>) => ({
  get: (field: string) => values[field] ?? null,
})

test.group('Rule conditions', () => {
  test('each operator', ({ assert }) => {
    const f = facts({
      'message.text': 'Where is my ORDER #123?',
      'tags': ['vip', 'billing'],
      'minutes_since_customer': 12,
      'priority': 'high',
      'contact.email': null,
    })
    const holds = (field: string, operator: string, value?: unknown) =>
      compileConditions({ field, operator: operator as never, value })(f, null)
    assert.isTrue(holds('priority', 'equals', 'HIGH'))
    assert.isFalse(holds('priority', 'not_equals', 'high'))
    assert.isTrue(holds('message.text', 'contains', 'order'))
    assert.isTrue(holds('tags', 'contains', 'vip'))
    assert.isFalse(holds('tags', 'contains', 'vi'))
    assert.isTrue(holds('message.text', 'not_contains', 'refund'))
    assert.isTrue(holds('message.text', 'matches', '#\\d{3}'))
    assert.isFalse(holds('message.text', 'matches', '^order'))
    assert.isTrue(holds('message.text', 'matches', '(?i)^where'))
    assert.isTrue(holds('tags', 'present'))
    assert.isTrue(holds('contact.email', 'absent'))
    assert.isTrue(holds('minutes_since_customer', 'gt', 10))
    assert.isFalse(holds('minutes_since_customer', 'lt', 10))
    assert.isFalse(holds('contact.email', 'gt', 0))
    assert.isTrue(holds('priority', 'in', ['urgent', 'high']))
  })

  test('a pattern that backtracks badly elsewhere runs in linear time here', ({ assert }) => {
    const evil = compileConditions({ field: 'message.text', operator: 'matches', value: '^(a+)+$' })
    // A backtracking engine would not finish this within the test's timeout (or ever).
    assert.isFalse(evil(facts({ 'message.text': `${'a'.repeat(5000)}!` }), null))
  })

  test('nested all/any short-circuit and record what they saw', ({ assert }) => {
    const rule = compileConditions({
      all: [
        { field: 'status', operator: 'equals', value: 'open' },
        {
          any: [
            { field: 'priority', operator: 'equals', value: 'urgent' },
            { field: 'tags', operator: 'contains', value: 'vip' },
          ],
        },
      ],
    })
    const trace: ConditionTrace[] = []
    assert.isTrue(rule(facts({ status: 'open', priority: 'low', tags: ['vip'] }), trace))
    assert.deepEqual(
      trace.map((t) => [t.path, t.seen, t.result]),
      [
        ['conditions.all.0', 'open', true],
        ['conditions.all.1.any.0', 'low', false],
        ['conditions.all.1.any.1', ['vip'], true],
      ]
    )
    const failed: ConditionTrace[] = []
    assert.isFalse(rule(facts({ status: 'resolved' }), failed))
    assert.lengthOf(failed, 1)
  })

  test('checks name the path of every problem', ({ assert }) => {
    const errors = checkConditions({
      any: [
        { field: 'message.text', operator: 'gt', value: 'x' },
        { all: [{ field: 'nope', operator: 'present' }, 'text'] },
        { field: 'contact.attributes.plan', operator: 'in', value: ['pro'] },
        { field: 'event.data.amount', operator: 'matches', value: '[' },
      ],
    })
    assert.deepEqual(
      errors.map((e) => e.field),
      [
        'conditions.any.0.value',
        'conditions.any.1.all.0.field',
        'conditions.any.1.all.1',
        'conditions.any.3.value',
      ]
    )
    assert.deepEqual(checkConditions({ all: [] }), [])
  })

  test('business hours: weekly spans in the team timezone, holidays closed, no calendar open', ({
    assert,
  }) => {
    const calendar = {
      timezone: 'America/New_York',
      weekly: { fri: ['09:00-12:00', '13:00-17:30'] },
      holidays: ['2026-12-25'],
    }
    const at = (iso: string) => DateTime.fromISO(iso)
    assert.isTrue(isOpen(calendar, at('2026-12-04T14:30:00Z'))) // Fri 09:30 in New York
    assert.isFalse(isOpen(calendar, at('2026-12-04T17:30:00Z'))) // Fri 12:30, lunch
    assert.isFalse(isOpen(calendar, at('2026-12-04T22:30:00Z'))) // Fri 17:30, closed
    assert.isFalse(isOpen(calendar, at('2026-12-25T15:00:00Z'))) // Christmas, a Friday
    assert.isFalse(isOpen(calendar, at('2026-12-05T15:00:00Z'))) // Saturday
    assert.isTrue(isOpen(null, at('2026-12-05T15:00:00Z')))
  })
})
