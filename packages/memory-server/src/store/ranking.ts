/** Age at which a context's recency score halves: 30 days. */
export const RECENCY_HALF_LIFE_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * BM25 column weights, in the column order of `context_fts` (topic, content, tags): a word in the
 * topic counts 3x, in a tag 2x, in the content 1x.
 */
export const BM25_WEIGHTS = '3.0, 1.0, 2.0';
/** Share of the blended score that comes from text relevance (BM25). */
export const RELEVANCE_WEIGHT = 0.7;
/** Share of the blended score that comes from recency. */
export const RECENCY_WEIGHT = 1 - RELEVANCE_WEIGHT;

/**
 * Recency of a context locked at `createdAt`, seen at `now` (both epoch ms), in (0, 1]:
 * `temporal_score = 0.5 ^ (age / half_life) = exp(-ln 2 * age / half_life)` with a half-life of
 * {@link RECENCY_HALF_LIFE_MS}: 1 for a context locked now, 0.5 at 30 days, 0.25 at 60 days.
 * A timestamp in the future (clock skew between processes) counts as now.
 */
export function temporalScore(createdAt: number, now: number): number {
  const age = Math.max(0, now - createdAt);
  return Math.pow(0.5, age / RECENCY_HALF_LIFE_MS);
}

/**
 * The score results are ordered by:
 * `score = RELEVANCE_WEIGHT * (bm25 / best_bm25) + RECENCY_WEIGHT * temporal_score`, where `bm25` is the
 * FTS5 BM25 relevance of the context (higher is better) and `best_bm25` the highest among the
 * candidates of the same query, so relevance is in [0, 1] like recency.
 */
export function blendedScore(bm25: number, bestBm25: number, temporal: number): number {
  const relevance = bestBm25 > 0 ? bm25 / bestBm25 : 0;
  return RELEVANCE_WEIGHT * relevance + RECENCY_WEIGHT * temporal;
}
