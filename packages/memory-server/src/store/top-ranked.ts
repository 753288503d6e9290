import { blendedScore, temporalScore } from './ranking';

/**
 * A context a search found, as a raw row (no object per row: a broad query has up to 1,000): its id,
 * when it was locked (epoch ms), its BM25 relevance (0 without text).
 */
export type CandidateRow = readonly [id: number, createdAt: number, bm25: number];

/** A candidate with its recency and the blended score results are ordered by. */
export interface Ranked {
  id: number;
  created_at: number;
  bm25: number;
  temporal: number;
  score: number;
}

/** Whether a candidate with `score`, `bm25` and `id` comes before `other`: higher score, then BM25, then id. */
function ranksBefore(score: number, bm25: number, id: number, other: Ranked): boolean {
  if (score !== other.score) return score > other.score;
  if (bm25 !== other.bm25) return bm25 > other.bm25;
  return id > other.id;
}

/**
 * The best `limit` of a text query's candidates, best first, each scored by {@link blendedScore}
 * against the best BM25 among all the candidates: the same list as scoring them all, sorting by
 * score, BM25 and id (all descending) and keeping the first `limit`. It keeps the best `limit` in
 * order while passing over the candidates once, so a broad query (up to 1,000 candidates for 10
 * results) builds and sorts `limit` objects instead of all of them.
 */
export function topRanked(candidates: readonly CandidateRow[], limit: number, now: number): Ranked[] {
  let best = 0;
  for (const [, , bm25] of candidates) best = Math.max(best, bm25);
  const top: Ranked[] = [];
  for (const [id, created_at, bm25] of candidates) {
    const temporal = temporalScore(created_at, now);
    const score = blendedScore(bm25, best, temporal);
    const last = top[top.length - 1];
    if (top.length === limit && last !== undefined) {
      if (!ranksBefore(score, bm25, id, last)) continue;
      top.pop();
    }
    let at = top.length;
    for (let previous = top[at - 1]; previous !== undefined && ranksBefore(score, bm25, id, previous);) {
      at -= 1;
      previous = top[at - 1];
    }
    top.splice(at, 0, { id, created_at, bm25, temporal, score });
  }
  return top;
}

/** Candidates of a query without words, newest first as read: each scored by its recency alone. */
export function byRecency(candidates: readonly CandidateRow[], now: number): Ranked[] {
  return candidates.map(([id, created_at, bm25]) => {
    const temporal = temporalScore(created_at, now);
    return { id, created_at, bm25, temporal, score: temporal };
  });
}
