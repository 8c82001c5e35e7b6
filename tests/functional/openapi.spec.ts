import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'

/** `/api/v1/users/:id` → `/api/v1/users/{id}` */
const toOpenApi = (pattern: string) => pattern.replace(/:([a-zA-Z_]+)/g, '{$1}')

test.group('OpenAPI document', () => {
  test('is served as OpenAPI 3.1 and lists every route, and only real routes', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/api/v1/openapi.json')
    response.assertStatus(200)
    const doc = response.body()
    assert.equal(doc.openapi, '3.1.0')

    const routes = Object.values(router.toJSON()).flat()
    const served = new Set<string>()
    for (const route of routes) {
      // The panel's pages are HTML for browsers, not part of the API.
      if (route.pattern === '/' || route.pattern.startsWith('/admin')) continue
      for (const method of route.methods) {
        if (method === 'HEAD') continue
        served.add(`${method.toLowerCase()} ${toOpenApi(route.pattern)}`)
      }
    }
    const documented = new Set<string>()
    for (const [path, operations] of Object.entries(doc.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method} ${path}`)
    }
    const undocumented = [...served].filter((r) => !documented.has(r))
    const phantom = [...documented].filter((r) => !served.has(r))
    assert.deepEqual(undocumented, [], 'routes missing from openapi.json')
    assert.deepEqual(phantom, [], 'documented operations with no route')
    assert.isAbove(served.size, 30)
  })

  test('every $ref points at a defined component', async ({ client, assert }) => {
    const doc = (await client.get('/api/v1/openapi.json')).body()
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/[^"]+"/g) ?? []
    for (const ref of new Set(refs)) {
      const [, kind, name] = ref.slice(8, -1).replace('#/', '').split('/')
      assert.property(doc.components[kind], name, ref)
    }
  })
})
