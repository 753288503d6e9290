import type { Priority } from './validation';

// Inputs use Stompy's tool argument names and results are Stompy's result shapes, so the tool layer
// passes arguments through and sends results back unchanged.

/** Arguments of `lock_context`. */
export interface LockContextInput {
  topic: string;
  content: string;
  /** Comma list (`"a,b"`, Stompy's form) or array. */
  tags?: string | readonly string[];
  /** Default `reference`. */
  priority?: Priority;
  /** Store even when the novelty gate would refuse the content. */
  force_store?: boolean;
  project?: string;
}

/** Result of `lock_context`: the version now latest; `created` is false when the content was already the latest. */
export interface LockContextResult {
  id: number;
  topic: string;
  version: string;
  project: string;
  created: boolean;
}

/** Arguments of `recall_context`. */
export interface RecallContextInput {
  topic: string;
  /** `"latest"` (default) or a version such as `"1.2"`. */
  version?: string;
  project?: string;
}

/** Result of `recall_context`. */
export interface RecallContextResult {
  topic: string;
  version: string;
  content: string;
  tags: string[];
  priority: Priority;
  /** ISO 8601 time the version was locked. */
  locked_at: string;
  /** Times this version was recalled with `recall_context`, this call included. */
  access_count: number;
  /** Every live (not archived) version of the topic, oldest first. */
  versions: string[];
}

/** Arguments of `recall_batch`. */
export interface RecallBatchInput {
  /** 1 to 50 topics. */
  topics: readonly string[];
  project?: string;
  /** Send the first 200 characters as `preview` instead of the whole `content`. */
  preview_only?: boolean;
}

/** One found topic of `recall_batch`: its latest version. */
export interface RecallBatchEntry {
  topic: string;
  found: true;
  version: string;
  /** Whole content; absent with `preview_only`. */
  content?: string;
  /** First 200 characters; present with `preview_only`, and instead of content when `truncated`. */
  preview?: string;
  /** The content was left out to keep the reply within its byte budget: recall the topic alone. */
  truncated?: true;
  tags: string[];
  priority: Priority;
  locked_at: string;
}

/** One topic of `recall_batch` that has no live version. */
export interface RecallBatchMiss {
  topic: string;
  found: false;
}

/**
 * Result of `recall_batch`: one entry per distinct topic asked for, in the order asked, found or not
 * (the list `stompy context batch` reads), and the names of the topics found and not found.
 */
export interface RecallBatchResult {
  results: Array<RecallBatchEntry | RecallBatchMiss>;
  found: string[];
  not_found: string[];
  /** Present when some entries' content was left out to keep the reply within its byte budget. */
  truncated?: true;
  /** Says which entries were left out and how to get them; present with `truncated`. */
  message?: string;
}

/** Arguments of `unlock_context`: exactly one of `topic` and `topic_pattern`. */
export interface UnlockContextInput {
  topic?: string;
  /** Glob over topic names: `*` any characters, `?` one character. */
  topic_pattern?: string;
  /** `"all"` (default), `"latest"` or a version such as `"1.2"`. */
  version?: string;
  /** Archive (hide, keep) when true (default); delete when false. */
  archive?: boolean;
  project?: string;
}

/** Result of `unlock_context`. */
export interface UnlockContextResult {
  removed: Array<{ topic: string; version: string }>;
  archived: boolean;
  count: number;
}

/** Arguments of `context_search`. */
export interface ContextSearchInput {
  /** Plain text; never interpreted as FTS syntax. */
  query: string;
  /** Every given tag must be on the context: comma list or array. */
  tags?: string | readonly string[];
  priority?: Priority;
  /** 1 to 100, default 10. */
  limit?: number;
  project?: string;
}

/** One result of `context_search`. */
export interface ContextSearchHit {
  id: number;
  /** The topic (Stompy's name for it in search results). */
  label: string;
  topic: string;
  version: string;
  /** The whole content; empty when `truncated`. */
  content: string;
  preview: string;
  /** The content was left out to keep the reply within its byte budget: recall the topic alone. */
  truncated?: true;
  metadata: { tags: string[]; priority: Priority; created_at: string };
  bm25_score: number;
  temporal_score: number;
  score: number;
}

/** Result of `context_search`. */
export interface ContextSearchResult {
  results: ContextSearchHit[];
  /** Number of results returned. */
  total_found: number;
  /** `bm25+recency` for a query with words; `recency` for a filter-only query (tags, priority). */
  search_mode: 'bm25+recency' | 'recency';
  /** Present when some results' content was left out to keep the reply within its byte budget. */
  truncated?: true;
  /** Says which results were left out and how to get them; present with `truncated`. */
  message?: string;
}

/** Arguments of `context_explore`. */
export interface ContextExploreInput {
  project?: string;
  /** 1 to 500, default 50. */
  limit?: number;
  /** Topics to skip first (for paging), default 0. */
  offset?: number;
  /** Only topics whose latest version has this priority. */
  priority?: string;
  /** Only topics whose latest version carries every one of these tags (comma list or array). */
  tags?: string | readonly string[];
  /** Only topics matching this glob (`*` any run of characters, `?` one character). */
  grep?: string;
}

/** One topic listed by `context_explore`, in this server's form. */
export interface ExploredTopic {
  /** Row id of the latest version. */
  id: number;
  topic: string;
  latest_version: string;
  /** Live (not archived) versions. */
  version_count: number;
  priority: Priority;
  tags: string[];
  preview: string;
  /** `recall_context` calls over all live versions of the topic. */
  access_count: number;
  /** ISO 8601 time the latest version was locked. */
  updated_at: string;
}

/** One topic listed by `context_explore`, in the form `stompy context explore` reads. */
export interface ExploredContext {
  id: number;
  topic: string;
  priority: Priority;
  /** The latest version. */
  version: string;
  /** Tags of the latest version as a comma list (the CLI decodes a string here). */
  tags: string;
  preview: string;
  access_count: number;
  /** ISO 8601 time the latest version was locked. */
  locked_at: string;
}

/**
 * Result of `context_explore`: the listed topics most recently updated first, in Stompy's form
 * (`contexts`) and in this server's earlier form (`topics`), and how many topics pass the filters.
 */
export interface ContextExploreResult {
  project: string;
  contexts: ExploredContext[];
  topics: ExploredTopic[];
  total: number;
}

/** Arguments of `context_dashboard`. */
export interface ContextDashboardInput {
  project?: string;
}

/** Result of `context_dashboard`. */
export interface ContextDashboardResult {
  project: string;
  /** Topics with a live version (Stompy's name for `total_topics`). */
  total_contexts: number;
  /** Topics with a live version. */
  total_topics: number;
  /** Live versions over all topics. */
  total_versions: number;
  /** Topics by the priority of their latest version. */
  by_priority: Record<Priority, number>;
  /** Archived versions. */
  archived: number;
  /** Topics whose latest version was locked more than 30 days ago. */
  stale_count: number;
  /** The topics of `recent`, in the same order. */
  recent_topics: string[];
  /** The latest versions most recently locked (up to 10). */
  recent: Array<{ topic: string; version: string; locked_at: string }>;
}
