// Time patterns: the hour-of-week windows in which a key fails far more than elsewhere. With 168
// windows, chance alone makes some look bad, so a window must pass a binomial test against the rest
// of the week at a level divided by 168, fail clearly more, and have failed at least a few times.
import { binomialTail } from './binomial-tail';
import {
  isClearlyAbove,
  MIN_PATTERN_FAILURES,
  MIN_PATTERN_OCCURRENCES,
  PATTERN_FAMILY_ALPHA,
  percent,
  RATE_FLOOR,
  smoothedRate,
  subjectOf,
} from './evidence-rules';
import { describeWindow, WINDOWS_PER_WEEK } from './hour-of-week';
import type { FailurePattern, WindowCount } from './insight-types';
import { DEFAULT_HANDLING } from './outcome-facts';
import type { HourCount } from './key-counts';

const HOURS_PER_DAY = 24;

/**
 * A key's windows on the default path, with counts weighted by recency: an hour's outcomes weigh
 * 0.5^(age / half-life), the age counted back from the latest default-path outcome in the same
 * window (in event time, so simulated time works like real time). Evidence about a window ages only
 * as newer evidence about that window arrives: a pattern that truly ends fades as the window runs
 * well again, while a pattern that handling now avoids (attempts routed elsewhere are not on the
 * default path) keeps its evidence.
 */
export function windowCounts(
  hours: readonly HourCount[],
  timeZone: string,
  halfLifeDays: number,
): WindowCount[] {
  const halfLifeHours = halfLifeDays * HOURS_PER_DAY;
  // Summed in one order, whatever order the counts came in: the same counts give the same figures
  // to the last bit, wherever they were counted.
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
    const weight = 0.5 ** (((latestHour.get(row.window) ?? row.hour) - row.hour) / halfLifeHours);
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
    .map(([window, sum]) => Object.freeze({ window, label: describeWindow(window, timeZone), ...sum }));
}

/** The windows that fail far more than the rest of the week, strongest evidence first. */
export function failurePatterns(
  key: string,
  windows: readonly WindowCount[],
  baseRate: number,
): FailurePattern[] {
  let totalRuns = 0;
  let totalFailures = 0;
  for (const w of windows) {
    totalRuns += w.weightedRuns;
    totalFailures += w.weightedFailures;
  }
  const threshold = PATTERN_FAMILY_ALPHA / WINDOWS_PER_WEEK;
  const patterns: FailurePattern[] = [];
  for (const w of windows) {
    if (w.failures < MIN_PATTERN_FAILURES || w.failedOccurrences < MIN_PATTERN_OCCURRENCES) continue;
    const otherRuns = totalRuns - w.weightedRuns;
    const otherFailures = Math.max(0, totalFailures - w.weightedFailures);
    const otherwise = Math.max(RATE_FLOOR, smoothedRate(otherFailures, otherRuns, baseRate));
    const rate = w.weightedFailures / w.weightedRuns;
    if (!isClearlyAbove(rate, otherwise)) continue;
    const pValue = binomialTail(w.weightedFailures, w.weightedRuns, otherwise);
    if (pValue > threshold) continue;
    patterns.push(
      Object.freeze({
        window: w.window,
        label: w.label,
        runs: w.runs,
        failures: w.failures,
        failureRate: smoothedRate(w.weightedFailures, w.weightedRuns, otherwise),
        otherwiseRate: otherwise,
        pValue,
        reason: `${subjectOf(key)} failed ${w.failures} of ${w.runs} times on ${w.label} (${percent(otherwise)} otherwise)`,
      }),
    );
  }
  return patterns.sort((a, b) => a.pValue - b.pValue || a.window - b.window);
}
