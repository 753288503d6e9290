import { createHash } from 'node:crypto';
import { invalidInput } from './errors';
import type { StoreSettings } from './settings';
import type {
  ContextExploreInput,
  ContextSearchInput,
  LockContextInput,
  RecallBatchInput,
  RecallContextInput,
  UnlockContextInput,
} from './types';
import {
  validateContent,
  validateLimit,
  validateOffset,
  validatePriority,
  validateProject,
  validateQuery,
  validateTags,
  validateTopic,
  validateTopicPattern,
  validateVersion,
  type Priority,
} from './validation';

// Every adapter turns a tool's arguments into one of these requests first, so both refuse exactly the
// same input with exactly the same message before touching their database.

/** Most topics one `recall_batch` call may ask for. */
export const MAX_BATCH_TOPICS = 50;
/** Topics listed when a `context_explore` call gives no `limit`. */
export const DEFAULT_EXPLORE_LIMIT = 50;
/** Most topics one `context_explore` call may list. */
export const MAX_EXPLORE_LIMIT = 500;
/** Results per search when the call gives no `limit`. */
export const DEFAULT_SEARCH_LIMIT = 10;
/** Most results one search may ask for. */
export const MAX_SEARCH_LIMIT = 100;

/** A checked `lock_context`: names, content, its SHA-256, tags and priority. */
export interface LockRequest {
  readonly project: string;
  readonly topic: string;
  readonly content: string;
  readonly hash: string;
  readonly tags: string[];
  readonly priority: Priority;
  readonly force: boolean;
}

/** Checks `lock_context`'s arguments. */
export function lockRequest(input: LockContextInput, settings: StoreSettings): LockRequest {
  const project = validateProject(input.project, settings.defaultProject);
  const topic = validateTopic(input.topic, settings.maxTopicLength);
  const content = validateContent(input.content, settings.maxContentBytes);
  const tags = validateTags(input.tags);
  const priority = validatePriority(input.priority, 'reference');
  const hash = createHash('sha256').update(content, 'utf8').digest('hex');
  return { project, topic, content, hash, tags, priority, force: input.force_store === true };
}

/** A checked `recall_context`: `version` is `latest` or a version such as `1.2`. */
export interface RecallRequest {
  readonly project: string;
  readonly topic: string;
  readonly version: string;
}

/** Checks `recall_context`'s arguments. */
export function recallRequest(input: RecallContextInput, settings: StoreSettings): RecallRequest {
  return {
    project: validateProject(input.project, settings.defaultProject),
    topic: validateTopic(input.topic, settings.maxTopicLength),
    version: validateVersion(input.version),
  };
}

/** A checked `recall_batch`: distinct topics in the order asked. */
export interface RecallBatchRequest {
  readonly project: string;
  readonly topics: string[];
  readonly previewOnly: boolean;
}

/** Checks `recall_batch`'s arguments. */
export function recallBatchRequest(input: RecallBatchInput, settings: StoreSettings): RecallBatchRequest {
  const project = validateProject(input.project, settings.defaultProject);
  if (input.topics.length === 0 || input.topics.length > MAX_BATCH_TOPICS) {
    throw invalidInput(
      'topics',
      `must list 1 to ${MAX_BATCH_TOPICS} topics, got ${input.topics.length}: split larger batches`,
    );
  }
  const topics = [
    ...new Set(input.topics.map((topic, i) => validateTopic(topic, settings.maxTopicLength, `topics[${i}]`))),
  ];
  return { project, topics, previewOnly: input.preview_only === true };
}

/** A checked `unlock_context`: one topic or a glob, which versions, archive or delete. */
export interface UnlockRequest {
  readonly project: string;
  readonly target: string;
  readonly byPattern: boolean;
  /** `all`, `latest` or a version such as `1.2`. */
  readonly version: string;
  readonly archive: boolean;
}

/** Checks `unlock_context`'s arguments. */
export function unlockRequest(input: UnlockContextInput, settings: StoreSettings): UnlockRequest {
  const project = validateProject(input.project, settings.defaultProject);
  const hasTopic = input.topic !== undefined;
  const hasPattern = input.topic_pattern !== undefined;
  if (hasTopic === hasPattern) {
    throw invalidInput(
      'topic',
      'give exactly one of topic (one topic) and topic_pattern (a glob such as "orders/*")',
    );
  }
  const target =
    input.topic !== undefined
      ? validateTopic(input.topic, settings.maxTopicLength)
      : validateTopicPattern(input.topic_pattern ?? '', settings.maxTopicLength);
  const version = validateVersion(input.version ?? 'all', true);
  return { project, target, byPattern: hasPattern, version, archive: input.archive ?? true };
}

/** A checked `context_search`. */
export interface SearchRequest {
  readonly project: string;
  readonly query: string;
  readonly tags: string[];
  readonly priority: Priority | undefined;
  readonly limit: number;
}

/** Checks `context_search`'s arguments. */
export function searchRequest(input: ContextSearchInput, settings: StoreSettings): SearchRequest {
  return {
    project: validateProject(input.project, settings.defaultProject),
    query: validateQuery(input.query),
    tags: validateTags(input.tags),
    priority: validatePriority(input.priority),
    limit: validateLimit(input.limit, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT),
  };
}

/** A checked `context_explore`: filters (`null`: any) and paging. */
export interface ExploreRequest {
  readonly project: string;
  readonly priority: Priority | null;
  readonly tags: string[];
  /** A topic glob; null for every topic (a glob of `*` alone is no filter). */
  readonly grep: string | null;
  readonly limit: number;
  readonly offset: number;
}

/** Checks `context_explore`'s arguments. */
export function exploreRequest(input: ContextExploreInput, settings: StoreSettings): ExploreRequest {
  const tags = validateTags(input.tags);
  return {
    project: validateProject(input.project, settings.defaultProject),
    priority: validatePriority(input.priority) ?? null,
    tags,
    grep:
      input.grep === undefined || /^\*+$/.test(input.grep)
        ? null
        : validateTopicPattern(input.grep, settings.maxTopicLength, 'grep'),
    limit: validateLimit(input.limit, DEFAULT_EXPLORE_LIMIT, MAX_EXPLORE_LIMIT),
    offset: validateOffset(input.offset),
  };
}
