import { openApiDocument } from '#services/openapi'

const document = openApiDocument()

export default class OpenApiController {
  /** GET /api/v1/openapi.json */
  show() {
    return document
  }
}
