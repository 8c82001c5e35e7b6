/*
| What operators do in a workspace, applied to the core. Like customer
| ingest, one platform event is one transaction: the ledger row (the
| platform's event id, so a retried delivery changes nothing), then the
| reply, command, edit or button press, with the conversation locked. A
| person we cannot tie to a Switchboard user is told so, and nothing
| reaches the customer.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { OperatorEvent, WorkspaceAdapter } from '#channels/workspace'
import queue, { REVISE_QUEUE } from '#messaging/queue'
import { publish } from '#messaging/live'
import clock from '#services/clock'
import { canSeeTeam } from '#services/access'
import User from '#models/user'
import OperatorWorkspace from '#models/operator_workspace'
import { workspaceAdapterOf, workspaceConfigOf } from '#operators/workspaces'
import { parseOperatorText } from '#operators/commands'
import {
  claim,
  displayName,
  handBack,
  lockConversation,
  reply,
  requestMirror,
  resolve,
  runCommand,
  type DeskTurn,
} from '#operators/desk'

type Row = Record<string, any>

export interface OperatorIngestResult {
  duplicate: boolean
  /** For a slash command: the answer, shown only to whoever typed it. */
  feedback?: string
}

export const UNLINKED_NOTICE =
  'Your account here is not linked to a Switchboard user, so nothing was sent. ' +
  'Ask an admin to link it, or use the same email address in both.'

/**
 * The Switchboard user behind a workspace account: a linked identity, or
 * (once) a user with the same email as the platform reports. Outside the
 * transaction: the lookup is a platform call.
 */
async function operatorFor(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  who: OperatorEvent['user']
): Promise<User | undefined> {
  const linked = await db
    .from('operator_identities')
    .where({ platform: workspace.platform, external_id: who.externalId })
    .first()
  if (linked) return (await User.find(linked.user_id)) ?? undefined
  const profile = await adapter.lookupUser?.(who.externalId).catch(() => undefined)
  if (!profile?.email) return undefined
  const user = await User.query().whereRaw('lower(email) = lower(?)', [profile.email]).first()
  if (!user) return undefined
  await db
    .table('operator_identities')
    .insert({
      user_id: user.id,
      platform: workspace.platform,
      external_id: who.externalId,
      display_name: profile.name ?? who.name ?? null,
    })
    .onConflict(['platform', 'external_id'])
    .ignore()
  return user
}

/** `42 close`, `#42 /close` → the conversation id and the command text. */
function slashTarget(text: string): { conversationId?: number; rest: string } {
  const match = /^\s*#?(\d{1,9})\b\s*(.*)$/s.exec(text)
  if (!match) return { rest: text.trim() }
  const rest = match[2].trim()
  return {
    conversationId: Number(match[1]),
    rest: /^[/!]/.test(rest) || rest === '' ? rest : `/${rest}`,
  }
}

async function notice(
  trx: TransactionClientContract,
  thread: Row,
  recipient: string,
  body: string
) {
  await trx.table('operator_posts').insert({
    thread_id: thread.id,
    workspace_id: thread.workspace_id,
    conversation_id: thread.conversation_id,
    body,
    recipient,
  })
}

/** The operator's own post in this thread, and the reply it became. */
async function replyOf(trx: TransactionClientContract, workspaceId: number, externalId: string) {
  return (await trx
    .from('operator_posts as p')
    .join('messages as m', 'm.id', 'p.message_id')
    .where({ 'p.workspace_id': workspaceId, 'p.external_id': externalId })
    .where('m.author_kind', 'operator')
    .select('m.*')
    .first()) as Row | undefined
}

