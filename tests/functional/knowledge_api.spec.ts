/*
| The knowledge API and CLI: collections, documents from text, HTML, files
| (PDF included) and URLs, cleaning on the way in, re-indexing on change,
| search with snippets, and who may do what.
*/
import { createServer, type Server } from 'node:http'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { truncateLater } from '#tests/support/truncate'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'
import { pdfWithLines } from '#tests/support/pdf'
import { ExtractionError, fetchDocument } from '#knowledge/extract'
import KbImport from '#commands/kb_import'
import KnowledgeService from '#knowledge/knowledge_service'
import { searchKnowledge } from '#knowledge/search'

async function setup() {
  const team = await makeTeam()
  const other = await makeTeam()
  const supervisor = await makeUser('supervisor', [team])
  const operator = await makeUser('operator', [team])
  return {
    team,
    other,
    supervisorToken: await tokenFor(supervisor),
    operatorToken: await tokenFor(operator),
    adminToken: await tokenFor(await makeUser('admin')),
  }
}

async function collection(client: any, token: string, teamId: number, name = 'Help') {
  const response = await client
    .post('/api/v1/knowledge/collections')
    .bearerToken(token)
    .json({ teamId, name })
  response.assertStatus(201)
  return response.body().data as { id: number }
}

function postDocument(client: any, token: string, body: Record<string, unknown>) {
  return client.post('/api/v1/knowledge/documents').bearerToken(token).json(body)
}

async function search(client: any, token: string, teamId: number, q: string) {
  const response = await client.get('/api/v1/knowledge/search').bearerToken(token).qs({ teamId, q })
  response.assertStatus(200)
  return response.body().data as Array<Record<string, any>>
}

/** A local site to import from. */
function site(pages: Record<string, { type: string; body: string | Buffer; status?: number }>) {
  return new Promise<{ url: string; server: Server }>((resolve) => {
    const server = createServer((req, res) => {
      const page = pages[req.url ?? '']
      if (!page) return res.writeHead(404).end('missing')
      if (page.status && page.status >= 300 && page.status < 400) {
        return res.writeHead(page.status, { location: String(page.body) }).end()
      }
      res.writeHead(page.status ?? 200, { 'content-type': page.type }).end(page.body)
    })
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number }
      resolve({ url: `http://127.0.0.1:${address.port}`, server })
    })
  })
}

