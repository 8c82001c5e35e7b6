/*
| Bree job: Resumes delayed rule actions, timed closes and snoozes that fell due, and handles any rule events left unhandled (every 15 seconds).
| Runs in a worker thread under Node's own type stripping and only asks the
| scheduler to enqueue the sweep; the work runs in the job queue.
*/
import { parentPort } from 'node:worker_threads'

parentPort?.postMessage({ enqueue: 'due' })
