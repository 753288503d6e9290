// A key's digest: what insights need of the key's outcomes, as one writer counted them. Against a
// memory server that counts nothing (plain Stompy), each worker's outbox keeps one digest per key and
// writes it as a context it alone owns; recall reads every writer's digest of a key and merges them
// (`merge-digests.ts`) into the sums the insights package computes from. A digest holds exactly what
// a counting server's tables hold, so the insights are the same.
import {
  countedDimension,
  DEFAULT_HANDLING,
  dimensionsOf,
  durationBucket,
  type OutcomeFacts,
} from '@temporal-stompy/insights';
import type { DimensionCount, LastFailure } from '@temporal-stompy/insights';

/** The format a digest document says it is in; a reader skips any other. */
export const DIGEST_FORMAT = 'temporal-stompy.digest/1';

/** Most recent outcomes a digest keeps the notes of, and most recent failures (recall's memories). */
export const DIGEST_RECENT_OUTCOMES = 4;
export const DIGEST_RECENT_FAILURES = 4;
/** Most characters of a note a digest keeps. */
export const DIGEST_NOTE_CHARS = 1_500;
/**
 * Most failed hours a window lists; older ones are only counted (`olderFailedHours`), which stays
 * exact unless two writers saw failures in the same old hour.
 */
export const MAX_FAILED_HOURS = 128;

const HOUR_MS = 3_600_000;

/** One hour-of-week window of a key on the default path, with recency weights at the digest's half-life. */
export interface DigestWindow {
  runs: number;
  failures: number;
  /** The latest hour (since the epoch) counted in the window: the weights' reference. */
  latestHour: number;
  /** Runs and failures weighted by 0.5^((latestHour - hour) / half-life), unrounded. */
  weightedRuns: number;
  weightedFailures: number;
  /** Hours (since the epoch) with a failure, ascending, the newest {@link MAX_FAILED_HOURS}. */
  failedHours: number[];
  /** Failed hours older than the listed ones. */
  olderFailedHours: number;
}

/** An outcome whose note a digest keeps, so recall can hand it to an activity. */
export interface DigestMemory {
  readonly topic: string;
  readonly atMs: number;
  readonly failed: boolean;
  readonly note: string;
  readonly tags: readonly string[];
}

/** One writer's digest of one key (mutable while folding; frozen copies are what readers get). */
export interface KeyDigest {
  format: typeof DIGEST_FORMAT;
  key: string;
  writer: string;
  halfLifeDays: number;
  /** Outcomes folded in. */
  outcomes: number;
  /** Event time of the latest outcome, and the time zone its windows were counted in. */
  latestMs: number;
  timeZone: string;
  /** Runs and failures per handling label (`''` for none). */
  handling: Record<string, [runs: number, failures: number]>;
  /** Default-path windows by hour of the week (0..167). */
  windows: Record<string, DigestWindow>;
  dimensions: DimensionCount[];
  /** Outcomes per duration bucket. */
  durations: Record<string, number>;
  lastFailure: LastFailure | null;
  /** The newest outcomes and failures, newest first. */
  recent: DigestMemory[];
}

/** An empty digest of `key` by `writer`. */
export function emptyDigest(key: string, writer: string, halfLifeDays: number): KeyDigest {
  return {
    format: DIGEST_FORMAT,
    key,
    writer,
    halfLifeDays,
    outcomes: 0,
    latestMs: -8.64e15, // the earliest time a Date can hold: any outcome is later
    timeZone: 'UTC',
    handling: {},
    windows: {},
    dimensions: [],
    durations: {},
    lastFailure: null,
    recent: [],
  };
}

/** What is folded into a digest: an outcome's facts, and its note when the digest should keep it. */
export interface FoldedOutcome {
  readonly facts: OutcomeFacts;
  readonly topic: string;
  readonly note: string;
  readonly tags: readonly string[];
}

/**
 * Counts one outcome into a digest, in place, as a counting server counts it into its tables: per
 * handling label, per default-path window (recency weights rescaled when a newer hour arrives), per
 * dimension, per duration bucket; and keeps its note among the recent ones.
 */
