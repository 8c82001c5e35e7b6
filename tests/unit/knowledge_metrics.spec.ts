import { test } from '@japa/runner'
import { mean, mrrAt, ndcgAt, percentile, recallAt, uniqueRanking } from '#knowledge/metrics'

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries))
const close = (actual: number, expected: number) => Math.abs(actual - expected) < 1e-9

test.group('Retrieval metrics', () => {
  test('nDCG@10 with binary gains', ({ assert }) => {
    const qrels = judged({ a: 1, b: 1 })
    // Relevant at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3).
    const dcg = 1 + 1 / 2
    const ideal = 1 + 1 / Math.log2(3)
    assert.isTrue(close(ndcgAt(['a', 'x', 'b'], qrels, 10), dcg / ideal))
    assert.equal(ndcgAt(['a', 'b', 'x'], qrels, 10), 1)
    assert.equal(ndcgAt(['x', 'y'], qrels, 10), 0)
    // Beyond the cut-off nothing counts.
    const eleven = [...'cdefghijkl'.split(''), 'a']
    assert.equal(ndcgAt(eleven, qrels, 10), 0)
  })

  test('nDCG@k with graded gains takes the ideal from the judgments', ({ assert }) => {
    const qrels = judged({ a: 2, b: 1, c: 0 })
    // Ranking b, a: DCG = 1 + 2/log2(3); ideal a, b: 2 + 1/log2(3).
    const expected = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3))
    assert.isTrue(close(ndcgAt(['b', 'a'], qrels, 10), expected))
    // Only the first k count, in the ideal too: k = 1 gives 1/2 for b first.
    assert.isTrue(close(ndcgAt(['b', 'a'], qrels, 1), 0.5))
    // No relevant judgment at all: 0, not NaN.
    assert.equal(ndcgAt(['a'], judged({ a: 0 }), 10), 0)
  })

  test('Recall@k counts the relevant documents found within the first k', ({ assert }) => {
    const qrels = judged({ a: 1, b: 1, c: 1, z: 0 })
    assert.isTrue(close(recallAt(['a', 'x', 'c', 'z'], qrels, 100), 2 / 3))
    assert.isTrue(close(recallAt(['x', 'a', 'b'], qrels, 2), 1 / 3))
    assert.equal(recallAt([], qrels, 100), 0)
    assert.equal(recallAt(['a'], judged({}), 100), 0)
  })

  test('MRR@k is the reciprocal rank of the first relevant document', ({ assert }) => {
    const qrels = judged({ b: 1, c: 1 })
    assert.equal(mrrAt(['b', 'c'], qrels, 10), 1)
    assert.equal(mrrAt(['x', 'y', 'c', 'b'], qrels, 10), 1 / 3)
    assert.equal(mrrAt(['x', 'y', 'c'], qrels, 2), 0)
    assert.equal(mrrAt(['x', 'z'], judged({ z: 0 }), 10), 0)
  })

  test('rankings keep a document at its first position; mean and percentiles', ({ assert }) => {
    assert.deepEqual(uniqueRanking(['a', 'b', 'a', 'c', 'b']), ['a', 'b', 'c'])
    assert.equal(mean([1, 2, 3, 6]), 3)
    assert.equal(mean([]), 0)
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    assert.equal(percentile(values, 50), 5)
    assert.equal(percentile(values, 95), 10)
    assert.equal(percentile(values, 10), 1)
    assert.isNaN(percentile([], 50))
  })
})
