import { BaseModel, SnakeCaseNamingStrategy } from '@adonisjs/lucid/orm'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import string from '@adonisjs/core/helpers/string'

/** Columns stay snake_case in PostgreSQL; JSON speaks camelCase. */
class ApiNamingStrategy extends SnakeCaseNamingStrategy {
  serializedName(_: LucidModel, attributeName: string) {
    return string.camelCase(attributeName)
  }
}

export default class AppModel extends BaseModel {
  static namingStrategy = new ApiNamingStrategy()
}
