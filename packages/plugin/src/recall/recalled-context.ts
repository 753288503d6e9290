import type { AttemptRisk } from '@temporal-stompy/insights';
import type { AttemptKeyInsights } from '../common/key-insights';

export type { AttemptKeyInsights, AttemptWindow } from '../common/key-insights';

/** One memory recalled for an activity: a past outcome (or any context) that matched its keys. */
export interface RecalledMemory {
  readonly topic: string;
  readonly content: string;
  readonly tags: readonly string[];
  /** When it was recorded (ISO 8601), when known. */
  readonly time: string | undefined;
  /** Relevance as the memory server scored it (higher is more relevant). */
  readonly score: number;
}

/** How often an issue (error type) was seen among the recalled outcomes of a key. */
export interface IssueCount {
  readonly type: string;
  readonly count: number;
}

/**
 * What the recalled outcomes say about one key (an entity such as `customer:C1`, or `activity:chargeCard`).
 * Computed from the memories recalled for that key, so it covers the most relevant recent outcomes,
 * not necessarily the whole history.
 */
export interface KeySummary {
  readonly key: string;
  /** Outcomes recalled for the key. */
  readonly runsSeen: number;
  readonly failures: number;
  readonly lastFailure:
    { readonly at: string | undefined; readonly type: string; readonly message: string } | undefined;
  /** Error types, most frequent first. */
  readonly commonIssues: readonly IssueCount[];
  /** Median duration of the recalled outcomes, in milliseconds. */
  readonly typicalDurationMs: number | undefined;
}

/**
 * The memory an activity attempt starts with: what `recalledContext()` returns and what the
 * `stompy-context` header carries. Read-only, and frozen: it is shared with the activities that
 * recall the same keys, so changing it would change what they see.
 */
export interface RecalledContext {
  /** The keys memory was recalled for, e.g. `['customer:C1', 'activity:chargeCard']`. */
  readonly keys: readonly string[];
  /** The most relevant memories across keys, best first. */
  readonly memories: readonly RecalledMemory[];
  /** One summary per key. */
  readonly summaries: Readonly<Record<string, KeySummary>>;
  /** What the memory learned about each key, over its whole history when `exact`. */
  readonly insights: Readonly<Record<string, AttemptKeyInsights>>;
  /** How likely this attempt is to fail, and why: see `docs/insights.md`. */
  readonly risk: AttemptRisk;
  /** False when the recall budget ran out and some keys were answered from cache or not at all. */
  readonly complete: boolean;
  /** When the recall happened (ISO 8601). */
  readonly recalledAt: string;
}
