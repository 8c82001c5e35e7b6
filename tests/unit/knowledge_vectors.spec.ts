import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { openAIEmbedder, type Embedder } from '#knowledge/embeddings'
import {
  denseIndex,
  denseSearch,
  embedChunks,
  ensureVectorTable,
  reciprocalRankFusion,
  toVectorLiteral,
  unembeddedChunkIds,
  vectorSupport,
} from '#knowledge/vectors'
import { startPGliteServer, type PGliteServer } from '#tests/support/pglite_server'

const DIMENSIONS = 64
const STOPWORDS = new Set(['a', 'an', 'the', 'to', 'of', 'on', 'in', 'is', 'are', 'do', 'i', 'my'])

/** Deterministic stand-in for a model: hashed bag of words, L2-normalised. */
function bagOfWords(dimensions = DIMENSIONS): Embedder & { calls: string[][] } {
  const calls: string[][] = []
  const embedOne = (text: string) => {
    const vector = Array.from({ length: dimensions }, () => 0)
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      if (STOPWORDS.has(word)) continue
      const hash = createHash('sha256').update(word).digest()
      vector[hash.readUInt32BE(0) % dimensions] += hash[4] & 1 ? 1 : -1
    }
    const norm = Math.hypot(...vector)
    return norm ? vector.map((x) => x / norm) : vector.map((_, i) => (i === 0 ? 1 : 0))
  }
  return {
    model: 'test-bag-of-words',
    dimensions,
    calls,
    async embed(texts) {
      calls.push(texts)
      return texts.map(embedOne)
    },
  }
}

/*
| The tables of migration 1040, without the references to teams and users
| (the store never reads them).
*/
const KNOWLEDGE_SCHEMA = `
  CREATE TABLE knowledge_collections (
    id serial PRIMARY KEY,
    team_id integer NULL,
    name varchar(255) NOT NULL,
    description text NULL,
    kind varchar(16) NOT NULL DEFAULT 'team',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (team_id, name)
  );
  CREATE TABLE knowledge_documents (
    id bigserial PRIMARY KEY,
    collection_id integer NOT NULL REFERENCES knowledge_collections(id) ON DELETE CASCADE,
    team_id integer NULL,
    title text NOT NULL,
    format varchar(16) NOT NULL,
    source varchar(16) NOT NULL DEFAULT 'text',
    source_url text NULL,
    filename text NULL,
    external_id varchar(512) NULL,
    content text NOT NULL,
    content_hash varchar(64) NOT NULL,
    chunk_count integer NOT NULL DEFAULT 0,
    created_by_id integer NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE knowledge_chunks (
    id bigserial PRIMARY KEY,
    document_id bigint NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
    collection_id integer NOT NULL REFERENCES knowledge_collections(id) ON DELETE CASCADE,
    ordinal integer NOT NULL,
    heading text NULL,
    text text NOT NULL,
    UNIQUE (document_id, ordinal)
  );
  CREATE INDEX ON knowledge_chunks (collection_id);
`

async function addCollection(client: pg.Client, name: string) {
  const { rows } = await client.query(
    'INSERT INTO knowledge_collections (name) VALUES ($1) RETURNING id',
    [name]
  )
  return Number(rows[0].id)
}

