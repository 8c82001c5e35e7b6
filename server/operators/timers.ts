/*
| Timed closes and snooze wake-ups. The conversation row holds the due
| time (close_at, snoozed_until) and a job waits for it, so a restart loses
| neither. A job whose time no longer matches the row (the customer wrote,
| an operator changed their mind) does nothing.
*/
import db from '@adonisjs/lucid/services/db'
import type { TimerJob } from '#messaging/queue'
import { publish } from '#messaging/live'
import {
  displayName,
  lockConversation,
  reply,
  requestMirror,
  resolve,
  type DeskTurn,
} from '#operators/desk'
import clock from '#services/clock'

function sameInstant(value: Date | null, iso: string) {
  return value !== null && Math.abs(new Date(value).getTime() - Date.parse(iso)) < 1
}

export async function runTimer(job: TimerJob): Promise<void> {
  const turn = await db.transaction(async (trx) => {
    const conversation = await lockConversation(trx, job.conversationId)
    if (!conversation) return undefined
    const due = job.kind === 'close' ? conversation.close_at : conversation.snoozed_until
    if (!sameInstant(due, job.due)) return undefined
    // A job may run a little early (clock skew between hosts): never act before the time.
    if (Date.parse(job.due) > clock.nowMs() + 1000) return undefined

    const by =
      job.kind === 'close' && conversation.close_by_id
        ? await trx.from('users').where('id', conversation.close_by_id).first()
        : undefined
    const t: DeskTurn = {
      trx,
      conversation,
      user: by ? { id: by.id, name: displayName(by) } : { id: null, name: 'Switchboard' },
      events: [],
      notices: [],
    }
    if (job.kind === 'close') {
      // The farewell is the operator's; keyed by the due time, so a rerun sends it once.
      if (conversation.close_message && by) {
        await reply(t, conversation.close_message, `close:${job.due}`)
      }
      await resolve(t)
    } else {
      await trx
        .from('conversations')
        .where('id', conversation.id)
        .update({ status: 'open', snoozed_until: null, updated_at: clock.now().toJSDate() })
      t.events.push(['conversation.updated', { conversationId: conversation.id }])
    }
    await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
    return t
  })
  for (const [event, data] of turn?.events ?? []) {
    publish(turn!.conversation.team_id, event, data)
  }
}
