/*
| Bree job: Rolls usage events up into usage_daily (daily).
| Runs in a worker thread under Node's own type stripping and only asks the
| scheduler to enqueue the sweep; the work runs in the job queue.
*/
import { parentPort } from 'node:worker_threads'

parentPort?.postMessage({ enqueue: 'usage_rollup' })