test.group('Knowledge API', (group) => {
  group.each.setup(() => truncateLater())

  test('Markdown in, cleaned, chunked, searchable; editing re-indexes; deleting removes', async ({
    client,
    assert,
  }) => {
    const { team, supervisorToken } = await setup()
    const help = await collection(client, supervisorToken, team.id)
    const created = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      content:
        '# Warranty\u200B\u202E\n\nDevices carry a two-year warranty.\u0007\n\n## Batteries\n\nBatteries are covered for one year.',
    })
    created.assertStatus(201)
    const doc = created.body().data
    assert.equal(doc.title, 'Warranty')
    assert.equal(doc.teamId, team.id)
    assert.isAbove(doc.chunkCount, 0)

    const shown = await client
      .get(`/api/v1/knowledge/documents/${doc.id}`)
      .bearerToken(supervisorToken)
    assert.equal(
      shown.body().data.content,
      '# Warranty\n\nDevices carry a two-year warranty.\n\n## Batteries\n\nBatteries are covered for one year.'
    )

    const hits = await search(client, supervisorToken, team.id, 'battery warranty')
    assert.equal(hits[0].documentId, doc.id)
    assert.include(hits[0].snippet, '<mark>')
    assert.isAbove(hits[0].score, 0)

    const edited = await client
      .patch(`/api/v1/knowledge/documents/${doc.id}`)
      .bearerToken(supervisorToken)
      .json({ content: '# Warranty\n\nLaptops carry a three-year guarantee.' })
    edited.assertStatus(200)
    assert.lengthOf(await search(client, supervisorToken, team.id, 'batteries'), 0)
    const fresh = await search(client, supervisorToken, team.id, 'guarantee')
    assert.equal(fresh[0].documentId, doc.id)

    const removed = await client
      .delete(`/api/v1/knowledge/documents/${doc.id}`)
      .bearerToken(supervisorToken)
    removed.assertStatus(204)
    assert.lengthOf(await search(client, supervisorToken, team.id, 'guarantee'), 0)
    const chunks = await db.from('knowledge_chunks').where('document_id', doc.id)
    assert.lengthOf(chunks, 0)

    // A whole collection goes with its documents and index.
    const again = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      content: '# Returns\n\nReturn within 30 days.',
    })
    again.assertStatus(201)
    assert.lengthOf(await search(client, supervisorToken, team.id, 'return'), 1)
    const dropped = await client
      .delete(`/api/v1/knowledge/collections/${help.id}`)
      .bearerToken(supervisorToken)
    dropped.assertStatus(204)
    assert.lengthOf(await search(client, supervisorToken, team.id, 'return'), 0)
    assert.lengthOf(await db.from('knowledge_documents').where('team_id', team.id), 0)
  }).timeout(30_000)

  test('HTML loses scripts and page furniture; a PDF upload is read; an external id updates', async ({
    client,
    assert,
  }) => {
    const { team, supervisorToken } = await setup()
    const help = await collection(client, supervisorToken, team.id)
    const html = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      format: 'html',
      title: 'Delivery',
      content:
        '<html><head><title>x</title><script>steal()</script></head><body><nav>Home | Shop</nav><h1>Delivery</h1><p>Parcels ship <b>within 2 days</b>.</p></body></html>',
    })
    html.assertStatus(201)
    const htmlDoc = await client
      .get(`/api/v1/knowledge/documents/${html.body().data.id}`)
      .bearerToken(supervisorToken)
    assert.equal(htmlDoc.body().data.content, '# Delivery\n\nParcels ship **within 2 days**.')

    const pdf = await client
      .post('/api/v1/knowledge/documents')
      .bearerToken(supervisorToken)
      .field('collectionId', String(help.id))
      .file('file', pdfWithLines(['Warranty terms', 'Devices carry a two year warranty.']), {
        filename: 'warranty.pdf',
        contentType: 'application/pdf',
      })
    pdf.assertStatus(201)
    assert.equal(pdf.body().data.format, 'pdf')
    assert.equal(pdf.body().data.filename, 'warranty.pdf')
    assert.equal(pdf.body().data.title, 'Warranty terms')
    const hits = await search(client, supervisorToken, team.id, 'two year warranty')
    assert.equal(hits[0].documentId, pdf.body().data.id)

    const bad = await client
      .post('/api/v1/knowledge/documents')
      .bearerToken(supervisorToken)
      .field('collectionId', String(help.id))
      .file('file', Buffer.from('not a pdf at all'), { filename: 'broken.pdf' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'file')

    const body = (content: string) => ({ collectionId: help.id, externalId: 'faq-1', content })
    const first = await postDocument(client, supervisorToken, body('# FAQ\n\nOld answer.'))
    first.assertStatus(201)
    const again = await postDocument(client, supervisorToken, body('# FAQ\n\nOld answer.'))
    again.assertStatus(200)
    assert.equal(again.body().meta.outcome, 'unchanged')
    const changed = await postDocument(client, supervisorToken, body('# FAQ\n\nNew answer.'))
    assert.equal(changed.body().meta.outcome, 'updated')
    assert.equal(changed.body().data.id, first.body().data.id)
  }).timeout(30_000)

  test('a URL is imported with its page title; bad addresses and types are 422s', async ({
    client,
    assert,
  }) => {
    const { team, supervisorToken } = await setup()
    const help = await collection(client, supervisorToken, team.id)
    const { url, server } = await site({
      '/returns': {
        type: 'text/html; charset=utf-8',
        body: '<html><head><title>Returns policy</title></head><body><h2>Returns</h2><p>Return items within 30 days.</p></body></html>',
      },
      '/old': { type: '', status: 301, body: '/returns' },
      '/image': { type: 'image/png', body: Buffer.from([137, 80, 78, 71]) },
    })
    try {
      const imported = await client
        .post('/api/v1/knowledge/documents')
        .bearerToken(supervisorToken)
        .json({ collectionId: help.id, url: `${url}/old` })
      imported.assertStatus(201)
      assert.equal(imported.body().data.title, 'Returns policy')
      assert.equal(imported.body().data.source, 'url')
      assert.equal(imported.body().data.sourceUrl, `${url}/returns`)
      const hits = await search(client, supervisorToken, team.id, 'return within 30 days')
      assert.equal(hits[0].sourceUrl, `${url}/returns`)

      for (const [path, pattern] of [
        ['/missing', /HTTP 404/],
        ['/image', /image\/png/],
      ] as const) {
        const response = await client
          .post('/api/v1/knowledge/documents')
          .bearerToken(supervisorToken)
          .json({ collectionId: help.id, url: `${url}${path}` })
        response.assertStatus(422)
        assert.equal(response.body().errors[0].field, 'url')
        assert.match(response.body().errors[0].message, pattern)
      }
      const count = await db.from('knowledge_documents').where('collection_id', help.id)
      assert.lengthOf(count, 1)
    } finally {
      server.close()
    }
  }).timeout(30_000)

  test('dense hits are fused with lexical ones by rank; the lexical path stands alone', async ({
    assert,
  }) => {
    const team = await makeTeam()
    const service = new KnowledgeService()
    const help = await service.createCollection({ teamId: team.id, name: 'Help' })
    const save = async (content: string) =>
      (await service.saveDocument({ collectionId: help.id, format: 'markdown', body: content }))
        .document
    const lexical = await save('# Refunds\n\nRefunds reach the card within five days.')
    const semantic = await save('# Money back\n\nWe return payments for annual plans.')
    const chunkOf = async (documentId: number) =>
      Number((await db.from('knowledge_chunks').where('document_id', documentId).first()).id)
    const semanticChunk = await chunkOf(semantic.id)

    // What an embeddings model would say: "money back" is nearest to a refund question.
    const asked: number[][] = []
    const dense = {
      search: async (collectionIds: number[]) => {
        asked.push(collectionIds)
        return [{ chunkId: semanticChunk, score: 0.83 }]
      },
    }
    const result = await searchKnowledge({ query: 'refunds', teamId: team.id, dense })
    assert.deepEqual(asked, [[help.id]])
    assert.sameMembers(
      result.hits.map((h) => h.documentId),
      [lexical.id, semantic.id]
    )
    const onlyDense = result.hits.find((h) => h.documentId === semantic.id)!
    assert.equal(onlyDense.confidence, 0.83)
    assert.equal(onlyDense.title, 'Money back')

    const failing = { search: async () => Promise.reject(new Error('vector store down')) }
    const alone = await searchKnowledge({ query: 'refunds', teamId: team.id, dense: failing })
    assert.deepEqual(
      alone.hits.map((h) => h.documentId),
      [lexical.id]
    )
  })

  test('private addresses are refused unless allowed', async ({ assert }) => {
    for (const address of ['http://127.0.0.1:9/x', 'http://10.1.2.3/x', 'http://[::1]/x']) {
      const error = await fetchDocument(address, { allowPrivate: false }).catch((e) => e)
      assert.instanceOf(error, ExtractionError)
      assert.match(error.message, /not a public one/)
    }
    const scheme = await fetchDocument('file:///etc/passwd').catch((e) => e)
    assert.match(scheme.message, /Only http and https/)
  })

  test('operators read and search; supervisors write; other teams see 404s; bad input is a 422', async ({
    client,
    assert,
  }) => {
    const { team, other, supervisorToken, operatorToken, adminToken } = await setup()
    const help = await collection(client, supervisorToken, team.id)
    const foreign = await collection(client, adminToken, other.id, 'Theirs')

    const denied = await postDocument(client, operatorToken, {
      collectionId: help.id,
      content: 'x',
    })
    denied.assertStatus(403)
    const hidden = await client
      .get(`/api/v1/knowledge/collections/${foreign.id}`)
      .bearerToken(supervisorToken)
    hidden.assertStatus(404)
    const intoForeign = await postDocument(client, supervisorToken, {
      collectionId: foreign.id,
      content: 'x',
    })
    intoForeign.assertStatus(404)
    const foreignSearch = await client
      .get('/api/v1/knowledge/search')
      .bearerToken(supervisorToken)
      .qs({ teamId: other.id, q: 'x' })
    foreignSearch.assertStatus(404)

    const both = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      content: 'x',
      url: 'https://example.com/',
    })
    both.assertStatus(422)
    assert.match(both.body().errors[0].message, /exactly one of content, url or file/)
    const empty = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      content: '\u200B\u200B',
    })
    empty.assertStatus(422)
    assert.equal(empty.body().errors[0].field, 'content')
    const noQuery = await client.get('/api/v1/knowledge/search').bearerToken(operatorToken)
    noQuery.assertStatus(422)
    assert.equal(noQuery.body().errors[0].field, 'q')
    assert.lengthOf(await db.from('knowledge_documents'), 0)

    const hours = await postDocument(client, supervisorToken, {
      collectionId: help.id,
      content: '# Opening hours\n\nWe open at nine.',
    })
    hours.assertStatus(201)
    // An operator of one team needs no teamId.
    const hits = await client
      .get('/api/v1/knowledge/search')
      .bearerToken(operatorToken)
      .qs({ q: 'when do you open' })
    hits.assertStatus(200)
    assert.equal(hits.body().data[0].title, 'Opening hours')
    const list = await client
      .get('/api/v1/knowledge/documents')
      .bearerToken(operatorToken)
      .qs({ collectionId: help.id })
    assert.equal(list.body().meta.total, 1)
    assert.notProperty(list.body().data[0], 'content')
  }).timeout(30_000)

  test('kb:import loads a folder, then updates only what changed', async ({ assert }) => {
    const team = await makeTeam('Importers')
    const dir = await mkdtemp(join(tmpdir(), 'kb-'))
    await mkdir(join(dir, 'guides'))
    await writeFile(join(dir, 'refunds.md'), '# Refunds\n\nRefunds take five days.')
    await writeFile(join(dir, 'guides', 'setup.html'), '<h1>Setup</h1><p>Plug it in.</p>')
    await writeFile(join(dir, 'guides', 'terms.pdf'), pdfWithLines(['Terms', 'Be nice.']))
    await writeFile(join(dir, 'notes.bin'), 'ignored')
    const run = async (...args: string[]) => {
      const command = await ace.create(KbImport, args)
      await command.exec()
      return command
    }

    ace.ui.switchMode('raw')
    try {
      const first = await run(dir, '--team=importers')
      first.assertSucceeded()
      first.assertLogMatches(/3 added, 0 updated, 0 unchanged, 0 failed/)
      const docs = await db
        .from('knowledge_documents')
        .where('team_id', team.id)
        .orderBy('external_id')
      assert.deepEqual(
        docs.map((d) => d.external_id),
        ['file:guides/setup.html', 'file:guides/terms.pdf', 'file:refunds.md']
      )

      await writeFile(join(dir, 'refunds.md'), '# Refunds\n\nRefunds take three days.')
      const second = await run(dir, '--team=importers')
      second.assertLogMatches(/0 added, 1 updated, 2 unchanged, 0 failed/)

      const missing = await run(join(dir, 'nope'), '--team=importers')
      missing.assertFailed()
      missing.assertLogMatches(/No such file or directory/)
      const noTeam = await run(dir, '--team=Nobody')
      noTeam.assertLogMatches(/No team named "Nobody"/)
    } finally {
      ace.ui.switchMode('normal')
    }
  }).timeout(30_000)
})
