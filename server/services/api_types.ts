/*
| The panel's TypeScript types for the API (admin/src/api/schema.d.ts),
| generated from the OpenAPI document so the shapes are written once.
| `node ace admin:types` rewrites the file; a unit test fails when it is stale.
*/
import app from '@adonisjs/core/services/app'
import openapiTS, { astToString } from 'openapi-typescript'
import { openApiDocument } from '#services/openapi'

export const API_TYPES_FILE = app.makePath('admin', 'src', 'api', 'schema.d.ts')

const HEADER = '// Generated from /api/v1/openapi.json by `node ace admin:types`. Do not edit.\n\n'

export async function apiTypes(): Promise<string> {
  // The document is plain JSON built in openapi.ts; its literal types are narrower than OpenAPI3's.
  const document = JSON.parse(JSON.stringify(openApiDocument()))
  const ast = await openapiTS(document, {
    alphabetize: true,
  })
  return HEADER + astToString(ast)
}