/** A document and its chunks; returns the chunk ids in order. */
async function addDocument(
  client: pg.Client,
  collectionId: number,
  title: string,
  chunks: Array<{ heading?: string; text: string }>
) {
  const content = chunks.map((c) => c.text).join('\n\n')
  const { rows } = await client.query(
    `INSERT INTO knowledge_documents (collection_id, title, format, content, content_hash, chunk_count)
      VALUES ($1, $2, 'markdown', $3, md5($3), $4) RETURNING id`,
    [collectionId, title, content, chunks.length]
  )
  const ids: number[] = []
  for (const [ordinal, chunk] of chunks.entries()) {
    const inserted = await client.query(
      `INSERT INTO knowledge_chunks (document_id, collection_id, ordinal, heading, text)
        VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [rows[0].id, collectionId, ordinal, chunk.heading ?? null, chunk.text]
    )
    ids.push(Number(inserted.rows[0].id))
  }
  return ids
}

async function embeddingCount(client: pg.Client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM knowledge_embeddings')
  return rows[0].n as number
}

test.group('Knowledge vectors | pgvector on PGlite', (group) => {
  let server: PGliteServer
  let client: pg.Client
  const embedder = bagOfWords()
  const ids = {
    help: 0,
    other: 0,
    refund: 0,
    invoice: 0,
    password: 0,
    otherRefund: 0,
  }

  group.setup(async () => {
    server = await startPGliteServer({ maxConnections: 3 })
    client = new pg.Client({ connectionString: server.url })
    await client.connect()
    await client.query(KNOWLEDGE_SCHEMA)

    ids.help = await addCollection(client, 'Help')
    ids.other = await addCollection(client, 'Other team')
    ;[ids.refund, ids.invoice] = await addDocument(client, ids.help, 'Billing', [
      { heading: 'Refunds', text: 'Refunds are paid back to the original card within five days.' },
      {
        heading: 'Invoices',
        text: 'Invoices are emailed as PDF files at the start of each month.',
      },
    ])
    ;[ids.password] = await addDocument(client, ids.help, 'Account', [
      { heading: 'Password', text: 'Reset a forgotten password from the login page.' },
    ])
    ;[ids.otherRefund] = await addDocument(client, ids.other, 'Billing', [
      { heading: 'Refunds', text: 'Refunds are paid back to the original card within five days.' },
    ])

    return async () => {
      await client.end()
      await server.stop()
    }
  })

  test('vectorSupport creates the extension, then finds it', async ({ assert }) => {
    assert.isTrue(await vectorSupport(client))
    assert.isTrue(await vectorSupport(client))
    const { rows } = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`)
    assert.lengthOf(rows, 1)
  })

  test('ensureVectorTable creates the table and an HNSW cosine index, idempotently', async ({
    assert,
  }) => {
    await ensureVectorTable(client, DIMENSIONS)
    await ensureVectorTable(client, DIMENSIONS)

    const { rows } = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'knowledge_embeddings' ORDER BY indexname`
    )
    const hnsw = rows.filter((row) =>
      /USING hnsw \(embedding vector_cosine_ops\)/.test(row.indexdef)
    )
    assert.lengthOf(hnsw, 1)
    assert.lengthOf(rows, 3) // primary key, HNSW, collection_id

    const column = await client.query(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'knowledge_embeddings'::regclass AND attname = 'embedding'`
    )
    assert.equal(column.rows[0].type, `vector(${DIMENSIONS})`)
  })

  test('embedChunks stores one vector per chunk, with its collection and model', async ({
    assert,
  }) => {
    embedder.calls.length = 0
    const stored = await embedChunks(
      client,
      embedder,
      [ids.refund, ids.invoice, ids.password, ids.otherRefund, ids.refund],
      { batchSize: 3 }
    )
    assert.equal(stored, 4)
    assert.deepEqual(
      embedder.calls.map((batch) => batch.length),
      [3, 1]
    )
    // The passage carries its document title and heading.
    assert.include(
      embedder.calls[0],
      'Billing\nRefunds\n\nRefunds are paid back to the original card within five days.'
    )

    const { rows } = await client.query(
      `SELECT chunk_id, collection_id, model, vector_dims(embedding) AS dims
        FROM knowledge_embeddings ORDER BY chunk_id`
    )
    assert.deepEqual(
      rows.map((row) => [Number(row.chunk_id), row.collection_id, row.model, row.dims]),
      [
        [ids.refund, ids.help, embedder.model, DIMENSIONS],
        [ids.invoice, ids.help, embedder.model, DIMENSIONS],
        [ids.password, ids.help, embedder.model, DIMENSIONS],
        [ids.otherRefund, ids.other, embedder.model, DIMENSIONS],
      ]
    )

    // Again: replaced, not duplicated; unknown ids are skipped.
    assert.equal(await embedChunks(client, embedder, [ids.refund, 999_999]), 1)
    assert.equal(await embeddingCount(client), 4)
    assert.deepEqual(await unembeddedChunkIds(client, embedder.model), [])
    assert.deepEqual(
      await unembeddedChunkIds(client, 'another-model', { collectionIds: [ids.other] }),
      [ids.otherRefund]
    )
  })

  test('denseSearch ranks the matching chunk first and stays inside the collections', async ({
    assert,
  }) => {
    const [refundQuery] = await embedder.embed(['how long until refunds are paid back to my card'])
    const hits = await denseSearch(client, {
      vector: refundQuery,
      collectionIds: [ids.help],
      limit: 10,
      model: embedder.model,
    })
    assert.equal(hits[0].chunkId, ids.refund)
    assert.sameMembers(
      hits.map((hit) => hit.chunkId),
      [ids.refund, ids.invoice, ids.password]
    )
    assert.isAbove(hits[0].score, hits[1].score)
    assert.closeTo(hits[0].score, 0.6, 0.4) // a cosine similarity, not a distance

    const [passwordQuery] = await embedder.embed(['forgotten password'])
    const password = await denseSearch(client, {
      vector: passwordQuery,
      collectionIds: [ids.help],
      limit: 1,
    })
    assert.deepEqual(
      password.map((hit) => hit.chunkId),
      [ids.password]
    )

    const other = await denseSearch(client, {
      vector: refundQuery,
      collectionIds: [ids.other],
      limit: 10,
    })
    assert.deepEqual(
      other.map((hit) => hit.chunkId),
      [ids.otherRefund]
    )
    assert.deepEqual(
      await denseSearch(client, { vector: refundQuery, collectionIds: [], limit: 10 }),
      []
    )
    assert.deepEqual(
      await denseSearch(client, {
        vector: refundQuery,
        collectionIds: [ids.help],
        limit: 10,
        model: 'another-model',
      }),
      []
    )
  })

  test('the same search through a pg pool and through Lucid', async ({ assert }) => {
    const [vector] = await embedder.embed(['invoices emailed as PDF'])
    const expected = await denseSearch(client, { vector, collectionIds: [ids.help], limit: 3 })
    assert.equal(expected[0].chunkId, ids.invoice)

    const pool = new pg.Pool({ connectionString: server.url, max: 1 })
    try {
      assert.deepEqual(
        await denseSearch(pool, { vector, collectionIds: [ids.help], limit: 3 }),
        expected
      )
    } finally {
      await pool.end()
    }

    db.manager.add('pglite', {
      client: 'pg',
      connection: { connectionString: server.url },
      pool: { min: 0, max: 1 },
    })
    try {
      const lucid = db.connection('pglite')
      assert.deepEqual(
        await denseSearch(lucid, { vector, collectionIds: [ids.help], limit: 3 }),
        expected
      )
      await lucid.transaction(async (trx) => {
        assert.deepEqual(
          await denseSearch(trx, { vector, collectionIds: [ids.help], limit: 3 }),
          expected
        )
      })
      assert.equal(await embedChunks(lucid, embedder, [ids.invoice]), 1)
    } finally {
      await db.manager.close('pglite', true)
    }
  })

  test('a small collection gets its results from the HNSW graph, not an empty filter', async ({
    assert,
  }) => {
    // Many vectors near the query in one collection, a few far from it in another.
    const crowd = await addCollection(client, 'Crowd')
    const few = await addCollection(client, 'Few')
    const crowdIds = await addDocument(
      client,
      crowd,
      'Shipping',
      Array.from({ length: 300 }, (_, i) => ({ text: `parcel shipping courier tracking ${i}` }))
    )
    const fewIds = await addDocument(client, few, 'Misc', [
      { text: 'alpha beta gamma' },
      { text: 'delta epsilon zeta' },
      { text: 'eta theta iota' },
    ])
    await embedChunks(client, embedder, [...crowdIds, ...fewIds])
    const [vector] = await embedder.embed(['parcel shipping courier tracking'])

    // Force the graph: no sequential scan, no exact scan through the collection index.
    await client.query('DROP INDEX knowledge_embeddings_collection')
    await client.query('SET enable_seqscan = off')
    try {
      const plan = await client.query(
        `EXPLAIN SELECT chunk_id FROM knowledge_embeddings WHERE collection_id = ANY($2::int[])
          ORDER BY embedding <=> $1::vector LIMIT 3`,
        [toVectorLiteral(vector), `{${few}}`]
      )
      assert.match(
        plan.rows.map((row) => row['QUERY PLAN']).join('\n'),
        /knowledge_embeddings_hnsw/
      )

      const hits = await denseSearch(client, { vector, collectionIds: [few], limit: 3 })
      assert.sameMembers(
        hits.map((hit) => hit.chunkId),
        fewIds
      )
    } finally {
      await client.query('RESET enable_seqscan')
      await client.query('RESET hnsw.iterative_scan')
      await client.query('RESET hnsw.ef_search')
    }

    // ensureVectorTable puts a missing index back.
    await ensureVectorTable(client, DIMENSIONS)
    const { rows } = await client.query(
      `SELECT 1 FROM pg_indexes WHERE indexname = 'knowledge_embeddings_collection'`
    )
    assert.lengthOf(rows, 1)
    await client.query('DELETE FROM knowledge_collections WHERE id = ANY($1::int[])', [
      `{${crowd},${few}}`,
    ])
  })

  test('deleting a chunk deletes its vector', async ({ assert }) => {
    const [chunkId] = await addDocument(client, ids.help, 'Temporary', [{ text: 'short lived' }])
    await embedChunks(client, embedder, [chunkId])
    const before = await embeddingCount(client)
    await client.query('DELETE FROM knowledge_chunks WHERE id = $1', [chunkId])
    assert.equal(await embeddingCount(client), before - 1)
    const { rows } = await client.query('SELECT 1 FROM knowledge_embeddings WHERE chunk_id = $1', [
      chunkId,
    ])
    assert.lengthOf(rows, 0)
  })

  test('a table of another vector size is refused, naming both sizes', async ({ assert }) => {
    await assert.rejects(
      () => ensureVectorTable(client, 32),
      /holds vectors of 64 dimensions but the embeddings model gives 32/
    )
    await assert.rejects(() => ensureVectorTable(client, 3072), /at most 2000 dimensions/)
    await assert.rejects(
      () => embedChunks(client, bagOfWords(32), [ids.refund]),
      /expected 64 dimensions, not 32/
    )
    // Nothing was touched.
    assert.equal((await denseIndex(client, bagOfWords()))?.embedder.dimensions, DIMENSIONS)
  })

  test('denseIndex searches and embeds through the configured embedder', async ({ assert }) => {
    assert.isNull(await denseIndex(client, null))
    const index = await denseIndex(client, embedder)
    assert.isNotNull(index)
    const hits = await index!.search([ids.help], 'reset forgotten password', 2)
    assert.equal(hits[0].chunkId, ids.password)
    assert.deepEqual(await index!.search([ids.help], '   ', 2), [])
    assert.equal(await index!.embed([ids.refund, ids.invoice]), 2)
    await assert.rejects(() => denseIndex(client, bagOfWords(32)), /64 dimensions .* 32/)
  })
})

