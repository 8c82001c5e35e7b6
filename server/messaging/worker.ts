/*
| The worker: job handlers plus the channel runner. `npm start` runs it in
| the web process (unless RUN_WORKER=false); `node ace worker` runs it alone.
| Any number may run against one database.
*/
import queue from '#messaging/queue'
import runner from '#messaging/runner'
import { processMessage } from '#messaging/process'
import { deliverConversation } from '#messaging/outbox'

export async function startWorker() {
  await queue.work({
    process: ({ messageId }) => processMessage(messageId),
    deliver: ({ conversationId }) => deliverConversation(conversationId),
  })
  await runner.start()
}

export async function stopWorker() {
  await runner.stop()
  await queue.stop()
}
