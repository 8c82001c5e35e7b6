/*
| What the panel's knowledge screens read: a document's chunks as the index
| holds them (GET /knowledge/documents/:id/chunks), the `size` every document
| carries, and upload refusals worded for a person.
*/
import { test } from '@japa/runner'
import { truncateLater } from '#tests/support/truncate'
import { makeTeam, makeUser, tokenFor } from '#tests/support/fixtures'

const TEXT =
  '# Billing\n\nInvoices are sent monthly.\n\n## Refunds\n\nAsk within 14 days.\n\n### Annual plans\n\nAnnual plans are refunded pro rata.\n\n## Cards\n\nReplace a card under Settings.'

async function setup(client: any) {
  const team = await makeTeam()
  const other = await makeTeam()
  const supervisorToken = await tokenFor(await makeUser('supervisor', [team]))
  const collection = await client
    .post('/api/v1/knowledge/collections')
    .bearerToken(supervisorToken)
    .json({ teamId: team.id, name: 'Help' })
  collection.assertStatus(201)
  const document = await client
    .post('/api/v1/knowledge/documents')
    .bearerToken(supervisorToken)
    .json({ collectionId: collection.body().data.id, content: TEXT })
  document.assertStatus(201)
  return {
    document: document.body().data as { id: number; chunkCount: number; size: number },
    supervisorToken,
    operatorToken: await tokenFor(await makeUser('operator', [team])),
    otherSupervisorToken: await tokenFor(await makeUser('supervisor', [other])),
  }
}

test.group('Knowledge documents: chunks, size, uploads', (group) => {
  group.each.setup(() => truncateLater())

  test('members read the chunks in order with their heading paths; pages follow', async ({
    client,
    assert,
  }) => {
    const { document, operatorToken } = await setup(client)
    assert.equal(document.size, Buffer.byteLength(TEXT))

    const response = await client
      .get(`/api/v1/knowledge/documents/${document.id}/chunks`)
      .bearerToken(operatorToken)
    response.assertStatus(200)
    const chunks = response.body().data as Array<Record<string, any>>
    assert.lengthOf(chunks, document.chunkCount)
    assert.deepEqual(
      chunks.map((c) => c.ordinal),
      [...chunks.keys()]
    )
    assert.deepEqual(Object.keys(chunks[0]).sort(), ['heading', 'id', 'ordinal', 'text'])
    const nested = chunks.find((c) => c.heading?.includes(' › '))
    assert.equal(nested?.heading, 'Refunds › Annual plans')
    assert.include(nested!.text, 'pro rata')
    assert.equal(response.body().meta.total, document.chunkCount)

    const second = await client
      .get(`/api/v1/knowledge/documents/${document.id}/chunks`)
      .bearerToken(operatorToken)
      .qs({ page: 2, perPage: 1 })
    second.assertStatus(200)
    assert.deepEqual(second.body().data, [chunks[1]])
    assert.include(second.body().meta, { page: 2, perPage: 1, total: document.chunkCount })

    // Lists give the size without the text.
    const list = await client.get('/api/v1/knowledge/documents').bearerToken(operatorToken)
    assert.equal(list.body().data[0].size, Buffer.byteLength(TEXT))
    assert.notProperty(list.body().data[0], 'content')
    const shown = await client
      .get(`/api/v1/knowledge/documents/${document.id}`)
      .bearerToken(operatorToken)
    assert.equal(shown.body().data.size, Buffer.byteLength(TEXT))
  }).timeout(30_000)

  test('anonymous is 401, another team is 404, bad paging is 422', async ({ client, assert }) => {
    const { document, otherSupervisorToken, supervisorToken } = await setup(client)
    const path = `/api/v1/knowledge/documents/${document.id}/chunks`

    const anonymous = await client.get(path)
    anonymous.assertStatus(401)
    const foreign = await client.get(path).bearerToken(otherSupervisorToken)
    foreign.assertStatus(404)
    const missing = await client
      .get(`/api/v1/knowledge/documents/${document.id + 1000}/chunks`)
      .bearerToken(supervisorToken)
    missing.assertStatus(404)
    const badPage = await client.get(path).bearerToken(supervisorToken).qs({ perPage: 500 })
    badPage.assertStatus(422)
    assert.equal(badPage.body().errors[0].field, 'perPage')
  }).timeout(30_000)

  test('a file whose bytes are not what its name says is refused by name', async ({
    client,
    assert,
  }) => {
    const { supervisorToken } = await setup(client)
    const collections = await client
      .get('/api/v1/knowledge/collections')
      .bearerToken(supervisorToken)
    const refused = await client
      .post('/api/v1/knowledge/documents')
      .bearerToken(supervisorToken)
      .field('collectionId', String(collections.body().data[0].id))
      .file('file', Buffer.from('not a pdf at all'), { filename: 'broken.pdf' })
    refused.assertStatus(422)
    assert.deepEqual(refused.body().errors, [
      {
        field: 'file',
        rule: 'extract',
        message: 'broken.pdf is not a Markdown, text, HTML or PDF file',
      },
    ])
  }).timeout(30_000)
})
