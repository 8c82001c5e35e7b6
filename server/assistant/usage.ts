/*
| Usage metering: every model call and every retrieval is a usage_events
| row, and the monthly token budget is read from them.
*/
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import clock from '#services/clock'
import type { ModelOutcome } from '#assistant/model'

export interface ModelCall {
  teamId: number
  conversationId: number | null
  channelId?: number | null
  model: string
  purpose: 'answer' | 'summary'
  promptTokens: number
  completionTokens: number
  latencyMs: number
  outcome: ModelOutcome
  prices: { input: number; output: number }
}

export async function recordModelCall(call: ModelCall, client?: TransactionClientContract) {
  const costUsd =
    (call.promptTokens * call.prices.input + call.completionTokens * call.prices.output) / 1e6
  await (client ?? db).table('usage_events').insert({
    team_id: call.teamId,
    conversation_id: call.conversationId,
    kind: 'model_call',
    quantity: call.promptTokens + call.completionTokens,
    occurred_at: clock.now().toJSDate(),
    data: JSON.stringify({
      model: call.model,
      purpose: call.purpose,
      channelId: call.channelId ?? null,
      promptTokens: call.promptTokens,
      completionTokens: call.completionTokens,
      latencyMs: Math.round(call.latencyMs),
      outcome: call.outcome,
      costUsd: Number(costUsd.toFixed(6)),
    }),
  })
}

export async function recordRetrieval(entry: {
  teamId: number
  conversationId: number | null
  channelId?: number | null
  query: string
  hits: Array<{ chunkId: number; score: number; confidence: number }>
  latencyMs: number
}) {
  await db.table('usage_events').insert({
    team_id: entry.teamId,
    conversation_id: entry.conversationId,
    kind: 'retrieval',
    quantity: entry.hits.length,
    occurred_at: clock.now().toJSDate(),
    data: JSON.stringify({
      query: entry.query.slice(0, 500),
      channelId: entry.channelId ?? null,
      hits: entry.hits.slice(0, 10).map((h) => ({
        chunkId: h.chunkId,
        score: Number(h.score.toFixed(4)),
        confidence: Number(h.confidence.toFixed(3)),
      })),
      latencyMs: Number(entry.latencyMs.toFixed(2)),
    }),
  })
}

/** Tokens the team's model calls used since the start of this calendar month (UTC). */
export async function tokensThisMonth(teamId: number): Promise<number> {
  const start = clock.now().toUTC().startOf('month').toJSDate()
  const row = await db
    .from('usage_events')
    .where({ team_id: teamId, kind: 'model_call' })
    .where('occurred_at', '>=', start)
    .sum('quantity as total')
    .first()
  return Number(row?.total ?? 0)
}

/**
 * Tells the team's admins, once a month, that the budget is spent: an
 * audit log entry the panel shows. Returns true the first time.
 */
export async function noteBudgetSpent(teamId: number, budget: number): Promise<boolean> {
  const month = clock.now().toUTC().toFormat('yyyy-LL')
  return db.transaction(async (trx) => {
    // One notice per team and month, even with several workers racing.
    await trx.rawQuery('SELECT pg_advisory_xact_lock(hashtext(?))', [`budget:${teamId}:${month}`])
    const seen = await trx
      .from('audit_logs')
      .where({ action: 'assistant.budget_spent', subject_type: 'team', subject_id: String(teamId) })
      .whereRaw("data->>'month' = ?", [month])
      .first()
    if (seen) return false
    await trx.table('audit_logs').insert({
      action: 'assistant.budget_spent',
      subject_type: 'team',
      subject_id: String(teamId),
      data: JSON.stringify({ month, budget }),
    })
    return true
  })
}