test.group('Knowledge vectors | PostgreSQL without pgvector', () => {
  test('vectorSupport is false without an error, and the transaction stays usable', async ({
    assert,
  }) => {
    assert.isFalse(await vectorSupport(db.connection()))
    await db.transaction(async (trx) => {
      assert.isFalse(await vectorSupport(trx))
      const { rows } = await trx.rawQuery('SELECT 1 AS ok')
      assert.equal(rows[0].ok, 1)
    })
    assert.isNull(await denseIndex(db.connection(), bagOfWords()))
  })
})

test.group('Knowledge vectors | reciprocal rank fusion', () => {
  const list = (...chunkIds: number[]) => chunkIds.map((chunkId) => ({ chunkId }))

  test('an item high in both lists beats one at the top of a single list', ({ assert }) => {
    const fused = reciprocalRankFusion([list(1, 2, 3), list(2, 4, 1)])
    assert.deepEqual(
      fused.map((item) => item.chunkId),
      [2, 1, 4, 3]
    )
    assert.closeTo(fused[0].score, 1 / 62 + 1 / 61, 1e-12)
  })

  test('scores are 1 / (k + rank) summed over the lists', ({ assert }) => {
    assert.deepEqual(reciprocalRankFusion([list(7, 8)]), [
      { chunkId: 7, score: 1 / 61 },
      { chunkId: 8, score: 1 / 62 },
    ])
    assert.deepEqual(reciprocalRankFusion([]), [])
    assert.deepEqual(reciprocalRankFusion([[], []]), [])
  })

  test('ties keep the order of first appearance, rank by rank', ({ assert }) => {
    assert.deepEqual(
      reciprocalRankFusion([list(1, 3), list(2, 4)]).map((item) => item.chunkId),
      [1, 2, 3, 4]
    )
    assert.deepEqual(
      reciprocalRankFusion([list(2, 4), list(1, 3)]).map((item) => item.chunkId),
      [2, 1, 4, 3]
    )
    // Symmetric ranks give exactly equal sums.
    const fused = reciprocalRankFusion([list(5, 6), list(6, 5)])
    assert.equal(fused[0].score, fused[1].score)
    assert.deepEqual(
      fused.map((item) => item.chunkId),
      [5, 6]
    )
  })

  test('k sets how much the top ranks dominate', ({ assert }) => {
    // 1: first in one list, tenth in the other; 2: second in both.
    const lists = [
      list(1, 2, 11, 12, 13, 14, 15, 16, 17, 18),
      list(19, 2, 21, 22, 23, 24, 25, 26, 27, 1),
    ]
    assert.equal(reciprocalRankFusion(lists, 0)[0].chunkId, 1)
    assert.equal(reciprocalRankFusion(lists)[0].chunkId, 2)
    assert.throws(() => reciprocalRankFusion(lists, -1), /Invalid fusion constant/)
  })

  test('an item repeated in one list counts once, at its best rank', ({ assert }) => {
    assert.deepEqual(reciprocalRankFusion([list(1, 1, 2)]), [
      { chunkId: 1, score: 1 / 61 },
      { chunkId: 2, score: 1 / 63 },
    ])
  })
})

