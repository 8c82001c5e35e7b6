import { test } from '@japa/runner'
import { chunkDocument } from '#knowledge/chunker'

/** Sentences "Fact n is about topic n." of ~24 characters each. */
const facts = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `Fact ${from + i} is about topic ${from + i}.`).join(' ')

test.group('Knowledge chunker', () => {
  test('splits along headings, with heading paths; a heading repeating the title is left out', ({
    assert,
  }) => {
    const chunks = chunkDocument({
      title: 'Billing',
      content: [
        '# Billing',
        '',
        'How we bill.',
        '',
        '## Refunds',
        '',
        'Annual plans are refunded within 14 days.',
        '',
        '### Partners',
        'Partner refunds are instant.',
        '',
        '## Invoices',
        'Invoices are emailed.',
      ].join('\n'),
    })
    assert.deepEqual(chunks, [
      { ordinal: 0, heading: null, text: 'How we bill.' },
      { ordinal: 1, heading: 'Refunds', text: 'Annual plans are refunded within 14 days.' },
      { ordinal: 2, heading: 'Refunds › Partners', text: 'Partner refunds are instant.' },
      { ordinal: 3, heading: 'Invoices', text: 'Invoices are emailed.' },
    ])
  })

  test('keeps the whole path when the first heading is not the title', ({ assert }) => {
    const chunks = chunkDocument({
      title: 'Help centre',
      content: '# Shipping\n\n## Returns\n\nReturn items within 30 days.',
    })
    assert.deepEqual(chunks, [
      { ordinal: 0, heading: 'Shipping › Returns', text: 'Return items within 30 days.' },
    ])
  })

  test('never makes an empty chunk: empty sections and blank documents give none', ({ assert }) => {
    assert.deepEqual(chunkDocument({ title: 'x', content: '' }), [])
    assert.deepEqual(chunkDocument({ title: 'x', content: '  \n\n# A\n\n## B\n   \n' }), [])
    const chunks = chunkDocument({ title: 'x', content: '# A\n\n# B\n\nOnly B has text.' })
    assert.deepEqual(chunks, [{ ordinal: 0, heading: 'B', text: 'Only B has text.' }])
  })

  test('a document without headings is still chunked; a short one is a single chunk', ({
    assert,
  }) => {
    // About the size of a typical SciFact abstract (1,300 characters).
    const abstract = facts(1, 50)
    assert.isAbove(abstract.length, 1200)
    const chunks = chunkDocument({ title: 'An abstract', content: abstract })
    assert.deepEqual(chunks, [{ ordinal: 0, heading: null, text: abstract }])
  })

  test('a long section is cut into pieces of sensible size on sentence boundaries, with overlap', ({
    assert,
  }) => {
    const content = `# Long\n\n${facts(1, 120)}\n\n${facts(121, 120)}`
    const chunks = chunkDocument({ title: 'Manual', content })
    assert.isAbove(chunks.length, 3)
    for (const [i, chunk] of chunks.entries()) {
      assert.equal(chunk.ordinal, i)
      assert.equal(chunk.heading, 'Long')
      assert.isAtMost(chunk.text.length, 1400)
      assert.isAtLeast(chunk.text.length, 400)
      // Whole sentences only.
      assert.match(chunk.text, /^Fact \d+ is about topic \d+\./)
      assert.match(chunk.text, /topic \d+\.$/)
    }
    // Each piece opens by repeating the end of the one before (about 15%, whole sentences).
    for (let i = 1; i < chunks.length; i++) {
      const last = chunks[i - 1].text.match(/Fact \d+ is about topic \d+\.$/)![0]
      const at = chunks[i].text.indexOf(last)
      assert.isAtLeast(at, 0, `chunk ${i} repeats "${last}"`)
      assert.isBelow(at, chunks[i].text.length * 0.2)
      const first = chunks[i].text.match(/^Fact \d+ is about topic \d+\./)![0]
      assert.include(chunks[i - 1].text, first)
    }
    // Nothing is lost: every sentence is in some chunk.
    const all = chunks.map((c) => c.text).join(' ')
    for (const n of [1, 60, 120, 121, 200, 240]) assert.include(all, `Fact ${n} is about`)
  })

  test('cuts an overlong sentence at word boundaries, and ignores # lines inside code fences', ({
    assert,
  }) => {
    const word = 'lorem '.repeat(800).trim()
    const chunks = chunkDocument({
      title: 'x',
      content: `Intro.\n\n\`\`\`\n# not a heading\n\`\`\`\n\n${word}`,
    })
    assert.isAbove(chunks.length, 1)
    assert.isTrue(chunks.every((c) => c.heading === null && c.text.length <= 1400))
    assert.include(chunks[0].text, '# not a heading')
    assert.isTrue(chunks.every((c) => !/\blor$|^em\b/.test(c.text)))
  })

  test('sizes can be configured', ({ assert }) => {
    const chunks = chunkDocument(
      { title: 'x', content: facts(1, 40) },
      { targetChars: 200, maxChars: 300 }
    )
    assert.isAbove(chunks.length, 4)
    assert.isTrue(chunks.every((c) => c.text.length <= 300))
  })
})
