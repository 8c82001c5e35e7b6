/*
| The worker: job handlers plus the channel runner. `npm start` runs it in
| the web process (unless RUN_WORKER=false); `node ace worker` runs it alone.
| Any number may run against one database.
*/
import queue, {
  ASSIST_QUEUE,
  DELIVER_QUEUE,
  EMBED_QUEUE,
  MIRROR_QUEUE,
  PROCESS_QUEUE,
  REVISE_QUEUE,
  RULE_WEBHOOK_QUEUE,
  SWEEP_QUEUE,
  TIMER_QUEUE,
} from '#messaging/queue'
import { mirrorConversation } from '#operators/mirror'
import { runTimer } from '#operators/timers'
import { reviseMessage } from '#messaging/revise'
import runner from '#messaging/runner'
import { processMessage } from '#messaging/process'
import { deliverConversation } from '#messaging/outbox'
import { answerConversation } from '#assistant/answer'
import { embedDocuments } from '#knowledge/embedding_jobs'
import { SWEEPS } from '#automation/sweeps'
import { deliverRuleWebhook } from '#automation/webhooks'
import listener from '#automation/listener'
import { Scheduler } from '#automation/scheduler'
import env from '#start/env'

const scheduler = new Scheduler()

export async function startWorker() {
  await queue.work({
    [PROCESS_QUEUE]: ({ messageId }) => processMessage(messageId),
    [DELIVER_QUEUE]: ({ conversationId }) => deliverConversation(conversationId),
    [MIRROR_QUEUE]: ({ conversationId }) => mirrorConversation(conversationId),
    [TIMER_QUEUE]: (job) => runTimer(job),
    [REVISE_QUEUE]: ({ messageId }) => reviseMessage(messageId),
    [ASSIST_QUEUE]: ({ conversationId }) => answerConversation(conversationId),
    [EMBED_QUEUE]: (job) => embedDocuments(job),
    [SWEEP_QUEUE]: async ({ task }) => {
      await SWEEPS[task as keyof typeof SWEEPS]?.()
    },
    [RULE_WEBHOOK_QUEUE]: (job) => deliverRuleWebhook(job),
  })
  await runner.start()
  await listener.start()
  if (env.get('RUN_SCHEDULER') !== false) await scheduler.start()
}

export async function stopWorker() {
  await scheduler.stop()
  await listener.stop()
  await runner.stop()
  await queue.stop()
}
