// What insights need of a key's counts, summed: runs and failures per handling label, and the
// default-path hour-of-week windows with their recency weights at one half-life. A database sums its
// count rows into this itself (168 windows, not the thousands of hours behind them); `sumKeyCounts`
// does the same for counts held in memory.
import type { WindowCount } from './insight-types';
import type { HourCount, KeyCounts } from './key-counts';
import { DEFAULT_HANDLING } from './outcome-facts';

const HOURS_PER_DAY = 24;
/** Recency-weighted sums keep this many decimals, so whoever sums them sends the same figures. */
const WEIGHT_DECIMALS = 3;

/** Runs and failures of a key under one handling label ({@link DEFAULT_HANDLING} for none). */
export interface HandlingCount {
  readonly handling: string;
  readonly runs: number;
  readonly failures: number;
}

/**
 * A key's counts summed for insights at one half-life: its hour counts become runs and failures per
 * handling label and the default-path windows (in window order, weighted by {@link recencyWeight}).
 * What `keyInsightsOfSums` computes from.
 */
export interface SummedKeyCounts extends Omit<KeyCounts, 'hours'> {
  readonly handling: readonly HandlingCount[];
  readonly windows: readonly WindowCount[];
}

/**
 * The weight of an hour's outcomes in its window: 0.5^(age / half-life), the age counted back from the
 * latest default-path hour in the same window (in event time, so simulated time works like real time).
 * Evidence about a window ages only as newer evidence about that window arrives: a pattern that truly
 * ends fades as the window runs well again, while one that handling now avoids keeps its evidence.
 * A database computes the same expression: `pow(0.5, (latest - hour) / (half_life_days * 24))`.
 */
export function recencyWeight(ageHours: number, halfLifeDays: number): number {
  return 0.5 ** (ageHours / (halfLifeDays * HOURS_PER_DAY));
}

/** A recency-weighted sum as insights carry it: rounded to 3 decimals, whatever order it was summed in. */
export function roundedWeight(sum: number): number {
  const scale = 10 ** WEIGHT_DECIMALS;
  return Math.round(sum * scale) / scale;
}

/** Sums counts held in memory as a database sums its count rows: see {@link SummedKeyCounts}. */
export function sumKeyCounts(counts: KeyCounts, halfLifeDays: number): SummedKeyCounts {
  const handling = new Map<string, { handling: string; runs: number; failures: number }>();
  for (const row of counts.hours) {
    const sum = handling.get(row.handling) ?? { handling: row.handling, runs: 0, failures: 0 };
    sum.runs += row.runs;
    sum.failures += row.failures;
    handling.set(row.handling, sum);
  }
  return {
    key: counts.key,
    timeZone: counts.timeZone,
    handling: [...handling.values()].map((sum) => Object.freeze(sum)),
    windows: windowCounts(counts.hours, halfLifeDays),
    dimensions: counts.dimensions,
    durations: counts.durations,
    lastFailure: counts.lastFailure,
  };
}

/** A key's default-path windows, with counts weighted by {@link recencyWeight}. */
function windowCounts(hours: readonly HourCount[], halfLifeDays: number): WindowCount[] {
  // Summed in one order, whatever order the counts came in.
  const rows = hours
    .filter((row) => row.handling === DEFAULT_HANDLING)
    .sort((a, b) => a.hour - b.hour || a.window - b.window);
  const latestHour = new Map<number, number>();
  for (const row of rows) latestHour.set(row.window, row.hour);
  const sums = new Map<
    number,
    {
      runs: number;
      failures: number;
      weightedRuns: number;
      weightedFailures: number;
      failedOccurrences: number;
    }
  >();
  for (const row of rows) {
    const weight = recencyWeight((latestHour.get(row.window) ?? row.hour) - row.hour, halfLifeDays);
    const sum = sums.get(row.window) ?? {
      runs: 0,
      failures: 0,
      weightedRuns: 0,
      weightedFailures: 0,
      failedOccurrences: 0,
    };
    // Rows are per hour and handling; on the default path an hour has one row, so one occurrence.
    if (row.failures > 0) sum.failedOccurrences += 1;
    sum.runs += row.runs;
    sum.failures += row.failures;
    sum.weightedRuns += weight * row.runs;
    sum.weightedFailures += weight * row.failures;
    sums.set(row.window, sum);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .map(([window, sum]) =>
      Object.freeze({
        window,
        runs: sum.runs,
        failures: sum.failures,
        weightedRuns: roundedWeight(sum.weightedRuns),
        weightedFailures: roundedWeight(sum.weightedFailures),
        failedOccurrences: sum.failedOccurrences,
      }),
    );
}