export function foldOutcome(digest: KeyDigest, outcome: FoldedOutcome): void {
  const { facts } = outcome;
  const handling = facts.handling ?? DEFAULT_HANDLING;
  const failures = facts.failed ? 1 : 0;
  digest.outcomes += 1;
  if (facts.eventTimeMs >= digest.latestMs) {
    digest.latestMs = facts.eventTimeMs;
    digest.timeZone = facts.timeZone;
  }
  const counts = digest.handling[handling] ?? [0, 0];
  digest.handling[handling] = [counts[0] + 1, counts[1] + failures];
  if (handling === DEFAULT_HANDLING) foldWindow(digest, facts, failures);
  for (const [dimension, value] of dimensionsOf(facts)) {
    const i = digest.dimensions.findIndex(
      (d) => d.dimension === dimension && d.value === value && d.handling === handling,
    );
    const counted = countedDimension(digest.dimensions[i], dimension, value, facts);
    if (i < 0) digest.dimensions.push(counted);
    else digest.dimensions[i] = counted;
  }
  const bucket = String(durationBucket(facts.durationMs));
  digest.durations[bucket] = (digest.durations[bucket] ?? 0) + 1;
  if (facts.failed && (digest.lastFailure === null || facts.eventTimeMs >= digest.lastFailure.atMs)) {
    digest.lastFailure = {
      atMs: facts.eventTimeMs,
      issue: facts.issue ?? 'failed',
      message: facts.message ?? '',
      topic: outcome.topic,
    };
  }
  keepRecent(digest, outcome);
}

function foldWindow(digest: KeyDigest, facts: OutcomeFacts, failures: number): void {
  const hour = Math.floor(facts.eventTimeMs / HOUR_MS);
  const halfLifeHours = digest.halfLifeDays * 24;
  const window = digest.windows[facts.window];
  if (window === undefined) {
    digest.windows[facts.window] = {
      runs: 1,
      failures,
      latestHour: hour,
      weightedRuns: 1,
      weightedFailures: failures,
      failedHours: failures > 0 ? [hour] : [],
      olderFailedHours: 0,
    };
    return;
  }
  window.runs += 1;
  window.failures += failures;
  if (hour > window.latestHour) {
    const factor = 0.5 ** ((hour - window.latestHour) / halfLifeHours);
    window.weightedRuns = window.weightedRuns * factor + 1;
    window.weightedFailures = window.weightedFailures * factor + failures;
    window.latestHour = hour;
  } else {
    const weight = 0.5 ** ((window.latestHour - hour) / halfLifeHours);
    window.weightedRuns += weight;
    window.weightedFailures += weight * failures;
  }
  if (failures > 0) addFailedHour(window, hour);
}

function addFailedHour(window: DigestWindow, hour: number): void {
  const hours = window.failedHours;
  let i = hours.length;
  while (i > 0 && (hours[i - 1] ?? 0) > hour) i -= 1;
  if (hours[i - 1] === hour) return;
  if (hours.length >= MAX_FAILED_HOURS && i === 0) {
    // Older than every listed hour: counted, not listed (a list of all would grow without bound).
    window.olderFailedHours += 1;
    return;
  }
  hours.splice(i, 0, hour);
  if (hours.length > MAX_FAILED_HOURS) {
    hours.shift();
    window.olderFailedHours += 1;
  }
}

function keepRecent(digest: KeyDigest, outcome: FoldedOutcome): void {
  const memory: DigestMemory = {
    topic: outcome.topic,
    atMs: outcome.facts.eventTimeMs,
    failed: outcome.facts.failed,
    note: outcome.note.length > DIGEST_NOTE_CHARS ? outcome.note.slice(0, DIGEST_NOTE_CHARS) : outcome.note,
    tags: outcome.tags,
  };
  const all = [memory, ...digest.recent.filter((m) => m.topic !== memory.topic)].sort(
    (a, b) => b.atMs - a.atMs,
  );
  const newest = all.slice(0, DIGEST_RECENT_OUTCOMES);
  const failures = all.filter((m) => m.failed && !newest.includes(m)).slice(0, DIGEST_RECENT_FAILURES);
  digest.recent = [...newest, ...failures].sort((a, b) => b.atMs - a.atMs);
}

/** The whole memory's runs and failures as one writer counted them: what insights smooth toward. */
export interface BaseDigest {
  format: typeof DIGEST_FORMAT;
  writer: string;
  runs: number;
  failures: number;
}
