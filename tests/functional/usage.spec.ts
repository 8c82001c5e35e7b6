/*
| GET /api/v1/usage: model calls, tokens, cost, retrievals, answers,
| handoffs and votes, grouped, over the teams the caller may see.
*/
import { test } from '@japa/runner'
import { truncateLater } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import { makeConversation, makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

async function modelCall(teamId: number, at: string, data: Record<string, unknown>) {
  const prompt = Number(data.promptTokens ?? 0)
  const completion = Number(data.completionTokens ?? 0)
  await db.table('usage_events').insert({
    team_id: teamId,
    kind: 'model_call',
    quantity: prompt + completion,
    occurred_at: at,
    data: JSON.stringify(data),
  })
}

test.group('Usage report', (group) => {
  group.each.setup(() => truncateLater())

  test('sums by day, team and model; supervisors see only their teams', async ({
    client,
    assert,
  }) => {
    const red = await makeTeam('Red')
    const blue = await makeTeam('Blue')
    const call = {
      model: 'm1',
      outcome: 'ok',
      promptTokens: 100,
      completionTokens: 20,
      costUsd: 0.5,
    }
    await modelCall(red.id, '2026-11-02T10:00:00Z', call)
    await modelCall(red.id, '2026-11-02T11:00:00Z', { ...call, model: 'm2', costUsd: 0.25 })
    await modelCall(red.id, '2026-11-03T09:00:00Z', {
      ...call,
      outcome: 'timeout',
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
    })
    await modelCall(blue.id, '2026-11-02T12:00:00Z', call)
    await db.table('usage_events').insert({
      team_id: red.id,
      kind: 'retrieval',
      quantity: 3,
      occurred_at: '2026-11-02T10:00:00Z',
      data: JSON.stringify({ query: 'q', hits: [] }),
    })
    const conversation = await makeConversation(red)
    const [answer] = await db
      .table('messages')
      .returning('id')
      .insert({
        conversation_id: conversation.id,
        direction: 'outbound',
        author_kind: 'bot',
        body: 'answer',
        idempotency_key: 'assistant:1',
        created_at: '2026-11-02T10:00:01Z',
        metadata: JSON.stringify({ assistant: { model: 'm1' } }),
      })
    await db.table('answer_votes').insert({
      message_id: answer.id,
      conversation_id: conversation.id,
      team_id: red.id,
      vote: -1,
    })

    const admin = await tokenFor(await makeUser('admin'))
    const byDay = await client
      .get('/api/v1/usage')
      .bearerToken(admin)
      .qs({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' })
    byDay.assertStatus(200)
    const days = byDay.body().data
    assert.deepEqual(
      days.map((d: any) => [d.key, d.modelCalls, d.failedCalls, d.totalTokens]),
      [
        ['2026-11-02', 3, 0, 360],
        ['2026-11-03', 1, 1, 0],
      ]
    )
    assert.equal(days[0].costUsd, 1.25)
    assert.equal(days[0].retrievals, 1)
    assert.equal(days[0].answers, 1)
    assert.equal(days[0].votesDown, 1)
    assert.equal(byDay.body().meta.totals.modelCalls, 4)

    const byModel = await client
      .get('/api/v1/usage')
      .bearerToken(admin)
      .qs({ from: '2026-11-01', to: '2026-11-30', groupBy: 'model' })
    assert.deepEqual(
      byModel.body().data.map((d: any) => [d.key, d.modelCalls]),
      [
        // Retrievals call no model.
        [null, 0],
        ['m1', 3],
        ['m2', 1],
      ]
    )

    const supervisor = await tokenFor(await makeUser('supervisor', [red]))
    const byTeam = await client
      .get('/api/v1/usage')
      .bearerToken(supervisor)
      .qs({ from: '2026-11-01', to: '2026-11-30', groupBy: 'team' })
    assert.deepEqual(
      byTeam.body().data.map((d: any) => [d.key, d.modelCalls]),
      [[red.id, 3]]
    )
    const foreign = await client
      .get('/api/v1/usage')
      .bearerToken(supervisor)
      .qs({ teamId: blue.id })
    foreign.assertStatus(404)

    const backwards = await client
      .get('/api/v1/usage')
      .bearerToken(admin)
      .qs({ from: '2026-11-30', to: '2026-11-01' })
    backwards.assertStatus(422)
    assert.equal(backwards.body().errors[0].field, 'to')
    const badGroup = await client.get('/api/v1/usage').bearerToken(admin).qs({ groupBy: 'hour' })
    badGroup.assertStatus(422)
    assert.equal(badGroup.body().errors[0].field, 'groupBy')
  })
})
