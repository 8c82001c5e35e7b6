/*
| Lexical knowledge search against the real database: BM25F ranking,
| index upkeep on change and removal, team isolation, snippets.
*/
import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import { truncateLater } from '#tests/support/truncate'
import db from '@adonisjs/lucid/services/db'
import { indexDocument, removeDocumentIndex } from '#knowledge/indexer'
import { searchKnowledge } from '#knowledge/search'
import { makeTeam } from '#tests/support/fixtures'

async function collection(teamId: number | null, name = 'Help') {
  const [row] = await db
    .table('knowledge_collections')
    .insert({ team_id: teamId, name, kind: teamId ? 'team' : 'eval' })
    .returning('id')
  return Number(row.id)
}

async function addDocument(collectionId: number, title: string, content: string) {
  const owner = await db.from('knowledge_collections').where('id', collectionId).first()
  const [row] = await db
    .table('knowledge_documents')
    .insert({
      collection_id: collectionId,
      team_id: owner.team_id,
      title,
      format: 'markdown',
      content,
      content_hash: createHash('sha256').update(content).digest('hex'),
    })
    .returning('id')
  const id = Number(row.id)
  await db.transaction((trx) => indexDocument(trx, id))
  return id
}

async function setContent(documentId: number, content: string) {
  await db.transaction(async (trx) => {
    await trx.from('knowledge_documents').where('id', documentId).update({ content })
    await indexDocument(trx, documentId)
  })
}

const ids = (hits: Array<{ documentId: number }>) => hits.map((h) => h.documentId)

/** What the statistics tables hold against what a recount from the index gives. */
async function statistics(collectionId: number) {
  const stored = await db.from('knowledge_index_stats').where('collection_id', collectionId).first()
  const counted = await db
    .from('knowledge_chunks')
    .where('collection_id', collectionId)
    .select(db.raw('count(*)::int AS n, coalesce(sum(body_length), 0)::int AS body'))
    .first()
  const terms = await db
    .from('knowledge_terms')
    .where('collection_id', collectionId)
    .orderBy('term')
    .select('term', 'df')
  const recount = await db
    .from('knowledge_postings')
    .where('collection_id', collectionId)
    .groupBy('term')
    .orderBy('term')
    .select('term', db.raw('count(*)::int AS df'))
  return {
    stored: { n: Number(stored?.chunk_count ?? 0), body: Number(stored?.body_length ?? 0) },
    counted: { n: counted.n, body: counted.body },
    terms: terms.map((t) => `${t.term}:${t.df}`),
    recount: recount.map((t) => `${t.term}:${t.df}`),
  }
}

