/*
| Knowledge retrieval benchmark: `npm run bench:rag [-- --dataset=<dir> --split=test]`.
|
| Runs `node ace kb:eval --json` (server/commands/kb_eval.ts) on a BEIR-format
| data set, by default BEIR SciFact in ../shared/datasets/scifact: the corpus
| goes through the production indexer into an evaluation collection, every
| query of the split through the production search. Prints one JSON line on
| stdout:
|
|   {"ndcg_at_10","recall_at_100","mrr_at_10","p50_ms","p95_ms","queries",
|    "documents","split","dataset","postgres_version"}
|
| Latency is per search call as the app makes it (both round trips), after
| a warm-up. Progress and kb:eval's own summary go to stderr.
|
| Database: BENCH_DATABASE_URL when set, otherwise a throwaway embedded
| PostgreSQL in a temporary directory (removed at the end).
| WARNING: the `public` schema of BENCH_DATABASE_URL is DROPPED and recreated.
*/
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import pg from 'pg'
import {
  appEnvFor,
  cleanUpOnSignals,
  log,
  nodeArgs,
  ROOT,
  runBenchmark,
  runNode,
  scratchDatabase,
  timed,
} from './support.js'

cleanUpOnSignals()

function stringArg(name: string, fallback: string): string {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  return raw ? raw.slice(name.length + 3) : fallback
}

const DATASET = resolve(ROOT, stringArg('dataset', '../shared/datasets/scifact'))
const SPLIT = stringArg('split', 'test')

/** Runs an ace command; its stdout is returned (and echoed to stderr), its stderr passes through. */
function aceOutput(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, nodeArgs(['ace.js', ...args]), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 2],
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      process.stderr.write(chunk)
    })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0 ? done(output) : reject(new Error(`ace ${args[0]} exited with ${code ?? signal}`))
    )
  })
}

async function main() {
  log(`kb:eval of ${DATASET} (${SPLIT})`)
  const { url } = await scratchDatabase()
  const appEnv = appEnvFor(url)

  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query('SHOW server_version')
  const version = rows[0].server_version as string
  await client.end()

  await timed('migrations', () => runNode(['ace.js', 'migration:run', '--force'], appEnv))
  const output = await timed('kb:eval', () =>
    aceOutput(['kb:eval', `--dataset=${DATASET}`, `--split=${SPLIT}`, '--json'], appEnv)
  )
  const last = output.trim().split('\n').pop() ?? ''
  let metrics: Record<string, unknown>
  try {
    metrics = JSON.parse(last)
  } catch {
    throw new Error(`kb:eval did not end with a JSON line: ${last}`)
  }
  process.stdout.write(
    JSON.stringify({ ...metrics, split: SPLIT, dataset: DATASET, postgres_version: version }) + '\n'
  )
}

await runBenchmark(main, { destroy() {} })
