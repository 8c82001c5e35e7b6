/*
| The usage report: model calls (tokens, cost, failures) and retrievals
| from usage_events, answers and handoffs from the messages the assistant
| wrote, votes from answer_votes, grouped by day, team, channel or model.
*/
import db from '@adonisjs/lucid/services/db'

export type UsageGroup = 'day' | 'team' | 'channel' | 'model'

export interface UsageRow {
  key: string | number | null
  modelCalls: number
  failedCalls: number
  promptTokens: number
  completionTokens: number
  totalTokens: number
  costUsd: number
  retrievals: number
  answers: number
  handoffs: number
  votesUp: number
  votesDown: number
}

const EMPTY: Omit<UsageRow, 'key'> = {
  modelCalls: 0,
  failedCalls: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  costUsd: 0,
  retrievals: 0,
  answers: 0,
  handoffs: 0,
  votesUp: 0,
  votesDown: 0,
}

/** SQL for the group key of a row, given its time, team and channel expressions. */
function keyOf(group: UsageGroup, at: string, team: string, channel: string, model: string) {
  switch (group) {
    case 'day':
      return `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
    case 'team':
      return team
    case 'channel':
      return channel
    case 'model':
      return model
  }
}

export async function usageReport(options: {
  from: Date
  to: Date
  groupBy: UsageGroup
  teamIds: number[] | null
}): Promise<{ rows: UsageRow[]; totals: Omit<UsageRow, 'key'> }> {
  const { from, to, groupBy, teamIds } = options
  const teams = (column: string) => (teamIds === null ? 'TRUE' : `${column} = ANY(?::int[])`)
  const teamParam = teamIds === null ? [] : [teamIds]

  const events = await db.rawQuery(
    `SELECT ${keyOf(groupBy, 'u.occurred_at', 'u.team_id', "(u.data->>'channelId')::int", "u.data->>'model'")} AS key,
       count(*) FILTER (WHERE u.kind = 'model_call') AS model_calls,
       count(*) FILTER (WHERE u.kind = 'model_call' AND u.data->>'outcome' <> 'ok') AS failed_calls,
       coalesce(sum((u.data->>'promptTokens')::bigint) FILTER (WHERE u.kind = 'model_call'), 0) AS prompt_tokens,
       coalesce(sum((u.data->>'completionTokens')::bigint) FILTER (WHERE u.kind = 'model_call'), 0) AS completion_tokens,
       coalesce(sum((u.data->>'costUsd')::numeric) FILTER (WHERE u.kind = 'model_call'), 0) AS cost_usd,
       count(*) FILTER (WHERE u.kind = 'retrieval') AS retrievals
     FROM usage_events u
     WHERE u.kind IN ('model_call', 'retrieval') AND u.occurred_at >= ? AND u.occurred_at < ?
       AND ${teams('u.team_id')}
     GROUP BY 1`,
    [from, to, ...teamParam]
  )

  // Answers and handoffs are the assistant's own messages; a model grouping reads it from the answer.
  const outcomes = await db.rawQuery(
    `SELECT ${keyOf(groupBy, 'm.created_at', 'c.team_id', 'm.channel_id', "m.metadata->'assistant'->>'model'")} AS key,
       count(*) FILTER (WHERE m.idempotency_key LIKE 'assistant:%') AS answers,
       count(*) FILTER (WHERE m.idempotency_key LIKE 'assistant-handoff:%') AS handoffs,
       count(v.id) FILTER (WHERE v.vote > 0) AS votes_up,
       count(v.id) FILTER (WHERE v.vote < 0) AS votes_down
     FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     LEFT JOIN answer_votes v ON v.message_id = m.id
     WHERE (m.idempotency_key LIKE 'assistant:%' OR m.idempotency_key LIKE 'assistant-handoff:%')
       AND m.created_at >= ? AND m.created_at < ? AND ${teams('c.team_id')}
     GROUP BY 1`,
    [from, to, ...teamParam]
  )

  const rows = new Map<string, UsageRow>()
  const rowOf = (key: unknown) => {
    const k = key === null || key === undefined ? null : (key as string | number)
    const id = String(k)
    if (!rows.has(id)) rows.set(id, { key: k, ...EMPTY })
    return rows.get(id)!
  }
  for (const r of events.rows) {
    const row = rowOf(r.key)
    row.modelCalls += Number(r.model_calls)
    row.failedCalls += Number(r.failed_calls)
    row.promptTokens += Number(r.prompt_tokens)
    row.completionTokens += Number(r.completion_tokens)
    row.totalTokens += Number(r.prompt_tokens) + Number(r.completion_tokens)
    row.costUsd += Number(r.cost_usd)
    row.retrievals += Number(r.retrievals)
  }
  for (const r of outcomes.rows) {
    const row = rowOf(r.key)
    row.answers += Number(r.answers)
    row.handoffs += Number(r.handoffs)
    row.votesUp += Number(r.votes_up)
    row.votesDown += Number(r.votes_down)
  }
  const sorted = [...rows.values()].sort((a, b) =>
    String(a.key ?? '').localeCompare(String(b.key ?? ''), 'en', { numeric: true })
  )
  const totals = { ...EMPTY }
  for (const row of sorted) {
    for (const field of Object.keys(EMPTY) as Array<keyof typeof EMPTY>) totals[field] += row[field]
  }
  for (const row of [...sorted, totals]) row.costUsd = Number(row.costUsd.toFixed(6))
  return { rows: sorted, totals }
}
