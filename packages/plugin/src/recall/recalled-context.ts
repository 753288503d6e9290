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
  /**
   * What the memory learned about each key it knows (`customer:C9`, `activity:chargePayment`): over
   * its whole history when `exact` (our memory server), else from the outcomes recall fetched.
   */
  readonly insights: Readonly<Record<string, AttemptKeyInsights>>;
  /** How likely this attempt is to fail, and why: see `docs/insights.md`. */
  readonly risk: AttemptRisk;
  /** False when the recall budget ran out and some keys were answered from cache or not at all. */
  readonly complete: boolean;
  /** When the recall happened (ISO 8601). */
  readonly recalledAt: string;
}
