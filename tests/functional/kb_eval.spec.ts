/*
| kb:eval through the ace kernel on a tiny BEIR-format data set: the
| metrics line, and the evaluation collection gone afterwards.
*/
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { truncateLater } from '#tests/support/truncate'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import KbEval from '#commands/kb_eval'

const CORPUS = [
  { _id: 'd1', title: 'Refunds', text: 'Annual plans are refunded within 14 days of payment.' },
  { _id: 'd2', title: 'Shipping', text: 'Parcels leave the warehouse within two working days.' },
  { _id: 'd3', title: 'Passwords', text: 'Reset a forgotten password from the login page.' },
  { _id: 'd4', title: 'Invoices', text: 'Every payment produces an invoice sent by email.' },
  { _id: 'd5', title: 'Returns', text: 'Unused items can be returned within 30 days.' },
  { _id: 'd6', title: 'Security', text: 'Two-factor authentication protects the account.' },
]

/** A BEIR folder: corpus.jsonl, queries.jsonl and qrels/test.tsv. */
async function dataset() {
  const dir = await mkdtemp(join(tmpdir(), 'kb-eval-'))
  const lines = (rows: object[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n'
  await writeFile(join(dir, 'corpus.jsonl'), lines(CORPUS))
  await writeFile(
    join(dir, 'queries.jsonl'),
    lines([
      { _id: 'q1', text: 'How long do refunds take?' },
      { _id: 'q2', text: 'I forgot my password' },
      { _id: 'q3', text: 'when does my parcel leave the warehouse' },
      { _id: 'q4', text: 'a query without judgments is skipped' },
    ])
  )
  await mkdir(join(dir, 'qrels'))
  await writeFile(
    join(dir, 'qrels', 'test.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\nq3\td2\t2\n'
  )
  return dir
}

async function run(args: string[]) {
  const command = await ace.create(KbEval, args)
  await command.exec()
  const logs = command.ui.logger.getLogs()
  return { command, stdout: logs.filter((l) => l.stream === 'stdout').map((l) => l.message) }
}

test.group('kb:eval', (group) => {
  group.each.setup(() => truncateLater())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('loads the data set, measures the production search and cleans up', async ({ assert }) => {
    const dir = await dataset()
    const { command, stdout } = await run([`--dataset=${dir}`, '--json'])
    command.assertSucceeded()
    const metrics = JSON.parse(stdout[stdout.length - 1])
    assert.deepEqual(Object.keys(metrics).sort(), [
      'documents',
      'mrr_at_10',
      'ndcg_at_10',
      'p50_ms',
      'p95_ms',
      'queries',
      'recall_at_100',
    ])
    assert.equal(metrics.queries, 3)
    assert.equal(metrics.documents, 6)
    assert.equal(metrics.ndcg_at_10, 1)
    assert.equal(metrics.recall_at_100, 1)
    assert.equal(metrics.mrr_at_10, 1)
    assert.isAbove(metrics.p95_ms, 0)
    assert.isAtLeast(metrics.p95_ms, metrics.p50_ms)
    assert.match(stdout.join('\n'), /nDCG@10\s+1\.0000/)

    assert.lengthOf(await db.from('knowledge_collections'), 0)
    assert.lengthOf(await db.from('knowledge_documents'), 0)
    assert.lengthOf(await db.from('knowledge_postings'), 0)
    assert.lengthOf(await db.from('knowledge_terms'), 0)
  }).timeout(60_000)

  test('--keep leaves the evaluation collection, with no team', async ({ assert }) => {
    const dir = await dataset()
    const { command } = await run([`--dataset=${dir}`, '--keep'])
    command.assertSucceeded()
    const [collection] = await db.from('knowledge_collections')
    assert.equal(collection.kind, 'eval')
    assert.isNull(collection.team_id)
    const docs = await db.from('knowledge_documents').where('collection_id', collection.id)
    assert.lengthOf(docs, 6)
    assert.equal(docs.find((d) => d.external_id === 'd1').content, CORPUS[0].text)
  }).timeout(60_000)

  test('a missing folder, file or split is a clear error', async ({ assert }) => {
    const missing = await run(['--dataset=/nonexistent/beir'])
    missing.command.assertFailed()
    missing.command.assertLogMatches(/No such data set folder/)

    const dir = await dataset()
    const split = await run([`--dataset=${dir}`, '--split=dev'])
    split.command.assertFailed()
    split.command.assertLogMatches(/Unknown split "dev"/)

    const bad = await run([`--dataset=${dir}`, '--split=../x'])
    bad.command.assertFailed()
    bad.command.assertLogMatches(/Bad split name/)

    const empty = await mkdtemp(join(tmpdir(), 'kb-eval-'))
    const noCorpus = await run([`--dataset=${empty}`])
    noCorpus.command.assertFailed()
    noCorpus.command.assertLogMatches(/Missing file: .*corpus\.jsonl/)
    assert.lengthOf(await db.from('knowledge_collections'), 0)
  })
})
