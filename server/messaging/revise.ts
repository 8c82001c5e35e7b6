/*
| The message.revise job: an operator edited or deleted a reply the
| customer already has, and the customer's copy follows where the
| platform allows. Running it twice is harmless: the same text again, or a
| message already gone.
*/
import db from '@adonisjs/lucid/services/db'
import Channel from '#models/channel'
import { PermanentError } from '#channels/port'
import { adapterOf } from '#messaging/channels'

export async function reviseMessage(messageId: number): Promise<void> {
  const message = await db.from('messages').where('id', messageId).first()
  if (!message || message.delivery_status !== 'sent' || !message.channel_id) return
  const externalIds =
    (message.metadata?.externalIds as string[] | undefined) ??
    (message.external_id ? [message.external_id] : [])
  if (!externalIds.length) return
  const channel = await Channel.find(message.channel_id)
  if (!channel) return
  const adapter = adapterOf(channel)
  const conversation = await db.from('conversations').where('id', message.conversation_id).first()
  const identity = await db
    .from('contact_identities')
    .where({ contact_id: conversation.contact_id, platform: channel.platform })
    .first()
  if (!identity) return
  const started = Date.now()
  let outcome = message.deleted_at ? 'deleted' : 'edited'
  let detail: string | null = null
  try {
    if (message.deleted_at) {
      if (!adapter.remove) outcome = 'unsupported'
      else await adapter.remove(identity.external_id, externalIds)
    } else if (!adapter.capabilities.edits || !adapter.edit) {
      outcome = 'unsupported'
    } else {
      await adapter.edit(identity.external_id, externalIds, message.body ?? '')
    }
  } catch (error) {
    // Too old to edit, already deleted: retrying cannot help. Anything else is retried.
    if (!(error instanceof PermanentError)) throw error
    outcome = 'failed'
    detail = error.message
  }
  await db.table('delivery_attempts').insert({
    message_id: messageId,
    attempt: message.attempts,
    outcome,
    detail,
    duration_ms: Date.now() - started,
  })
}
