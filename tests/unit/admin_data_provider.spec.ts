import { test } from '@japa/runner'
import { fromList, listQuery, toHttpError, waitText } from '../../admin/src/providers/data_core.ts'

test.group('Panel data provider: list parameters', () => {
  test('pages, sorts and filters become the API query string', ({ assert }) => {
    const query = listQuery({
      pagination: { currentPage: 3, pageSize: 25, mode: 'server' },
      sorters: [{ field: 'lastMessageAt', order: 'desc' }],
      filters: [
        { field: 'status', operator: 'in', value: ['open', 'pending'] },
        { field: 'assigneeId', operator: 'eq', value: 'me' },
        { field: 'q', operator: 'contains', value: 'refund' },
        { field: 'tag', operator: 'eq', value: '' },
        { field: 'teamId', operator: 'eq', value: undefined },
        { field: 'owner', operator: 'in', value: [] },
      ],
    })
    assert.equal(
      query.toString(),
      'page=3&perPage=25&sort=-lastMessageAt&status=open%2Cpending&assigneeId=me&q=refund'
    )
  })

  test('an ascending sort has no prefix and only the first sorter is sent', ({ assert }) => {
    const query = listQuery({
      sorters: [
        { field: 'createdAt', order: 'asc' },
        { field: 'id', order: 'desc' },
      ],
    })
    assert.equal(query.get('sort'), 'createdAt')
  })

  test('page size is kept within what the API accepts; paging off sends none', ({ assert }) => {
    assert.equal(listQuery({ pagination: { currentPage: 1, pageSize: 500 } }).get('perPage'), '100')
    assert.equal(listQuery({ pagination: { currentPage: 0, pageSize: 0 } }).get('page'), '1')
    assert.isFalse(listQuery({ pagination: { mode: 'off' } }).has('page'))
  })

  test('a between filter becomes a From/To pair', ({ assert }) => {
    const query = listQuery({
      filters: [{ field: 'created', operator: 'between', value: ['2026-01-01', '2026-01-31'] }],
    })
    assert.equal(query.get('createdFrom'), '2026-01-01')
    assert.equal(query.get('createdTo'), '2026-01-31')
  })

  test('a list answer gives Refine its rows and total', ({ assert }) => {
    const body = { data: [{ id: 1 }, { id: 2 }], meta: { total: 57, page: 1, perPage: 2 } }
    assert.deepEqual(fromList(body), { data: [{ id: 1 }, { id: 2 }], total: 57 })
  })
})

test.group('Panel data provider: errors onto form fields', () => {
  test('each 422 error lands on its field, nested paths kept whole', ({ assert }) => {
    const error = toHttpError(422, {
      errors: [
        { field: 'name', rule: 'required', message: 'The name field must be defined' },
        { field: 'actions.1.url', rule: 'url', message: 'Must be an https URL' },
        { field: 'conditions.any.0.value', rule: 'string', message: 'Must be text' },
        { field: 'actions.1.url', rule: 'host', message: 'Must not be a private address' },
      ],
    })
    assert.equal(error.statusCode, 422)
    assert.deepEqual(error.errors, {
      'name': ['The name field must be defined'],
      'actions.1.url': ['Must be an https URL', 'Must not be a private address'],
      'conditions.any.0.value': ['Must be text'],
    })
    assert.equal(error.message, 'The name field must be defined')
  })

  test('an error without a field is the message; no fields means no field errors', ({ assert }) => {
    const error = toHttpError(409, { errors: [{ message: 'A team with this name exists' }] })
    assert.equal(error.message, 'A team with this name exists')
    assert.isUndefined(error.errors)
  })

  test('a body that is not ours still gives a readable message', ({ assert }) => {
    assert.equal(toHttpError(404, null).message, 'Not found.')
    assert.equal(toHttpError(502, '<html>').message, 'Request failed (502).')
  })

  test('a lockout says how long to wait', ({ assert }) => {
    const error = toHttpError(429, { errors: [{ message: 'Too many login attempts' }] }, '840')
    assert.equal(error.message, 'Too many login attempts. Try again in 14 minutes.')
    assert.equal(waitText(30), '30 seconds')
    assert.equal(waitText(60), '1 minute')
  })
})