test.group('Knowledge vectors | OpenAI embedder', (group) => {
  let server: Server
  let baseURL: string
  const requests: Array<{ authorization?: string; body: any }> = []

  group.setup(async () => {
    // Answers vectors [index, length of the text, 0...] in reverse order, as base64 floats when asked.
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        requests.push({ authorization: req.headers.authorization, body })
        const size = body.dimensions ?? 4
        const data = (body.input as string[]).map((text, index) => {
          const vector = Array.from({ length: size }, (_, i) =>
            i === 0 ? index : i === 1 ? text.length : 0
          )
          const embedding =
            body.encoding_format === 'base64'
              ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
              : vector
          return { object: 'embedding', index, embedding }
        })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            object: 'list',
            model: body.model,
            data: data.reverse(),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          })
        )
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
    return () => new Promise<void>((resolve) => server.close(() => resolve()))
  })

  group.each.setup(() => {
    requests.length = 0
  })

  test('embeds in input order, in batches, with the key as bearer token', async ({ assert }) => {
    const embedder = openAIEmbedder({
      baseURL,
      apiKey: 'sk-test',
      model: 'local-model',
      dimensions: 4,
    })
    const texts = Array.from({ length: 300 }, (_, i) => 'x'.repeat(i + 1))
    const vectors = await embedder.embed(texts)
    assert.lengthOf(vectors, 300)
    assert.deepEqual(vectors[0], [0, 1, 0, 0])
    assert.deepEqual(vectors[299], [43, 300, 0, 0]) // index 43 of the second request
    assert.deepEqual(
      requests.map((r) => r.body.input.length),
      [256, 44]
    )
    assert.equal(requests[0].authorization, 'Bearer sk-test')
    // Other servers are not asked to shorten vectors.
    assert.notProperty(requests[0].body, 'dimensions')
    assert.deepEqual(await embedder.embed([]), [])
  })

  test('text-embedding-3 models are asked for the configured size; others need one', async ({
    assert,
  }) => {
    const small = openAIEmbedder({
      baseURL,
      apiKey: 'k',
      model: 'text-embedding-3-small',
      dimensions: 8,
    })
    assert.equal(small.dimensions, 8)
    assert.lengthOf((await small.embed(['hello']))[0], 8)
    assert.equal(requests[0].body.dimensions, 8)

    assert.equal(
      openAIEmbedder({ baseURL, apiKey: 'k', model: 'text-embedding-3-large' }).dimensions,
      3072
    )
    assert.throws(
      () => openAIEmbedder({ baseURL, apiKey: 'k', model: 'nomic-embed-text' }),
      /OPENAI_EMBEDDINGS_DIMENSIONS/
    )
  })

  test('a vector of the wrong size is an error', async ({ assert }) => {
    const embedder = openAIEmbedder({ baseURL, apiKey: 'k', model: 'local-model', dimensions: 5 })
    await assert.rejects(
      () => embedder.embed(['hello']),
      /returned 4 dimensions where 5 were expected/
    )
  })
})
