import type { Database, Statement } from 'better-sqlite3';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { buildFtsQuery } from './fts-query';
import { preview } from './preview';
import { BM25_WEIGHTS } from './ranking';
import type { StoreSettings } from './settings';
import { byRecency, topRanked, type CandidateRow, type Ranked } from './top-ranked';
import type { ContextSearchHit, ContextSearchInput, ContextSearchResult } from './types';
import type { Priority } from './validation';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget, truncationMessage } from './reply-budget';
import { searchRequest } from './requests';
/**
 * Most matches of a text query that are scored: the newest ones. A query matching fewer contexts is
 * ranked exactly; a broader one is ranked among its newest {@link CANDIDATE_WINDOW} matches.
 */
export const CANDIDATE_WINDOW = 1000;
/** A tag with fewer live-or-old versions than this drives a filter-only listing; a commoner one is checked per row. */
const RARE_TAG_ROWS = 1000;

type DetailRow = Pick<
  ContextRow,
  'id' | 'topic' | 'version' | 'content' | 'tags' | 'priority' | 'created_at'
>;

/**
 * Prepares `context_search` over the latest live version of each topic of a project.
 *
 * A query with words: FTS5 finds the matches (every phrase of the query, or any phrase when that finds
 * nothing; each required tag also as a phrase of the `tags` column), newest first, up to
 * {@link CANDIDATE_WINDOW} that pass the exact project, priority and tag filters, each with its BM25
 * relevance. Scoring the newest matches rather than ordering every match by rank keeps a broad query
 * (a word in most contexts) as cheap as a narrow one: FTS5 would otherwise compute BM25 for every match.
 * The candidates are reranked in JS by the blend of relevance and recency of `ranking.ts`
 * (`top-ranked.ts`); the top `limit` are then read whole, their content within the reply's budget
 * (see {@link searchResult}).
 *
 * A query without words lists the contexts passing the filters, newest first: from the rarest tag
 * when one is rare, else down the project's latest versions by time.
 */
export function prepareContextSearch(
  db: Database,
  settings: StoreSettings,
): (input: ContextSearchInput, budget?: ReplyBudget) => ContextSearchResult {
  const statements = new Map<string, Statement<unknown[], CandidateRow>>();
  const statement = (shape: CandidateShape): Statement<unknown[], CandidateRow> => {
    const key = `${shape.mode}:${shape.tagCount}:${shape.withPriority}`;
    let prepared = statements.get(key);
    if (!prepared) {
      prepared = db.prepare<unknown[], CandidateRow>(candidateSql(shape)).raw(true);
      statements.set(key, prepared);
    }
    return prepared;
  };
  const tagRows = db
    .prepare<[string, string, number], number>(
      'SELECT count(*) FROM (SELECT 1 FROM context_tags WHERE project = ? AND tag = ? LIMIT ?)',
    )
    .pluck();
  const details = db.prepare<[string], DetailRow>(
    `SELECT id, topic, version, content, tags, priority, created_at FROM contexts
     WHERE id IN (SELECT value FROM json_each(?))`,
  );

  const search = db.transaction(
    (
      project: string,
      query: string,
      tags: string[],
      priority: string | undefined,
      limit: number,
      budget: ReplyBudget,
    ): ContextSearchResult => {
      const filters: unknown[] = [project, ...(priority !== undefined ? [priority] : []), ...tags];
      const shape = { tagCount: tags.length, withPriority: priority !== undefined };
      const now = settings.now();
      const fts = buildFtsQuery(query, tags);
      let ranked: Ranked[];
      if (fts === null) {
        const rarest = rarestTag(tags, (tag) => tagRows.get(project, tag, RARE_TAG_ROWS) ?? 0);
        const rows =
          rarest !== null
            ? statement({ ...shape, mode: 'tag' }).all(project, rarest, ...filters, limit)
            : statement({ ...shape, mode: 'time' }).all(...filters, limit);
        ranked = byRecency(rows, now);
      } else {
        const text = statement({ ...shape, mode: 'text' });
        let rows = text.all(fts.all, ...filters, CANDIDATE_WINDOW);
        if (rows.length === 0 && fts.any !== null) rows = text.all(fts.any, ...filters, CANDIDATE_WINDOW);
        ranked = topRanked(rows, limit, now);
      }
      const byId = new Map(
        details
          .all(JSON.stringify(ranked.map((row) => row.id)))
          .map((row) => [row.id, { ...row, tags: rowTags(row.tags), createdAt: row.created_at }]),
      );
      return searchResult(ranked, byId, budget, fts === null ? 'recency' : 'bm25+recency');
    },
  );

  return (
    input,
    budget = new ReplyBudget(settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES),
  ) => {
    const { project, query, tags, priority, limit } = searchRequest(input, settings);
    return search.deferred(project, query, tags, priority, limit, budget);
  };
}

