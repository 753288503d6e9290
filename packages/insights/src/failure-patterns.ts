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

/** The windows that fail far more than the rest of the week, strongest evidence first. */
export function failurePatterns(
  key: string,
  windows: readonly WindowCount[],
  timeZone: string,
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
    const label = describeWindow(w.window, timeZone);
    patterns.push(
      Object.freeze({
        window: w.window,
        label,
        runs: w.runs,
        failures: w.failures,
        failureRate: smoothedRate(w.weightedFailures, w.weightedRuns, otherwise),
        otherwiseRate: otherwise,
        pValue,
        reason: `${subjectOf(key)} failed ${w.failures} of ${w.runs} times on ${label} (${percent(otherwise)} otherwise)`,
      }),
    );
  }
  return patterns.sort((a, b) => a.pValue - b.pValue || a.window - b.window);
}
