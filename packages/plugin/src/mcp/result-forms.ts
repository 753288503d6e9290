import { isObject, type JsonObject } from './tool-result';

/** Stompy's priorities, most to least urgent. */
export type Priority = 'always_check' | 'important' | 'reference';

/** One stored version of a context, as read back from the memory server. */
export interface StoredContext {
  topic: string;
  version: string;
  content: string;
  tags: string[];
  priority: Priority | undefined;
  /** When this version was written (ISO 8601), when the server said. */
  lockedAt: string | undefined;
  /**
   * True when the server left the content out of a reply that reached its size limit (`truncated` on a
   * `recall_batch` entry or a search hit): `content` is then the preview only.
   */
  truncated?: true;
}

/** One `context_search` hit, in a single shape whatever form the server answered in. */
export interface SearchHit extends StoredContext {
  score: number;
}

/** Hosted Stompy's warning that a write used most of the plan's quota. */
export interface UsageWarning {
  used: number;
  cap: number;
  pct: number;
  resetsAt: string | undefined;
}

/** Reads a tag list given as an array, a comma list or absent. */
export function readTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((t): t is string => typeof t === 'string');
  if (typeof value === 'string')
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return [];
}

function readPriority(value: unknown): Priority | undefined {
  return value === 'always_check' || value === 'important' || value === 'reference' ? value : undefined;
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Hosted search results carry `metadata` as a JSON string; ours as an object. Accept both. */
function readMetadata(value: unknown): JsonObject {
  if (isObject(value)) return value;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isObject(parsed)) return parsed;
    } catch {
      /* a malformed metadata string leaves the hit without tags, not the search without results */
    }
  }
  return {};
}

/** Normalises one `context_search` result entry; undefined when it has no topic or content. */
export function readSearchHit(entry: unknown): SearchHit | undefined {
  if (!isObject(entry)) return undefined;
  const metadata = readMetadata(entry.metadata);
  const topic = readString(entry.topic) ?? readString(entry.label);
  const truncated = entry.truncated === true;
  const content = (truncated ? undefined : readString(entry.content)) ?? readString(entry.preview);
  if (topic === undefined || content === undefined) return undefined;
  const score = [entry.score, entry.rrf_score, entry.bm25_score].find(
    (s): s is number => typeof s === 'number',
  );
  return {
    topic,
    version: readString(entry.version) ?? readString(metadata.version) ?? 'latest',
    content,
    tags: readTags(metadata.tags ?? entry.tags),
    priority: readPriority(metadata.priority ?? entry.priority),
    lockedAt: readString(metadata.created_at) ?? readString(entry.created_at) ?? readString(entry.locked_at),
    score: score ?? 0,
    ...(truncated ? { truncated: true as const } : {}),
  };
}

/** Normalises a `recall_context` answer (or one `recall_batch` entry) to a {@link StoredContext}. */
export function readStoredContext(topic: string, entry: unknown): StoredContext | undefined {
  if (!isObject(entry) || entry.found === false) return undefined;
  const truncated = entry.truncated === true;
  const content = (truncated ? undefined : readString(entry.content)) ?? readString(entry.preview);
  if (content === undefined) return undefined;
  return {
    topic: readString(entry.topic) ?? topic,
    version: readString(entry.version) ?? 'latest',
    content,
    tags: readTags(entry.tags),
    priority: readPriority(entry.priority),
    lockedAt: readString(entry.locked_at) ?? readString(entry.created_at),
    ...(truncated ? { truncated: true as const } : {}),
  };
}

/**
 * Normalises a `recall_batch` answer. Newer servers answer `{results: {<topic>: {...}}, found, not_found}`;
 * older ones a list of `{topic, found, content, version, error}` (bare or under `results`).
 */
export function readRecallBatch(body: JsonObject, asked: readonly string[]): Map<string, StoredContext> {
  const found = new Map<string, StoredContext>();
  const results = body.results ?? body.contexts ?? body;
  if (Array.isArray(results)) {
    for (const entry of results as unknown[]) {
      const topic = isObject(entry) ? readString(entry.topic) : undefined;
      const context = topic === undefined ? undefined : readStoredContext(topic, entry);
      if (topic !== undefined && context) found.set(topic, context);
    }
  } else if (isObject(results)) {
    for (const topic of asked) {
      const context = readStoredContext(topic, results[topic]);
      if (context) found.set(topic, context);
    }
  }
  return found;
}

/** Reads the `usage_warning` sibling hosted Stompy adds to writes near the quota. */
export function readUsageWarning(body: JsonObject): UsageWarning | undefined {
  const w = body.usage_warning;
  if (!isObject(w)) return undefined;
  const used = Number(w.used);
  const cap = Number(w.cap);
  if (!Number.isFinite(used) || !Number.isFinite(cap)) return undefined;
  const pct = Number.isFinite(Number(w.pct)) ? Number(w.pct) : cap > 0 ? (100 * used) / cap : 0;
  return { used, cap, pct, resetsAt: readString(w.resets_at) };
}