interface CandidateShape {
  /** `text`: FTS match; `tag`: filter-only, driven by one tag; `time`: filter-only, newest first. */
  mode: 'text' | 'tag' | 'time';
  tagCount: number;
  withPriority: boolean;
}

/**
 * SQL of one candidate query shape. Parameters: the MATCH expression (`text`) or the project and the
 * driving tag (`tag`); then the project, the priority (when filtered), each tag, the row limit.
 * `CROSS JOIN` fixes the driving table as the outer loop.
 */
function candidateSql({ mode, tagCount, withPriority }: CandidateShape): string {
  const filters = [
    'c.project = ?',
    ...(withPriority ? ['c.priority = ?'] : []),
    ...Array.from(
      { length: tagCount },
      () =>
        'EXISTS (SELECT 1 FROM context_tags AS t WHERE t.project = c.project AND t.tag = ? AND t.context_id = c.id)',
    ),
  ].join(' AND ');
  switch (mode) {
    case 'text':
      return `SELECT c.id, c.created_at, -bm25(context_fts, ${BM25_WEIGHTS}) AS bm25
        FROM context_fts CROSS JOIN contexts AS c ON c.id = context_fts.rowid
        WHERE context_fts MATCH ? AND ${filters}
        ORDER BY context_fts.rowid DESC LIMIT ?`;
    case 'tag':
      return `SELECT c.id, c.created_at, 0 AS bm25
        FROM context_tags AS d CROSS JOIN contexts AS c ON c.id = d.context_id
        WHERE d.project = ? AND d.tag = ? AND c.is_latest = 1 AND ${filters}
        ORDER BY c.created_at DESC, c.id DESC LIMIT ?`;
    case 'time':
      return `SELECT c.id, c.created_at, 0 AS bm25 FROM contexts AS c
        WHERE c.is_latest = 1 AND ${filters}
        ORDER BY c.created_at DESC, c.id DESC LIMIT ?`;
  }
}

/** The tag carried by the fewest versions when that is under {@link RARE_TAG_ROWS}; else null. */
function rarestTag(tags: readonly string[], rowsOf: (tag: string) => number): string | null {
  let rarest: string | null = null;
  let fewest = RARE_TAG_ROWS;
  for (const tag of tags) {
    const rows = rowsOf(tag);
    if (rows < fewest) {
      rarest = tag;
      fewest = rows;
    }
  }
  return rarest;
}

/** A version a search found, as an adapter read it. */
export interface SearchedVersion {
  readonly id: number;
  readonly topic: string;
  readonly version: string;
  readonly content: string;
  readonly tags: readonly string[];
  readonly priority: Priority;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/**
 * `context_search`'s result from the ranked candidates and the versions read for them, in rank order.
 * The reply carries at most `budget` of content: results past it come with an empty `content` (and
 * their preview), marked `truncated: true`, and the result says so (`truncated`, `message`). Searches
 * that go out in one reply (`context_search_batch`) share one budget.
 */
export function searchResult(
  ranked: readonly Ranked[],
  versions: ReadonlyMap<number, SearchedVersion>,
  budget: ReplyBudget,
  mode: ContextSearchResult['search_mode'],
): ContextSearchResult {
  const results = ranked.flatMap((row) => {
    const version = versions.get(row.id);
    return version ? [searchHit(version, row, budget.admit(version.content))] : [];
  });
  const result: ContextSearchResult = { results, total_found: results.length, search_mode: mode };
  const leftOut = results.filter((hit) => hit.truncated).map((hit) => hit.topic);
  if (leftOut.length === 0) return result;
  return {
    ...result,
    truncated: true,
    message: truncationMessage(budget.maxBytes, leftOut, 'context_search'),
  };
}

function searchHit(detail: SearchedVersion, row: Ranked, whole: boolean): ContextSearchHit {
  return {
    id: detail.id,
    label: detail.topic,
    topic: detail.topic,
    version: detail.version,
    content: whole ? detail.content : '',
    preview: preview(detail.content),
    ...(whole ? {} : { truncated: true as const }),
    metadata: {
      tags: [...detail.tags],
      priority: detail.priority,
      created_at: isoTime(detail.createdAt),
    },
    bm25_score: round(row.bm25),
    temporal_score: round(row.temporal),
    score: round(row.score),
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
