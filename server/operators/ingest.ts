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
import queue, { REVISE_QUEUE, transactionDb } from '#messaging/queue'
import { publish } from '#messaging/live'
import clock from '#services/clock'
import { canSeeTeam, teamIdsColumn } from '#services/access'
import User from '#models/user'
import OperatorWorkspace from '#models/operator_workspace'
import { workspaceAdapterOf, workspaceConfigOf } from '#operators/workspaces'
import { parseOperatorText } from '#operators/commands'
import { cardChanged } from '#operators/mirror'
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

/** A user as this file reads one: with their teams, which canSeeTeam reads from the row. */
const withTeams = () => User.query().select('users.*', db.raw(teamIdsColumn('users.id')))

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
  const linked = await withTeams()
    .join('operator_identities as oi', 'oi.user_id', 'users.id')
    .where('oi.platform', workspace.platform)
    .where('oi.external_id', who.externalId)
    .first()
  if (linked) return linked
  const profile = await adapter.lookupUser?.(who.externalId).catch(() => undefined)
  if (!profile?.email) return undefined
  const user = await withTeams().whereRaw('lower(email) = lower(?)', [profile.email]).first()
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

/** A users row read as JSON, with its team ids, as the model (canSeeTeam reads the teams). */
function userFromRow(row: Row): User {
  const { team_ids: teamIds, ...columns } = row
  const user = User.$createFromAdapterResult({
    ...columns,
    disabled_at: columns.disabled_at && new Date(columns.disabled_at),
    last_login_at: columns.last_login_at && new Date(columns.last_login_at),
    created_at: new Date(columns.created_at),
    updated_at: new Date(columns.updated_at),
  })!
  user.$extras.team_ids = teamIds
  return user
}

/** A thread event's operator is not linked yet: looked up outside the transaction, then again. */
class LookUpOperator extends Error {}

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

/** The event's ledger row, once per platform event id: a retried delivery changes nothing. */
const LEDGER_INSERT = `INSERT INTO inbound_events (source_type, source_id, external_id, kind, payload)
  VALUES ('workspace', $1, $2, $3, $4)
  ON CONFLICT (source_type, source_id, external_id) DO NOTHING
  RETURNING id`

function kindOf(event: OperatorEvent) {
  if (event.message) return 'message'
  if (event.edit) return 'edit'
  if (event.delete) return 'delete'
  return event.action ? 'action' : 'command'
}

export async function ingestOperatorEvent(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  event: OperatorEvent
): Promise<OperatorIngestResult> {
  // A thread event reads its operator in its first statement; a slash
  // command, or an operator not linked yet, has them looked up first.
  let known: { user: User | undefined } | undefined = event.threadId
    ? undefined
    : { user: await operatorFor(workspace, adapter, event.user) }
  for (;;) {
    try {
      return await applyEvent(workspace, adapter, event, known)
    } catch (error) {
      if (!(error instanceof LookUpOperator)) throw error
      known = { user: await operatorFor(workspace, adapter, event.user) }
    }
  }
}

/** One try at an event's transaction; `known` is its operator when already looked up. */
async function applyEvent(
  workspace: OperatorWorkspace,
  adapter: WorkspaceAdapter,
  event: OperatorEvent,
  known: { user: User | undefined } | undefined
): Promise<OperatorIngestResult> {
  let user = known?.user
  let teamId: number | undefined
  let turn: DeskTurn | undefined

  const result = await db.transaction(async (trx): Promise<OperatorIngestResult> => {
    const sql = await transactionDb(trx)
    const ledgerValues = [workspace.id, event.eventId, kindOf(event), JSON.stringify(event)]
    let commandText = event.command?.text
    let thread: Row | undefined
    let conversation: Row | undefined
    // Whether another workspace of the team may show this conversation too.
    let elsewhere = true
    if (event.threadId) {
      // One statement: the ledger row, the thread's conversation (locked) and the operator.
      const { rows } = await sql.executeSql(
        `WITH ledger AS (${LEDGER_INSERT}),
         target AS (
           SELECT t.id AS operator_thread_id, c.*,
             EXISTS (SELECT 1 FROM operator_workspaces w
                     WHERE w.team_id = c.team_id AND w.enabled AND w.id <> $1) AS mirrored_elsewhere
           FROM operator_threads t JOIN conversations c ON c.id = t.conversation_id
           WHERE t.workspace_id = $1 AND t.external_thread_id = $5
           FOR UPDATE OF c),
         operator AS (
           SELECT u.*, ${teamIdsColumn('u.id')}
           FROM operator_identities oi JOIN users u ON u.id = oi.user_id
           WHERE oi.platform = $6 AND oi.external_id = $7)
         SELECT (SELECT id FROM ledger) AS operator_event_id, target.*,
           (SELECT to_jsonb(o) FROM operator o) AS operator_user
         FROM (SELECT 1) AS one LEFT JOIN target ON true`,
        [...ledgerValues, event.threadId, workspace.platform, event.user.externalId]
      )
      const {
        operator_event_id: ledgerId,
        operator_thread_id: threadId,
        mirrored_elsewhere: other,
        operator_user: linked,
        ...row
      } = rows[0]
      if (ledgerId === null) return { duplicate: true }
      if (threadId !== null) {
        thread = { id: threadId, workspace_id: workspace.id, conversation_id: row.id }
        conversation = row
        elsewhere = other
      }
      // An operator not linked yet matters only in a conversation's thread.
      if (!known && conversation) {
        if (!linked) throw new LookUpOperator()
        user = userFromRow(linked)
      }
    } else {
      const ledger = await sql.executeSql(LEDGER_INSERT, ledgerValues)
      if (!ledger.rows.length) return { duplicate: true }
      // A slash command names its conversation.
      if (commandText !== undefined) {
        const target = slashTarget(commandText)
        commandText = target.rest
        if (target.conversationId) {
          thread = await trx
            .from('operator_threads')
            .where({ workspace_id: workspace.id, conversation_id: target.conversationId })
            .first()
          if (thread) conversation = await lockConversation(trx, target.conversationId)
        }
      }
    }
    // Chatter outside any conversation's thread is the operators' own.
    if (!thread || !conversation) {
      return event.command
        ? {
            duplicate: false,
            feedback: 'Name a conversation shown in this workspace: /sb 42 close',
          }
        : { duplicate: false }
    }

    teamId = conversation.team_id
    const operator = user
    if (!operator || operator.disabledAt || !(await canSeeTeam(operator, conversation.team_id))) {
      if (event.command) return { duplicate: false, feedback: UNLINKED_NOTICE }
      await notice(trx, thread, event.user.externalId, UNLINKED_NOTICE)
      await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
      return { duplicate: false }
    }

    let quiet = false
    turn = {
      trx,
      conversation,
      user: {
        id: operator.id,
        name: displayName({ full_name: operator.fullName, email: operator.email }),
      },
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
        const before = turn.conversation
        // The thread already shows it: recorded as sent there, so it is not posted back.
        const externalId = event.message!.externalId
        const messageId = await reply(turn, text, `op:${workspace.id}:${externalId}`, {
          threadId: thread.id,
          workspaceId: workspace.id,
          externalId,
        })
        // Then a mirror pass would find nothing to post and the card as shown.
        quiet = !elsewhere && (!messageId || !cardChanged(before, turn.conversation))
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
    if (!quiet || turn.notices.length) {
      await requestMirror(trx, { id: conversation.id, teamId: conversation.team_id })
    }
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
