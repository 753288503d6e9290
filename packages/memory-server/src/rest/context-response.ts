import { preview } from '../store/preview';
import type { ContextSearchHit, ExploredTopic, RecallContextResult } from '../store/types';

/**
 * One context in the REST API's lists, in the fields Stompy's CLI decodes (`ContextResponse`: id,
 * topic, version, priority, tags, preview, locked_at, access_count), plus this server's own.
 */
export interface RestContext {
  readonly id: number;
  readonly topic: string;
  readonly version: string;
  readonly priority: string;
  readonly tags: readonly string[];
  readonly preview: string;
  /** ISO 8601 time the version was locked. */
  readonly locked_at: string;
  /** Absent from search results, which do not count recalls. */
  readonly access_count?: number;
  readonly version_count?: number;
  /** Search results only: the blended BM25 + recency score. */
  readonly score?: number;
}

/** One context read whole (`ContextDetailResponse`): its content and its live versions. */
export interface RestContextDetail {
  readonly topic: string;
  readonly version: string;
  readonly priority: string;
  readonly tags: readonly string[];
  readonly preview: string;
  readonly content: string;
  readonly locked_at: string;
  readonly access_count: number;
  /** Every live version, oldest first (the CLI decodes `[{version, created_at?}]`). */
  readonly versions: ReadonlyArray<{ readonly version: string }>;
}

/** A topic listed by `context_explore`, as a REST list entry. */
export function exploredContext(topic: ExploredTopic): RestContext {
  return {
    id: topic.id,
    topic: topic.topic,
    version: topic.latest_version,
    priority: topic.priority,
    tags: topic.tags,
    preview: topic.preview,
    locked_at: topic.updated_at,
    access_count: topic.access_count,
    version_count: topic.version_count,
  };
}

/** A `context_search` hit, as a REST list entry. */
export function searchedContext(hit: ContextSearchHit): RestContext {
  return {
    id: hit.id,
    topic: hit.topic,
    version: hit.version,
    priority: hit.metadata.priority,
    tags: hit.metadata.tags,
    preview: hit.preview,
    locked_at: hit.metadata.created_at,
    score: hit.score,
  };
}

/** A `recall_context` result, as the REST API's single context. */
export function contextDetail(recalled: RecallContextResult): RestContextDetail {
  return {
    topic: recalled.topic,
    version: recalled.version,
    priority: recalled.priority,
    tags: recalled.tags,
    preview: preview(recalled.content),
    content: recalled.content,
    locked_at: recalled.locked_at,
    access_count: recalled.access_count,
    versions: recalled.versions.map((version) => ({ version })),
  };
}