test.group('Knowledge search', (group) => {
  group.each.setup(() => truncateLater())

  test('OR semantics: one matching word is enough', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const refunds = await addDocument(help, 'Refunds', 'Refunds are paid within 14 days.')
    await addDocument(help, 'Shipping', 'Parcels ship within 2 days.')
    const result = await searchKnowledge({ query: 'refund unicorn', teamId: team.id })
    assert.deepEqual(ids(result.hits), [refunds])
    assert.deepEqual(result.terms, ['refund', 'unicorn'])
  })

  test('IDF: a rare word outweighs a common one repeated', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    for (const topic of ['Login', 'Email', 'Password', 'Billing', 'Profile', 'Export']) {
      await addDocument(help, topic, `${topic} help for your account.`)
    }
    const common = await addDocument(
      help,
      'Owner',
      'The account owner manages the account and account seats.'
    )
    const rare = await addDocument(help, 'Disputes', 'A chargeback is handled by the bank.')
    const { hits } = await searchKnowledge({ query: 'account chargeback', teamId: team.id })
    assert.equal(hits[0].documentId, rare)
    assert.include(ids(hits), common)
  })

  test('stemming: "refunds" finds "refunded"', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const doc = await addDocument(help, 'Orders', 'Your order was refunded yesterday.')
    const { hits, terms } = await searchKnowledge({ query: 'refunds', teamId: team.id })
    assert.deepEqual(terms, ['refund'])
    assert.deepEqual(ids(hits), [doc])
  })

  test('title weighting: a word in the title counts more than in the body', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    // The body-only match is shorter than average, which alone would rank it first.
    const body = await addDocument(help, 'Repairs', 'The warranty covers repairs.')
    const titled = await addDocument(
      help,
      'Warranty',
      'Devices are covered for two years against faults.'
    )
    const { hits } = await searchKnowledge({ query: 'warranty', teamId: team.id })
    assert.deepEqual(ids(hits), [titled, body])
    assert.isAbove(hits[0].score, hits[1].score)
  })

  test('headings count with the heading path as well', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const doc = await addDocument(
      help,
      'Billing FAQ',
      '# Billing FAQ\n\n## Invoices\n\nEach one is emailed.\n\n## Cards\n\nReplace the card in Settings.'
    )
    const { hits } = await searchKnowledge({ query: 'invoices', teamId: team.id })
    assert.lengthOf(hits, 1)
    assert.equal(hits[0].documentId, doc)
    assert.equal(hits[0].heading, 'Invoices')
    assert.equal(hits[0].text, 'Each one is emailed.')
  })

  test('length normalisation: the same match in a shorter text ranks higher', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    // The long one comes first, so an unnormalised tie would keep it on top.
    const long = await addDocument(
      help,
      'Billing',
      'Invoice copies are emailed. Payments, plans, seats, taxes, currencies, discounts, ' +
        'coupons, receipts, statements, renewals and cancellations are described elsewhere ' +
        'in considerable detail for administrators.'
    )
    const short = await addDocument(help, 'Documents', 'Invoice copies are emailed.')
    const { hits } = await searchKnowledge({ query: 'invoice', teamId: team.id })
    assert.deepEqual(ids(hits), [short, long])
    assert.isAbove(hits[0].score, hits[1].score)
  })

  test('re-indexing after a change drops old terms and finds new ones, statistics follow', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    await addDocument(help, 'Returns', 'Return items within 30 days.')
    const doc = await addDocument(help, 'Warranty', 'Batteries are covered for one year.')
    assert.lengthOf((await searchKnowledge({ query: 'batteries', teamId: team.id })).hits, 1)

    await setContent(doc, 'Laptops carry a three-year guarantee.')
    assert.lengthOf((await searchKnowledge({ query: 'batteries', teamId: team.id })).hits, 0)
    const fresh = await searchKnowledge({ query: 'guarantee', teamId: team.id })
    assert.deepEqual(ids(fresh.hits), [doc])

    // Idempotent: indexing again changes nothing.
    const before = await statistics(help)
    assert.equal(await db.transaction((trx) => indexDocument(trx, doc)), 1)
    const after = await statistics(help)
    assert.deepEqual(after, before)
    assert.deepEqual(after.stored, after.counted)
    assert.deepEqual(after.terms, after.recount)
    assert.notInclude(after.terms.join(' '), 'batteri')
    const row = await db.from('knowledge_documents').where('id', doc).first()
    assert.equal(row.chunk_count, 1)
  })

  test('removing a document drops its hits, chunks, postings and statistics', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const kept = await addDocument(help, 'Returns', 'Return items within 30 days.')
    const doc = await addDocument(
      help,
      'Warranty',
      '# Warranty\n\nA two-year warranty.\n\n## Batteries\n\nOne year.'
    )

    await db.transaction(async (trx) => {
      await removeDocumentIndex(trx, doc)
      await trx.from('knowledge_documents').where('id', doc).delete()
    })
    assert.lengthOf(
      (await searchKnowledge({ query: 'warranty batteries', teamId: team.id })).hits,
      0
    )
    assert.lengthOf(await db.from('knowledge_chunks').where('document_id', doc), 0)
    const stats = await statistics(help)
    assert.deepEqual(stats.stored, stats.counted)
    assert.equal(stats.stored.n, 1)
    assert.deepEqual(stats.terms, stats.recount)
    assert.notInclude(stats.terms.join(' '), 'warranti')
    assert.deepEqual(ids((await searchKnowledge({ query: 'return', teamId: team.id })).hits), [
      kept,
    ])

    // Deleting a document row directly (cascade) keeps the statistics right too.
    await db.from('knowledge_documents').where('id', kept).delete()
    const empty = await statistics(help)
    assert.deepEqual(empty.stored, { n: 0, body: 0 })
    assert.deepEqual(empty.terms, [])
  })

  test('documents of one collection indexed concurrently keep exact statistics', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const docs = await Promise.all(
      ['alpha', 'beta', 'gamma', 'delta'].map((word) =>
        addDocument(help, word, `Shared words and the ${word} word.`)
      )
    )
    await Promise.all(docs.map((id, i) => setContent(id, `Shared words, now version ${i}.`)))
    const stats = await statistics(help)
    assert.deepEqual(stats.stored, stats.counted)
    assert.equal(stats.stored.n, 4)
    assert.deepEqual(stats.terms, stats.recount)
    assert.include(stats.terms, 'share:4')
  })

  test('a query reading many postings scores common words only alongside selective ones', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    for (let i = 0; i < 12; i++) await addDocument(help, `Topic ${i}`, `Your account, part ${i}.`)
    const both = await addDocument(help, 'Disputes', 'An account chargeback goes to the bank.')
    const rare = await addDocument(help, 'Requests', 'A chargeback request goes to the bank.')

    const exact = await searchKnowledge({ query: 'account chargeback', teamId: team.id, limit: 50 })
    assert.lengthOf(exact.hits, 14)
    // Forced on this small collection: "account" is in more than half of the chunks.
    const pruned = await searchKnowledge({
      query: 'account chargeback',
      teamId: team.id,
      limit: 50,
      ranking: { exactPostings: 0, commonShare: 0.5 },
    })
    assert.deepEqual(ids(pruned.hits), [both, rare])
    pruned.hits.forEach((hit, i) => assert.closeTo(hit.score, exact.hits[i].score, 1e-9))
    assert.deepEqual(ids(exact.hits.slice(0, 2)), [both, rare])
    assert.equal(pruned.hits[0].confidence, 1)
  })

  test("a team never sees another team's chunks, even as the only match", async ({ assert }) => {
    const teamA = await makeTeam()
    const teamB = await makeTeam()
    const helpA = await collection(teamA.id)
    const helpB = await collection(teamB.id)
    await addDocument(helpA, 'Refunds', 'Refunds are paid within 14 days.')
    const secret = await addDocument(helpB, 'Partners', 'Zebra partners get instant refunds.')

    assert.lengthOf((await searchKnowledge({ query: 'zebra', teamId: teamA.id })).hits, 0)
    assert.lengthOf(
      (await searchKnowledge({ query: 'zebra', teamId: teamA.id, collectionIds: [helpB] })).hits,
      0
    )
    const own = await searchKnowledge({ query: 'zebra refunds', teamId: teamA.id })
    assert.notInclude(ids(own.hits), secret)
    assert.deepEqual(ids((await searchKnowledge({ query: 'zebra', teamId: teamB.id })).hits), [
      secret,
    ])
    // Evaluation collections belong to no team.
    const internal = await collection(null, 'eval')
    await addDocument(internal, 'Zebra', 'Zebra zebra.')
    assert.deepEqual(ids((await searchKnowledge({ query: 'zebra', teamId: teamA.id })).hits), [])
    await assert.rejects(() => searchKnowledge({ query: 'zebra' }))
  })

  test('snippets mark the matched words and escape the rest', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    await addDocument(
      help,
      'Returns',
      'Refunds & returns are <b>quick</b>: <script>alert("x")</script> we refunded it ' +
        'when 5 < 6 <img src=x onerror=alert(1)> holds.'
    )
    const { hits } = await searchKnowledge({ query: 'refund', teamId: team.id, snippets: true })
    const snippet = hits[0].snippet!
    assert.include(snippet, '<mark>Refunds</mark>')
    assert.include(snippet, '<mark>refunded</mark>')
    assert.include(snippet, '&amp;')
    assert.include(snippet, '5 &lt; 6')
    assert.include(snippet, '&lt;img src=x onerror=alert(1)&gt;')
    assert.notInclude(snippet, '<script')
    assert.notInclude(snippet, '<img')
    assert.notInclude(snippet, '<b>')
    assert.equal(snippet.replace(/<\/?mark>/g, '').match(/[<>]/g), null)
    // Without the option there is none.
    const plain = await searchKnowledge({ query: 'refund', teamId: team.id })
    assert.isUndefined(plain.hits[0].snippet)
  })

  test('confidence: the share of the query the passage covers, in [0, 1]', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    const both = await addDocument(help, 'Annual plans', 'Annual plans are refunded in full.')
    await addDocument(help, 'Monthly plans', 'Monthly plans are not refunded.')
    await addDocument(help, 'Passwords', 'Reset a password from the login page.')

    const full = await searchKnowledge({ query: 'annual plan refund', teamId: team.id })
    assert.equal(full.hits[0].documentId, both)
    assert.equal(full.hits[0].confidence, 1)
    assert.isBelow(full.hits[1].confidence, full.hits[0].confidence)
    for (const hit of full.hits) {
      assert.isAtLeast(hit.confidence, 0)
      assert.isAtMost(hit.confidence, 1)
    }
    // A word the knowledge never uses lowers it, but does not sink a good match.
    const unseen = await searchKnowledge({ query: 'annual plan refund xyzzy', teamId: team.id })
    assert.isBelow(unseen.hits[0].confidence, 1)
    assert.isAtLeast(unseen.hits[0].confidence, 0.5)
    // A passage holding only the most common word is not confident.
    const weak = await searchKnowledge({ query: 'password plans', teamId: team.id })
    const plansOnly = weak.hits.find((h) => h.documentId !== weak.hits[0].documentId)!
    assert.isBelow(plansOnly.confidence, 0.5)
  })

  test('searches through the client given, e.g. a transaction not yet committed', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    await db.transaction(async (trx) => {
      const [row] = await trx
        .table('knowledge_documents')
        .insert({
          collection_id: help,
          team_id: team.id,
          title: 'Draft',
          format: 'markdown',
          content: 'Gift cards never expire.',
          content_hash: 'x',
        })
        .returning('id')
      await indexDocument(trx, Number(row.id))
      const inside = await searchKnowledge({ query: 'gift card', teamId: team.id, client: trx })
      assert.deepEqual(ids(inside.hits), [Number(row.id)])
      const outside = await searchKnowledge({ query: 'gift card', teamId: team.id })
      assert.lengthOf(outside.hits, 0)
      await trx.rollback()
    })
    assert.lengthOf((await searchKnowledge({ query: 'gift card', teamId: team.id })).hits, 0)
  })

  test('an empty or stopword-only query finds nothing, without error', async ({ assert }) => {
    const team = await makeTeam()
    const help = await collection(team.id)
    await addDocument(help, 'Refunds', 'Refunds are paid within 14 days.')
    for (const query of ['', '   ', 'the and of', '?!']) {
      const result = await searchKnowledge({ query, teamId: team.id, snippets: true })
      assert.deepEqual(result.hits, [])
      assert.deepEqual(result.terms, [])
    }
  })
})
