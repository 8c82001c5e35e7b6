import { BaseReporter } from '@japa/runner/core'
import type { NamedReporterContract } from '@japa/runner/types'

/**
 * Ends the run with one plain line, `N passed, N failed`, that CI reads. A run
 * that executed no test says so in that line instead of passing silently.
 */
class SummaryLineReporter extends BaseReporter {
  async end() {
    const { aggregates } = this.runner!.getSummary()
    const skipped = aggregates.skipped + aggregates.todo
    const line = `${aggregates.passed} passed, ${aggregates.failed} failed`
    console.log(skipped ? `${line}, ${skipped} skipped` : line)
    // A failed run must fail the process, whatever later calls process.exit(0)
    // (an exit hook of a library, say): the code is read after 'exit' listeners.
    if (this.runner!.getSummary().hasError) {
      process.on('exit', () => {
        process.exitCode = 1
      })
    }
  }
}

export function summaryLine(): NamedReporterContract {
  return {
    name: 'summary-line',
    handler: (...args) => new SummaryLineReporter().boot(...args),
  }
}
