/*
| A rule's `webhook` action, delivered by its own job after the rule's
| transaction commits. Signed per Standard Webhooks, as the API channel
| signs its webhooks, with the team's rules secret; the webhook-id is the
| same on every retry so receivers can drop repeats. Each attempt's result
| is written into the execution's log entry for that action.
*/
import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import { Webhook } from 'standardwebhooks'
import clock from '#services/clock'
import type { RuleWebhookJob } from '#messaging/queue'

type Row = Record<string, any>

const TIMEOUT_MS = 10_000

/** The team's secret for rule webhooks, created on first use (`whsec_…`). */
export async function rulesSecret(teamId: number): Promise<string> {
  const team = await db.from('teams').where('id', teamId).select('rules_secret_encrypted').first()
  const existing = team?.rules_secret_encrypted
    ? encryption.decrypt<string>(team.rules_secret_encrypted)
    : null
  if (existing) return existing
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  // Two first uses at once: the first write wins and both read it back.
  await db
    .from('teams')
    .where('id', teamId)
    .whereNull('rules_secret_encrypted')
    .update({ rules_secret_encrypted: encryption.encrypt(secret) })
  return rulesSecret(teamId)
}

/** What a receiver gets: the rule, the event, and the conversation and contact it concerns. */
async function payloadOf(execution: Row, rule: Row, index: number) {
  const conversation = execution.conversation_id
    ? await db.from('conversations').where('id', execution.conversation_id).first()
    : null
  const contact = conversation
    ? await db
        .from('contacts')
        .where('id', conversation.contact_id)
        .select('id', 'name', 'email', 'phone', 'tags')
        .first()
    : null
  const payload: Record<string, unknown> = {
    type: 'rule.webhook',
    rule: { id: rule.id, name: rule.name, action: index },
    event: execution.event,
    conversation: conversation && {
      id: conversation.id,
      teamId: conversation.team_id,
      status: conversation.status,
      owner: conversation.owner,
      assigneeId: conversation.assignee_id,
      priority: conversation.priority,
      tags: conversation.tags,
      lastMessageAt: conversation.last_message_at,
    },
    contact,
    sentAt: clock.now().toISO(),
  }
  // A scheduled rule (a daily digest) reports the team's desk since the previous day.
  if (execution.event?.type === 'schedule') {
    const since = clock.now().minus({ days: 1 }).toJSDate()
    const counts = await db.rawQuery(
      `SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE owner = 'queued' AND status <> 'resolved')::int AS waiting_for_person,
              count(*) FILTER (WHERE created_at >= ?)::int AS created_last_24h,
              count(*) FILTER (WHERE resolved_at >= ?)::int AS resolved_last_24h
         FROM conversations WHERE team_id = ?`,
      [since, since, rule.team_id]
    )
    payload.summary = counts.rows[0]
  }
  return payload
}

async function note(job: RuleWebhookJob, outcome: string, detail: string) {
  await db.rawQuery(
    `UPDATE rule_executions
        SET actions = (SELECT jsonb_agg(CASE WHEN (a->>'index')::int = ?
                         THEN a || jsonb_build_object('outcome', ?::text, 'detail', ?::text) ELSE a END)
                         FROM jsonb_array_elements(actions) AS a)
      WHERE rule_id = ? AND event_key = ?`,
    [job.index, outcome, detail, job.ruleId, job.eventKey]
  )
}

export async function deliverRuleWebhook(job: RuleWebhookJob): Promise<void> {
  const execution = await db
    .from('rule_executions')
    .where({ rule_id: job.ruleId, event_key: job.eventKey })
    .first()
  const rule = await db.from('rules').where('id', job.ruleId).first()
  if (!execution || !rule) return
  const id = `rule_${job.ruleId}_${Buffer.from(`${job.eventKey}:${job.index}`).toString('base64url')}`
  const body = JSON.stringify(await payloadOf(execution, rule, job.index))
  const signer = new Webhook(await rulesSecret(rule.team_id))
  // Wall time, not the service clock: receivers check the signature's age against their own.
  const now = new Date()
  let response: Response
  try {
    response = await fetch(job.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Rules/1',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(id, now, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await note(job, 'retrying', `attempt failed: ${reason}`)
    throw new Error(reason)
  }
  response.body?.cancel().catch(() => {})
  if (response.status >= 200 && response.status < 300) {
    await note(job, 'done', `delivered: ${job.url} answered ${response.status}`)
    return
  }
  await note(job, 'retrying', `attempt failed: ${job.url} answered ${response.status}`)
  // The queue retries with backoff (RULE_WEBHOOK_QUEUE's retry limit).
  throw new Error(`webhook answered ${response.status}`)
}
