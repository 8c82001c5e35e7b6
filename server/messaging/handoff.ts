/*
| Handing a conversation to people: the owner becomes `queued`, the reason
| is kept on the conversation and written as an internal note operators
| see in the thread, and the workspaces are asked to mirror it, all in the
| caller's transaction. Only a conversation the bot owns is handed off.
| `source` says who asked (the customer, the assistant, a rule): escalation
| rules see it on the event the conversations trigger records.
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#services/clock'
import { requestMirror } from '#operators/desk'

export type HandoffSource = 'customer' | 'assistant' | 'rule'

/** How a hand-off note begins: the reports count hand-offs by it. */
export const HANDOFF_NOTE_PREFIX = 'Handed to people: '

export async function handOff(
  trx: TransactionClientContract,
  conversation: { id: number; teamId: number; channelId: number | null },
  reason: string,
  idempotencyKey: string,
  source: HandoffSource = 'rule'
): Promise<number | undefined> {
  await trx.rawQuery("SELECT set_config('switchboard.handoff_source', ?, true)", [source])
  const updated = await trx
    .from('conversations')
    .where({ id: conversation.id, owner: 'bot' })
    .update({ owner: 'queued', handoff_reason: reason, updated_at: clock.now().toJSDate() })
  if (!Number(updated)) return undefined
  const [note] = await trx
    .table('messages')
    .returning('id')
    .insert({
      conversation_id: conversation.id,
      channel_id: conversation.channelId,
      direction: 'internal',
      author_kind: 'system',
      kind: 'note',
      body: HANDOFF_NOTE_PREFIX + reason,
      idempotency_key: idempotencyKey,
    })
  await requestMirror(trx, conversation)
  return note.id as number
}
