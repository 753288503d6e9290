import { blendedScore, temporalScore } from '../store/ranking';
import { topRanked, type CandidateRow } from '../store/top-ranked';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 24 * 60 * 60 * 1000;

/** The ranking spelled out: score every candidate, sort by score, BM25 and id (descending), keep `limit`. */
function sortedThenCut(rows: readonly CandidateRow[], limit: number) {
  const best = rows.reduce((max, [, , bm25]) => Math.max(max, bm25), 0);
  return rows
    .map(([id, created_at, bm25]) => {
      const temporal = temporalScore(created_at, NOW);
      return { id, created_at, bm25, temporal, score: blendedScore(bm25, best, temporal) };
    })
    .sort((a, b) => b.score - a.score || b.bm25 - a.bm25 || b.id - a.id)
    .slice(0, limit);
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

describe('topRanked (the best candidates of a text search)', () => {
  it('returns the same list as scoring, sorting and cutting every candidate', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const next = numbers(seed);
      const count = Math.floor(next() * 1200);
      // Few distinct values, so equal scores and equal BM25 happen and the id decides.
      const rows: CandidateRow[] = Array.from({ length: count }, (_, i) => [
        count - i,
        NOW - Math.floor(next() * 4) * DAY,
        Math.floor(next() * 5) / 2,
      ]);
      for (const limit of [1, 10, 20, 100])
        expect(topRanked(rows, limit, NOW)).toEqual(sortedThenCut(rows, limit));
    }
  });

  it('returns every candidate, best first, when there are fewer than the limit', () => {
    const rows: CandidateRow[] = [
      [1, NOW - 3 * DAY, 2],
      [2, NOW, 0],
      [3, NOW - DAY, 2],
    ];
    expect(topRanked(rows, 10, NOW).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(topRanked([], 10, NOW)).toEqual([]);
  });

  it('scores relevance against the best BM25 of all candidates, not only of those kept', () => {
    const rows: CandidateRow[] = [
      [1, NOW, 4],
      [2, NOW, 1],
    ];
    const [first] = topRanked(rows, 1, NOW);
    expect(first).toMatchObject({ id: 1, score: blendedScore(4, 4, 1) });
    const lone = topRanked(rows.slice(1), 1, NOW)[0];
    expect(lone?.score).toBe(blendedScore(1, 1, 1));
  });
});
