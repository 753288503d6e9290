import type { Pool, PoolClient } from 'pg';
import { byRecency, topRanked, type CandidateRow, type Ranked } from '../top-ranked';
import { searchRequest } from '../requests';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from '../reply-budget';
import { CANDIDATE_WINDOW, searchResult, type SearchedVersion } from '../search-contexts';
import type { StoreSettings } from '../settings';
import type { ContextSearchInput, ContextSearchResult } from '../types';
import { inSnapshot } from './pg-pool';
import { searchQuery } from './pg-search-text';

/**
 * `ts_rank` weights of the `D`, `C`, `B` and `A` words (content, unused, tags, topic): the proportions
 * of SQLite's BM25 column weights (content 1, tags 2, topic 3), scaled into ts_rank's usual range.
 */
const RANK_WEIGHTS = '{0.1, 0, 0.2, 0.3}';
/** A search runs in its own process: parallel workers would add start-up latency and break the UNION's order. */
const SERIAL = 'SET LOCAL max_parallel_workers_per_gather = 0';
/** How many of the newest ids a text query looks among first for its newest matches. */
const NEWEST_IDS = 65_536;

/**
 * `context_search` on PostgreSQL, ranked as the SQLite adapter ranks: a text query finds the newest
 * {@link CANDIDATE_WINDOW} latest versions matching every phrase (or any word, when that finds nothing)
 * through the GIN index, with the exact project, priority and tag filters; their text relevance
 * (`ts_rank`, in the role of BM25) is blended with recency by `topRanked`. A query without words
 * lists the matches newest first. Runs in one read-only snapshot.
 */
export async function searchContexts(
  pool: Pool,
  settings: StoreSettings,
  input: ContextSearchInput,
  budget: ReplyBudget = new ReplyBudget(settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES),
): Promise<ContextSearchResult> {
  const { project, query, tags, priority, limit } = searchRequest(input, settings);
  const text = searchQuery(query, tags);
  return inSnapshot(
    pool,
    async (client) => {
      const now = settings.now();
      const filters: unknown[] = [project, JSON.stringify(tags), priority ?? null];
      const where = `c.project = $1 AND c.is_latest AND c.tags @> $2::jsonb AND ($3::text IS NULL OR c.priority = $3)`;
      let ranked: Ranked[];
      if (text === null) {
        const { rows } = await client.query<{ id: number; created_at: number }>(
          `SELECT c.id, c.created_at FROM contexts AS c WHERE ${where}
         ORDER BY c.created_at DESC, c.id DESC LIMIT $4`,
          [...filters, limit],
        );
        ranked = byRecency(
          rows.map((row): CandidateRow => [row.id, row.created_at, 0]),
          now,
        );
      } else {
        // The newest matches are looked for among the newest ids first: a common word matches most
        // versions, and walking the index backwards to the newest CANDIDATE_WINDOW of them then reads a
        // few thousand rows, not tens of thousands. Only when that range holds too few does the second
        // branch run (UNION ALL under LIMIT stops pulling once the first gave enough): the candidates
        // are those of one query over all ids, by construction.
        const match = `SELECT c.id, c.created_at, ts_rank('${RANK_WEIGHTS}', c.search, q) AS rank
        FROM contexts AS c, CAST($4 AS tsquery) AS q WHERE ${where} AND c.search @@ q`;
        const candidates = (tsquery: string): Promise<CandidateRow[]> =>
          client
            .query<{ id: number; created_at: number; rank: number }>(
              `WITH floor AS (SELECT coalesce(max(id), 0) - $6 AS id FROM contexts)
             (${match} AND c.id > (SELECT id FROM floor) ORDER BY c.id DESC LIMIT $5)
             UNION ALL
             (${match} AND c.id <= (SELECT id FROM floor) ORDER BY c.id DESC LIMIT $5)
             LIMIT $5`,
              [...filters, tsquery, CANDIDATE_WINDOW, NEWEST_IDS],
            )
            .then(({ rows }) => rows.map((row): CandidateRow => [row.id, row.created_at, row.rank]));
        let rows = await candidates(text.all);
        if (rows.length === 0 && text.any !== null) rows = await candidates(text.any);
        ranked = topRanked(rows, limit, now);
      }
      const versions = await readVersions(
        client,
        ranked.map((row) => row.id),
      );
      return searchResult(ranked, versions, budget, text === null ? 'recency' : 'bm25+recency');
    },
    SERIAL,
  );
}

async function readVersions(
  client: PoolClient,
  ids: readonly number[],
): Promise<Map<number, SearchedVersion>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<SearchedVersion & { created_at: number }>(
    'SELECT id, topic, version, content, tags, priority, created_at FROM contexts WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { ...row, createdAt: row.created_at }]));
}
