import type { Pool, PoolClient } from 'pg';
import { byRecency, topRanked, type CandidateRow, type Ranked } from '../top-ranked';
import { searchRequest } from '../requests';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from '../reply-budget';
import { CANDIDATE_WINDOW, searchResult, type SearchedVersion } from '../search-contexts';
import type { StoreSettings } from '../settings';
import type { ContextSearchInput, ContextSearchResult } from '../types';
import type { CommonWords } from './pg-common-words';
import { inSnapshot } from './pg-pool';
import { SEARCH_BUCKET_BITS } from './pg-schema';
import { searchQuery, type TextQueryForm } from './pg-search-text';

/**
 * `ts_rank` weights of the `D`, `C`, `B` and `A` words (content, unused, tags, topic): the proportions
 * of SQLite's BM25 column weights (content 1, tags 2, topic 3), scaled into ts_rank's usual range.
 */
const RANK_WEIGHTS = '{0.1, 0, 0.2, 0.3}';
/** A search runs in its own process: parallel workers would add start-up latency and break the UNION's order. */
const SERIAL = 'SET LOCAL max_parallel_workers_per_gather = 0';
/**
 * The newest recency buckets a text query reads, by how far each is from the newest, one branch a group,
 * before all older versions. The newest bucket may hold a few ids only, so it goes with the one before it.
 */
const BUCKET_GROUPS: readonly (readonly number[])[] = [[0, 1], [2], [3]];
/** A version's recency bucket as a one-word `tsvector`: exactly the expression of the index (`pg-schema.ts`). */
const BUCKET = `array_to_tsvector(ARRAY['b' || (c.id >> ${SEARCH_BUCKET_BITS})])`;

/**
 * `context_search` on PostgreSQL, ranked as the SQLite adapter ranks: a text query finds the newest
 * {@link CANDIDATE_WINDOW} latest versions matching every phrase (or any word, when that finds nothing)
 * through the GIN index, newest recency buckets first ({@link newestMatches}), with the exact project,
 * priority and tag filters; their text relevance (`ts_rank`, in the role of BM25) is blended with recency
 * by `topRanked`. A query without words lists the matches newest first. Runs in one read-only snapshot.
 */
export async function searchContexts(
  pool: Pool,
  settings: StoreSettings,
  commonWords: Pick<CommonWords, 'current'>,
  input: ContextSearchInput,
  budget: ReplyBudget = new ReplyBudget(settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES),
): Promise<ContextSearchResult> {
  const { project, query, tags, priority, limit } = searchRequest(input, settings);
  const text = searchQuery(query, tags, commonWords.current());
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
        const candidates = (form: TextQueryForm): Promise<CandidateRow[]> =>
          newestMatches(client, { where, filters, form });
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

/** A text query's filters: the WHERE clause on `c` with its parameters ($1 to $3), and its words. */
interface MatchQuery {
  readonly where: string;
  readonly filters: readonly unknown[];
  readonly form: TextQueryForm;
}

/**
 * The newest {@link CANDIDATE_WINDOW} latest versions that pass the filters and match the tsquery, newest
 * first, each with its `ts_rank`.
 *
 * They are looked for in the newest recency buckets first ({@link BUCKET_GROUPS}): the index intersects a
 * bucket with the words, so a common word (GatewayTimeout: one version in 60) reads about 1,000 rows of
 * its matches there, not the 60,000 versions a backward walk of the primary key passes, nor its 16,000
 * matches among 1M versions. The last branch looks among all older versions (for a rare word, whose
 * matches are few anyway). UNION ALL under LIMIT stops at the first branches that give enough, and the
 * buckets are id ranges, newest first: the candidates are those of one query over all ids, newest first,
 * by construction. One bucket a branch after the first reads fewer rows past the 1,000th match than two
 * (a fifth less time for the issue searches at 1M); a rare word pays a GIN scan a branch (0.3 ms).
 */
async function newestMatches(
  client: PoolClient,
  { where, filters, form }: MatchQuery,
): Promise<CandidateRow[]> {
  const match = `SELECT c.id, c.created_at, ts_rank('${RANK_WEIGHTS}', c.search, CAST($6 AS tsquery)) AS rank
    FROM contexts AS c WHERE ${where} AND c.search @@ CAST($4 AS tsquery)`;
  // The buckets are computed in the query (one round trip less): a bucket below 0 matches no version.
  const buckets = (group: readonly number[]): string =>
    `CAST((SELECT ${group.map((back) => `'''b' || (bucket - ${back}) || ''''`).join(" || ' | ' || ")} FROM newest) AS tsquery)`;
  const branches = BUCKET_GROUPS.map(
    (group) => `(${match} AND ${BUCKET} @@ ${buckets(group)} ORDER BY c.id DESC LIMIT $5)`,
  );
  const oldest = Math.max(...BUCKET_GROUPS.flat());
  const older = `(SELECT (bucket - ${oldest}) << ${SEARCH_BUCKET_BITS} FROM newest)`;
  branches.push(`(${match} AND c.id < ${older} ORDER BY c.id DESC LIMIT $5)`);
  const { rows } = await client.query<{ id: number; created_at: number; rank: number }>(
    `WITH newest AS (SELECT max(id) >> ${SEARCH_BUCKET_BITS} AS bucket FROM contexts)
     ${branches.join(' UNION ALL ')} LIMIT $5`,
    [...filters, form.match, CANDIDATE_WINDOW, form.rank],
  );
  return rows.map((row): CandidateRow => [row.id, row.created_at, row.rank]);
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
