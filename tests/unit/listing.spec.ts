import { test } from '@japa/runner'
import { parseSort } from '#services/listing'

test.group('List sorting', () => {
  test('maps API sort fields to columns and directions', ({ assert }) => {
    assert.deepEqual(parseSort('-lastMessageAt', 'id'), ['last_message_at', 'desc'])
    assert.deepEqual(parseSort('createdAt', 'id'), ['created_at', 'asc'])
    assert.deepEqual(parseSort(undefined, '-id'), ['id', 'desc'])
  })
})
