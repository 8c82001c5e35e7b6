import db from '@adonisjs/lucid/services/db'

export type CheckResult = 'ok' | string

/** Each check answers 'ok' or why not, within a bounded time. */
export default class HealthService {
  async run(): Promise<{ healthy: boolean; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {
      database: await this.database(),
    }
    return { healthy: Object.values(checks).every((c) => c === 'ok'), checks }
  }

  protected async database(): Promise<CheckResult> {
    try {
      await Promise.race([
        db.rawQuery('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 3000).unref()),
      ])
      return 'ok'
    } catch (error) {
      return `error: ${(error as Error).message || (error as { code?: string }).code || 'unreachable'}`
    }
  }
}
