/*
| Retrieval quality measures, as BEIR (pytrec_eval) computes them: a
| ranking is a list of document ids, best first; judgments map a
| document id to its graded relevance (0 or missing: not relevant).
*/

export type Judgments = ReadonlyMap<string, number>

/** Ids in their first position only: a document found through several chunks counts once. */
export function uniqueRanking(ids: Iterable<string>): string[] {
  return [...new Set(ids)]
}

/**
 * nDCG@k with linear gains (the grade itself) and a log2(rank + 1)
 * discount; the ideal ranking orders every judged document by grade.
 * 0 when nothing is relevant.
 */
export function ndcgAt(ranking: readonly string[], judgments: Judgments, k = 10): number {
  const gain = (grade: number | undefined) => Math.max(grade ?? 0, 0)
  let dcg = 0
  ranking.slice(0, k).forEach((id, i) => {
    dcg += gain(judgments.get(id)) / Math.log2(i + 2)
  })
  const ideal = [...judgments.values()]
    .map(gain)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0)
  return ideal > 0 ? dcg / ideal : 0
}

/** The share of the relevant documents (grade > 0) found in the first k; 0 when none are relevant. */
export function recallAt(ranking: readonly string[], judgments: Judgments, k = 100): number {
  const relevant = [...judgments].filter(([, grade]) => grade > 0).length
  if (!relevant) return 0
  const found = ranking.slice(0, k).filter((id) => (judgments.get(id) ?? 0) > 0).length
  return found / relevant
}

/** 1 / the rank of the first relevant document within the first k, else 0. */
export function mrrAt(ranking: readonly string[], judgments: Judgments, k = 10): number {
  const index = ranking.slice(0, k).findIndex((id) => (judgments.get(id) ?? 0) > 0)
  return index < 0 ? 0 : 1 / (index + 1)
}

export function mean(values: readonly number[]): number {
  return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : 0
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}
