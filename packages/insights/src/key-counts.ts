// The counts insights are computed from, per key. A memory server keeps them in tables updated as
// outcomes arrive; a digest can keep them as a document; the plugin can count them from the outcomes
// it recalled. Whoever holds them, the same counts give the same insights.
import { DEFAULT_HANDLING, type OutcomeFacts } from './outcome-facts';

/** Outcomes of a key in one hour of event time, for one handling label. */
export interface HourCount {
  /** The hour since the epoch: `floor(eventTimeMs / 3,600,000)`. */
  readonly hour: number;
  /** Its hour-of-week window in the key's time zone. */
  readonly window: number;
  readonly handling: string;
  readonly runs: number;
  readonly failures: number;
}

/** The dimensions outcomes are counted along, beside time. */
export type Dimension = 'issue' | 'version' | 'workflowType' | 'activityType';

/** Outcomes of a key with one value of one dimension, for one handling label. */
export interface DimensionCount {
  readonly dimension: Dimension;
  readonly value: string;
  readonly handling: string;
  readonly runs: number;
  readonly failures: number;
  /** Event time of the first and the last such outcome, epoch milliseconds. */
  readonly firstMs: number;
  readonly lastMs: number;
}

/** How many outcomes took about this long: bucket `b > 0` holds durations in [1.02^(b-1), 1.02^b) ms. */
export interface DurationCount {
  readonly bucket: number;
  readonly count: number;
}

/** The most recent failure of a key. */
export interface LastFailure {
  readonly atMs: number;
  readonly issue: string;
  readonly message: string;
  readonly topic?: string | undefined;
}

/** Everything insights need to know about one key's outcomes, over its whole history. */
export interface KeyCounts {
  readonly key: string;
  /** The time zone its windows are counted in (that of its latest outcome). */
  readonly timeZone: string;
  readonly hours: readonly HourCount[];
  readonly dimensions: readonly DimensionCount[];
  readonly durations: readonly DurationCount[];
  readonly lastFailure: LastFailure | undefined;
}

/** Runs and failures over a whole memory: the base rate insights smooth toward. */
export interface BaseCounts {
  readonly runs: number;
  readonly failures: number;
}

const HOUR_MS = 3_600_000;
const LOG_BUCKET = Math.log(1.02);

/** The duration bucket of a duration in milliseconds (0 for 0 ms and less). */
export function durationBucket(durationMs: number): number {
  return durationMs < 1 ? 0 : Math.floor(Math.log(durationMs) / LOG_BUCKET) + 1;
}

/** A duration that stands for a bucket: the geometric middle of its range, rounded. */
export function bucketDurationMs(bucket: number): number {
  return bucket <= 0 ? 0 : Math.round(1.02 ** (bucket - 0.5));
}

/** The dimension values an outcome is counted under. */
export function dimensionsOf(facts: OutcomeFacts): [Dimension, string][] {
  const values: [Dimension, string][] = [['workflowType', facts.workflowType]];
  // `!= null`: facts that crossed a process boundary as JSON may carry null for "absent".
  if (facts.activityType != null) values.push(['activityType', facts.activityType]);
  if (facts.version != null) values.push(['version', facts.version]);
  if (facts.failed) values.push(['issue', facts.issue ?? 'failed']);
  return values;
}

/**
 * A dimension's count with one more outcome (`row` undefined: its first); a new row, `row` unchanged.
 * The one place an outcome is counted into a dimension, by {@link countOutcomes} and by digests.
 */
export function countedDimension(
  row: DimensionCount | undefined,
  dimension: Dimension,
  value: string,
  facts: OutcomeFacts,
): DimensionCount {
  const failures = facts.failed ? 1 : 0;
  const at = facts.eventTimeMs;
  if (row === undefined) {
    const handling = facts.handling ?? DEFAULT_HANDLING;
    return { dimension, value, handling, runs: 1, failures, firstMs: at, lastMs: at };
  }
  return {
    ...row,
    runs: row.runs + 1,
    failures: row.failures + failures,
    firstMs: Math.min(row.firstMs, at),
    lastMs: Math.max(row.lastMs, at),
  };
}

/**
 * Counts a key's outcomes: what a memory server's tables hold for it. Exactly the counts a server
 * must return for the same outcomes (its tests compare the two).
 */
export function countOutcomes(key: string, outcomes: Iterable<OutcomeFacts>): KeyCounts {
  const hours = new Map<string, { -readonly [K in keyof HourCount]: HourCount[K] }>();
  const dimensions = new Map<string, DimensionCount>();
  const durations = new Map<number, number>();
  let lastFailure: LastFailure | undefined;
  let latest: OutcomeFacts | undefined;
  for (const facts of outcomes) {
    const handling = facts.handling ?? DEFAULT_HANDLING;
    const failures = facts.failed ? 1 : 0;
    const hour = Math.floor(facts.eventTimeMs / HOUR_MS);
    const hourKey = `${hour}\u0000${facts.window}\u0000${handling}`;
    const counted = hours.get(hourKey);
    if (counted) {
      counted.runs += 1;
      counted.failures += failures;
    } else hours.set(hourKey, { hour, window: facts.window, handling, runs: 1, failures });
    for (const [dimension, value] of dimensionsOf(facts)) {
      const dimensionKey = `${dimension}\u0000${value}\u0000${handling}`;
      dimensions.set(dimensionKey, countedDimension(dimensions.get(dimensionKey), dimension, value, facts));
    }
    const bucket = durationBucket(facts.durationMs);
    durations.set(bucket, (durations.get(bucket) ?? 0) + 1);
    if (facts.failed && (lastFailure === undefined || facts.eventTimeMs >= lastFailure.atMs)) {
      lastFailure = {
        atMs: facts.eventTimeMs,
        issue: facts.issue ?? 'failed',
        message: facts.message ?? '',
        topic: facts.topic,
      };
    }
    if (latest === undefined || facts.eventTimeMs >= latest.eventTimeMs) latest = facts;
  }
  return {
    key,
    timeZone: latest?.timeZone ?? 'UTC',
    hours: [...hours.values()],
    dimensions: [...dimensions.values()],
    durations: [...durations.entries()].map(([bucket, count]) => ({ bucket, count })),
    lastFailure,
  };
}
