import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { spec } from '@japa/runner/reporters'
import { summaryLine } from '#tests/support/summary_line_reporter'

export const plugins: Config['plugins'] = [
  assert(),
  pluginAdonisJS(app),
  apiClient(),
  sessionApiClient(app),
  authApiClient(app),
]

export const reporters: Config['reporters'] = {
  activated: ['spec', 'summary-line'],
  list: [spec(), summaryLine()],
}

/*
| One HTTP server for the whole run: the functional and the browser suites
| share it. Started again per suite, the second start would find the first
| closed server and never listen.
*/
let httpServer: Promise<() => Promise<void> | void> | undefined

/** A fresh schema for the run: migrations roll back and run again. */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => testUtils.db().migrate()],
  teardown: [
    async () => {
      const close = await httpServer
      await close?.()
    },
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional', 'e2e'].includes(suite.name)) {
    return suite.setup(async () => {
      httpServer ??= testUtils.httpServer().start()
      await httpServer
    })
  }
}
