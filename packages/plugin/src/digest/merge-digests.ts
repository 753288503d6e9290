// Merging the digests several writers keep of one key: the sums a counting server would read from
// its tables for the same outcomes. Counts add up; failed hours are united (an hour two writers both
// saw fail is one occurrence); recency weights are brought to the latest hour of the window before
// they are added, since each writer weighed against its own latest hour.
import {
  recencyWeight,
  roundedWeight,
  type BaseCounts,
  type DimensionCount,
  type LastFailure,
  type SummedKeyCounts,
  type WindowCount,
} from '@temporal-stompy/insights';
import type { BaseDigest, DigestMemory, KeyDigest } from './key-digest';

/** The sums of a key's digests, and the notes they keep (newest first, each outcome once). */
export interface MergedDigests {
  readonly sums: SummedKeyCounts;
  readonly memories: readonly DigestMemory[];
  /** Outcomes counted across the digests. */
  readonly outcomes: number;
}

/** Merges one key's digests (any number of writers, at one half-life) into the sums insights compute from. */
export function mergeDigests(key: string, digests: readonly KeyDigest[]): MergedDigests {
  let latest: KeyDigest | undefined;
  const handling = new Map<string, { handling: string; runs: number; failures: number }>();
  const durations = new Map<number, number>();
  const dimensions = new Map<string, DimensionCount>();
  let lastFailure: LastFailure | undefined;
  let outcomes = 0;
  for (const digest of digests) {
    outcomes += digest.outcomes;
    if (digest.outcomes > 0 && (latest === undefined || digest.latestMs > latest.latestMs)) latest = digest;
    for (const [label, [runs, failures]] of Object.entries(digest.handling)) {
      const sum = handling.get(label) ?? { handling: label, runs: 0, failures: 0 };
      sum.runs += runs;
      sum.failures += failures;
      handling.set(label, sum);
    }
    for (const [bucket, count] of Object.entries(digest.durations))
      durations.set(Number(bucket), (durations.get(Number(bucket)) ?? 0) + count);
    for (const row of digest.dimensions) {
      const id = `${row.dimension}\u0000${row.value}\u0000${row.handling}`;
      const sum = dimensions.get(id);
      dimensions.set(
        id,
        sum === undefined
          ? { ...row }
          : {
              ...sum,
              runs: sum.runs + row.runs,
              failures: sum.failures + row.failures,
              firstMs: Math.min(sum.firstMs, row.firstMs),
              lastMs: Math.max(sum.lastMs, row.lastMs),
            },
      );
    }
    const failure = digest.lastFailure;
    if (failure && (lastFailure === undefined || failure.atMs > lastFailure.atMs)) lastFailure = failure;
  }
  const sums: SummedKeyCounts = {
    key,
    timeZone: latest?.timeZone ?? 'UTC',
    handling: [...handling.values()],
    windows: mergeWindows(digests),
    dimensions: [...dimensions.values()],
    durations: [...durations.entries()].map(([bucket, count]) => ({ bucket, count })),
    lastFailure,
  };
  return { sums, memories: mergeMemories(digests), outcomes };
}

function mergeWindows(digests: readonly KeyDigest[]): WindowCount[] {
  const byWindow = new Map<number, { latestHour: number; parts: KeyDigest['windows'][string][] }>();
  for (const digest of digests) {
    for (const [name, window] of Object.entries(digest.windows)) {
      const entry = byWindow.get(Number(name)) ?? { latestHour: window.latestHour, parts: [] };
      entry.latestHour = Math.max(entry.latestHour, window.latestHour);
      entry.parts.push(window);
      byWindow.set(Number(name), entry);
    }
  }
  const halfLifeDays = digests[0]?.halfLifeDays ?? 28;
  return [...byWindow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([window, { latestHour, parts }]) => {
      let runs = 0;
      let failures = 0;
      let weightedRuns = 0;
      let weightedFailures = 0;
      let olderFailed = 0;
      const failedHours = new Set<number>();
      for (const part of parts) {
        const factor = recencyWeight(latestHour - part.latestHour, halfLifeDays);
        runs += part.runs;
        failures += part.failures;
        weightedRuns += part.weightedRuns * factor;
        weightedFailures += part.weightedFailures * factor;
        olderFailed += part.olderFailedHours;
        for (const hour of part.failedHours) failedHours.add(hour);
      }
      return Object.freeze({
        window,
        runs,
        failures,
        weightedRuns: roundedWeight(weightedRuns),
        weightedFailures: roundedWeight(weightedFailures),
        failedOccurrences: failedHours.size + olderFailed,
      });
    });
}

function mergeMemories(digests: readonly KeyDigest[]): DigestMemory[] {
  const byTopic = new Map<string, DigestMemory>();
  for (const digest of digests) for (const memory of digest.recent) byTopic.set(memory.topic, memory);
  return [...byTopic.values()].sort((a, b) => b.atMs - a.atMs);
}

/** The whole memory's runs and failures over every writer's base digest. */
export function mergeBases(bases: readonly BaseDigest[]): BaseCounts {
  let runs = 0;
  let failures = 0;
  for (const base of bases) {
    runs += base.runs;
    failures += base.failures;
  }
  return { runs, failures };
}
