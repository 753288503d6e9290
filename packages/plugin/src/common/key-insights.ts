// What the memory learned, as attempts and workflows are handed it. Types only: shared by the worker
// side and the workflow sandbox.
import type { KeyInsights } from '@temporal-stompy/insights';

/** The attempt's own hour-of-week window for a key, with what the key did in it. */
export interface AttemptWindow {
  /** 0 (Monday 00:00-01:00) to 167, in the key's time zone. */
  readonly window: number;
  /** E.g. `Tuesdays 15:00-16:00 UTC`. */
  readonly label: string;
  readonly runs: number;
  readonly failures: number;
  /** The window's failure rate (recency-weighted), smoothed toward the key's. */
  readonly failureRate: number;
}

/**
 * What the memory learned about one key, as an attempt sees it: the key's insights over its history
 * (see `docs/insights.md`) and the attempt's own window.
 */
export interface AttemptKeyInsights extends Omit<KeyInsights, 'windows' | 'unhandled'> {
  readonly window: AttemptWindow;
}
