/** One memory recalled for an activity: a past outcome (or any context) that matched its keys. */
export interface RecalledMemory {
  topic: string;
  content: string;
  tags: string[];
  /** When it was recorded (ISO 8601), when known. */
  time: string | undefined;
  /** Relevance as the memory server scored it (higher is more relevant). */
  score: number;
}

/** How often an issue (error type) was seen among the recalled outcomes of a key. */
export interface IssueCount {
  type: string;
  count: number;
}

/**
 * What the recalled outcomes say about one key (an entity such as `customer:C1`, or `activity:chargeCard`).
 * Computed from the memories recalled for that key, so it covers the most relevant recent outcomes,
 * not necessarily the whole history.
 */
export interface KeySummary {
  key: string;
  /** Outcomes recalled for the key. */
  runsSeen: number;
  failures: number;
  lastFailure: { at: string | undefined; type: string; message: string } | undefined;
  /** Error types, most frequent first. */
  commonIssues: IssueCount[];
  /** Median duration of the recalled outcomes, in milliseconds. */
  typicalDurationMs: number | undefined;
}

/**
 * The memory an activity attempt starts with: what `recalledContext()` returns and what the
 * `stompy-context` header carries.
 */
export interface RecalledContext {
  /** The keys memory was recalled for, e.g. `['customer:C1', 'activity:chargeCard']`. */
  keys: string[];
  /** The most relevant memories across keys, best first. */
  memories: RecalledMemory[];
  /** One summary per key. */
  summaries: Record<string, KeySummary>;
  /** False when the recall budget ran out and some keys were answered from cache or not at all. */
  complete: boolean;
  /** When the recall happened (ISO 8601). */
  recalledAt: string;
}
