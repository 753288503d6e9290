// From a key's counts to what the memory learned about it. Pure and order-independent: the same
// counts give the same insights whether a server, a digest or the plugin's own recall counted them.
import { baseRateOf, smoothedRate } from './evidence-rules';
import { failurePatterns } from './failure-patterns';
import {
  DEFAULT_INSIGHT_SETTINGS,
  type InsightSettings,
  type IssueCount,
  type KeyInsights,
  type RunCount,
  type UnhandledCounts,
  type VersionCount,
} from './insight-types';
import {
  bucketDurationMs,
  type BaseCounts,
  type DimensionCount,
  type DurationCount,
  type KeyCounts,
} from './key-counts';
import { DEFAULT_HANDLING } from './outcome-facts';
import { sumKeyCounts, type SummedKeyCounts } from './summed-counts';
import { versionRegression } from './version-regression';

/** The label {@link KeyInsights.handling} uses for attempts that recorded no handling. */
export const DEFAULT_HANDLING_LABEL = 'default';

/**
 * What the memory learned about one key. `base` is the whole memory's runs and failures (rates are
 * smoothed toward its rate); `exact` says whether `counts` cover the key's whole history.
 */
export function keyInsights(
  counts: KeyCounts,
  base: BaseCounts,
  options: { readonly exact: boolean; readonly settings?: InsightSettings },
): KeyInsights {
  const settings = options.settings ?? DEFAULT_INSIGHT_SETTINGS;
  return keyInsightsOfSums(sumKeyCounts(counts, settings.halfLifeDays), base, options);
}

/**
 * What the memory learned about one key, from its counts already summed at the half-life of the
 * settings (as a database sums them): the same insights {@link keyInsights} gives for the same counts.
 */
export function keyInsightsOfSums(
  sums: SummedKeyCounts,
  base: BaseCounts,
  options: { readonly exact: boolean },
): KeyInsights {
  const baseRate = baseRateOf(base.runs, base.failures);
  const runCount = (runs: number, failures: number): RunCount =>
    Object.freeze({ runs, failures, failureRate: smoothedRate(failures, runs, baseRate) });

  let runs = 0;
  let failures = 0;
  const handling = new Map<string, { runs: number; failures: number }>();
  for (const row of sums.handling) {
    runs += row.runs;
    failures += row.failures;
    add(handling, row.handling === DEFAULT_HANDLING ? DEFAULT_HANDLING_LABEL : row.handling, row);
  }
  const versions = versionCounts(sums.dimensions, baseRate);
  const lastFailure = sums.lastFailure;
  return Object.freeze({
    key: sums.key,
    exact: options.exact,
    runs,
    failures,
    failureRate: smoothedRate(failures, runs, baseRate),
    timeZone: sums.timeZone,
    windows: Object.freeze([...sums.windows]),
    patterns: Object.freeze(failurePatterns(sums.key, sums.windows, sums.timeZone, baseRate)),
    commonIssues: Object.freeze(issueCounts(sums.dimensions)),
    lastFailure:
      lastFailure &&
      Object.freeze({
        at: new Date(lastFailure.atMs).toISOString(),
        type: lastFailure.issue,
        message: lastFailure.message,
      }),
    durationMs: durationPercentiles(sums.durations),
    byType: Object.freeze({
      workflow: recordOf(sumBy(sums.dimensions, 'workflowType'), runCount),
      activity: recordOf(sumBy(sums.dimensions, 'activityType'), runCount),
    }),
    handling: recordOf(handling, runCount),
    versions: Object.freeze(versions),
    regression: versionRegression(sums.key, versions, baseRate),
    unhandled: unhandledCounts(sums),
  });
}

function add(
  sums: Map<string, { runs: number; failures: number }>,
  key: string,
  row: { runs: number; failures: number },
): void {
  const sum = sums.get(key) ?? { runs: 0, failures: 0 };
  sum.runs += row.runs;
  sum.failures += row.failures;
  sums.set(key, sum);
}

function sumBy(
  dimensions: readonly DimensionCount[],
  dimension: DimensionCount['dimension'],
  onlyHandling?: string,
): Map<string, { runs: number; failures: number }> {
  const sums = new Map<string, { runs: number; failures: number }>();
  for (const row of dimensions) {
    if (row.dimension === dimension && (onlyHandling === undefined || row.handling === onlyHandling))
      add(sums, row.value, row);
  }
  return sums;
}

function recordOf<T>(
  sums: Map<string, { runs: number; failures: number }>,
  toValue: (runs: number, failures: number) => T,
): Readonly<Record<string, T>> {
  // Object.fromEntries defines own properties: a value such as `__proto__` is a key like any other.
  const entries = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze(
    Object.fromEntries(entries.map(([key, sum]) => [key, toValue(sum.runs, sum.failures)])),
  );
}

function versionCounts(dimensions: readonly DimensionCount[], baseRate: number): VersionCount[] {
  const versions = new Map<string, { runs: number; failures: number; firstMs: number }>();
  for (const row of dimensions) {
    if (row.dimension !== 'version') continue;
    const sum = versions.get(row.value) ?? { runs: 0, failures: 0, firstMs: row.firstMs };
    sum.runs += row.runs;
    sum.failures += row.failures;
    sum.firstMs = Math.min(sum.firstMs, row.firstMs);
    versions.set(row.value, sum);
  }
  return [...versions.entries()]
    .sort(([a, x], [b, y]) => x.firstMs - y.firstMs || a.localeCompare(b))
    .map(([version, sum]) =>
      Object.freeze({
        version,
        runs: sum.runs,
        failures: sum.failures,
        failureRate: smoothedRate(sum.failures, sum.runs, baseRate),
        firstSeen: new Date(sum.firstMs).toISOString(),
      }),
    );
}

function issueCounts(dimensions: readonly DimensionCount[]): IssueCount[] {
  return [...sumBy(dimensions, 'issue').entries()]
    .map(([type, sum]) => Object.freeze({ type, count: sum.runs }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

function durationPercentiles(durations: readonly DurationCount[]): KeyInsights['durationMs'] {
  const sorted = [...durations].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, d) => sum + d.count, 0);
  if (total === 0) return undefined;
  const at = (quantile: number): number => {
    const rank = Math.max(1, Math.ceil(quantile * total));
    let seen = 0;
    for (const d of sorted) {
      seen += d.count;
      if (seen >= rank) return bucketDurationMs(d.bucket);
    }
    return bucketDurationMs(sorted[sorted.length - 1]?.bucket ?? 0);
  };
  return Object.freeze({ p50: at(0.5), p95: at(0.95) });
}

function unhandledCounts(sums: SummedKeyCounts): UnhandledCounts {
  let runs = 0;
  let failures = 0;
  for (const row of sums.handling) {
    if (row.handling !== DEFAULT_HANDLING) continue;
    runs += row.runs;
    failures += row.failures;
  }
  const byActivityType = recordOf(sumBy(sums.dimensions, 'activityType', DEFAULT_HANDLING), (r, f) =>
    Object.freeze({ runs: r, failures: f }),
  );
  // Failures are counted under their issue, with the first and last event time of each.
  const failureTimes = new Set<number>();
  for (const row of sums.dimensions) {
    if (row.dimension !== 'issue' || row.handling !== DEFAULT_HANDLING) continue;
    failureTimes.add(row.firstMs).add(row.lastMs);
  }
  return Object.freeze({ runs, failures, recurring: failureTimes.size >= 2, byActivityType });
}