export async function ingestOperatorEvent(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  event: OperatorEvent
): Promise<OperatorIngestResult> {
  const user = await operatorFor(workspace, adapter, event.user)
  let teamId: number | undefined
  let turn: DeskTurn | undefined

  const result = await db.transaction(async (trx): Promise<OperatorIngestResult> => {
    const ledger = await trx
      .table('inbound_events')
      .insert({
        source_type: 'workspace',
        source_id: workspace.id,
        external_id: event.eventId,
        kind: event.message
          ? 'message'
          : event.edit
            ? 'edit'
            : event.delete
              ? 'delete'
              : event.action
                ? 'action'
                : 'command',
        payload: JSON.stringify(event),
      })
      .onConflict(['source_type', 'source_id', 'external_id'])
      .ignore()
      .returning('id')
    if (!ledger.length) return { duplicate: true }

    // Which conversation: the thread's, or the one a slash command names.
    let commandText = event.command?.text
    let conversationId: number | undefined
    let thread: Row | undefined
    if (event.threadId) {
      thread = await trx
        .from('operator_threads')
        .where({ workspace_id: workspace.id, external_thread_id: event.threadId })
        .first()
      conversationId = thread?.conversation_id
    } else if (commandText !== undefined) {
      const target = slashTarget(commandText)
      conversationId = target.conversationId
      commandText = target.rest
      if (conversationId) {
        thread = await trx
          .from('operator_threads')
          .where({ workspace_id: workspace.id, conversation_id: conversationId })
          .first()
      }
    }
    // Chatter outside any conversation's thread is the operators' own.
    if (!thread || !conversationId) {
      return event.command
        ? {
            duplicate: false,
            feedback: 'Name a conversation shown in this workspace: /sb 42 close',
          }
        : { duplicate: false }
    }

    const conversation = await lockConversation(trx, conversationId)
    if (!conversation) return { duplicate: false }
    teamId = conversation.team_id
    const allowed = user && !user.disabledAt && (await canSeeTeam(user, conversation.team_id))
    if (!allowed) {
      if (event.command) return { duplicate: false, feedback: UNLINKED_NOTICE }
      await notice(trx, thread, event.user.externalId, UNLINKED_NOTICE)
      await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
      return { duplicate: false }
    }

    turn = {
      trx,
      conversation,
      user: { id: user.id, name: displayName({ full_name: user.fullName, email: user.email }) },
      events: [],
      notices: [],
    }
    if (event.message || commandText !== undefined) {
      const text = event.message?.text ?? commandText ?? ''
      const parsed = parseOperatorText(text)
      if (parsed.kind === 'command') {
        await runCommand(turn, parsed.command)
      } else if (parsed.kind === 'error') {
        turn.notices.push(parsed.message)
      } else if (event.command) {
        turn.notices.push('Write a command, e.g. /sb 42 close. Replies go in the thread.')
      } else if (event.message!.attachments.length) {
        turn.notices.push(
          'Files posted in the thread are not sent to the customer; send them from the panel.'
        )
      } else if (text.trim()) {
        const messageId = await reply(turn, text, `op:${workspace.id}:${event.message!.externalId}`)
        // The thread already shows it: recorded as sent there, so it is not posted back.
        if (messageId) {
          await trx.table('operator_posts').insert({
            thread_id: thread.id,
            workspace_id: workspace.id,
            conversation_id: conversation.id,
            message_id: messageId,
            external_id: event.message!.externalId,
            status: 'sent',
          })
        }
      }
    } else if (event.edit || event.delete) {
      await revise(turn, workspace.id, event)
    } else if (event.action) {
      if (event.action.name === 'claim') await claim(turn)
      else if (event.action.name === 'resolve') await resolve(turn)
      else await handBack(turn)
    }

    // A slash command answers in its request; a thread gets its notices posted.
    const feedback = turn.notices.join('\n\n') || undefined
    if (!event.command) {
      for (const text of turn.notices) await notice(trx, thread, event.user.externalId, text)
    }
    await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
    return { duplicate: false, feedback: event.command ? (feedback ?? 'Done.') : undefined }
  })

  for (const [name, data] of turn?.events ?? []) publish(teamId!, name, data)
  if (event.action?.callbackId && !result.duplicate) {
    await adapter.answerAction?.(event.action.callbackId).catch(() => {})
  }
  return result
}

/** An operator edited or deleted their reply in the thread: the customer's copy follows. */
async function revise(turn: DeskTurn, workspaceId: number, event: OperatorEvent) {
  const externalId = (event.edit ?? event.delete)!.externalId
  const message = await replyOf(turn.trx, workspaceId, externalId)
  if (!message || message.deleted_at) return
  const now = clock.now().toJSDate()
  if (event.edit) {
    if (event.edit.text === message.body) return
    await turn.trx
      .from('messages')
      .where('id', message.id)
      .update({
        edit_history: db.raw(
          `edit_history || jsonb_build_array(jsonb_build_object('body', body::text, 'replacedAt', ?::timestamptz))`,
          [now.toISOString()]
        ),
        body: event.edit.text,
        edited_at: now,
        updated_at: now,
      })
  } else {
    await turn.trx
      .from('messages')
      .where('id', message.id)
      .update({
        deleted_at: now,
        updated_at: now,
        // Not yet sent: it never will be.
        ...(message.delivery_status === 'pending'
          ? { delivery_status: 'failed', failure_reason: 'deleted by the operator' }
          : {}),
      })
  }
  // A pending reply goes out as it now stands; a sent one is changed where it was sent.
  if (message.delivery_status === 'sent') {
    await queue.send(REVISE_QUEUE, { messageId: message.id }, { trx: turn.trx })
  }
  turn.events.push([
    'message.updated',
    { conversationId: message.conversation_id, messageId: message.id },
  ])
}

/**
 * An operator's event that arrived through a customer channel's bot (a
 * Telegram forum group the bot serves): the team's workspace for that
 * chat takes it. A group that is no workspace is ignored.
 */
export async function ingestViaChannel(
  channel: { id: number; teamId: number },
  chatId: string,
  event: OperatorEvent
): Promise<OperatorIngestResult> {
  const candidates = await OperatorWorkspace.query().where({
    team_id: channel.teamId,
    platform: 'telegram',
    enabled: true,
  })
  const workspace = candidates.find((w) => {
    const config = workspaceConfigOf(w)
    return config.channelId === channel.id && String(config.chatId) === chatId
  })
  if (!workspace) return { duplicate: false }
  return ingestOperatorEvent(workspace, await workspaceAdapterOf(workspace), event)
}
