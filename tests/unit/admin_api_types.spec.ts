import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import { API_TYPES_FILE, apiTypes } from '#services/api_types'

test.group('Panel API types', () => {
  test('admin/src/api/schema.d.ts matches the OpenAPI document', async ({ assert }) => {
    const committed = await readFile(API_TYPES_FILE, 'utf8')
    assert.isTrue(
      committed === (await apiTypes()),
      'admin/src/api/schema.d.ts is out of date: run `npm run admin:types`'
    )
  })
})
