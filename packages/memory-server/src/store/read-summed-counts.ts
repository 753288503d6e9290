import {
  DEFAULT_HANDLING,
  roundedWeight,
  type BaseCounts,
  type DimensionCount,
  type DurationCount,
  type HandlingCount,
  type SummedKeyCounts,
  type WindowCount,
} from '@temporal-stompy/insights';
import type { Database } from 'better-sqlite3';
import { STORED_HALF_LIFE_DAYS } from './schema';

/** A key's row of `outcome_keys`, as an adapter reads it. */
export interface KeyRow {
  time_zone: string;
  failure_ms: number | null;
  failure_issue: string | null;
  failure_message: string | null;
  failure_topic: string | null;
}

/** What a key without outcomes sums to: what `sumKeyCounts` gives for no outcomes. */
function emptySums(key: string): SummedKeyCounts {
  return {
    key,
    timeZone: 'UTC',
    handling: [],
    windows: [],
    dimensions: [],
    durations: [],
    lastFailure: undefined,
  };
}

/**
 * Prepares the reads insights are computed from, over the count rows `record-outcome.ts` keeps: a
 * project's base counts, and a key's counts summed as `sumKeyCounts` sums them in memory. A busy key
 * has an hour row for nearly every hour of its history (4,368 in 26 weeks); `outcome_windows` keeps
 * them summed per window, weighted at the default half-life, so that read is at most 168 rows per
 * handling label. Another half-life is summed from the hour rows. Each read is a range scan of primary
 * keys beginning with (project, key). Call them inside one read transaction for a consistent snapshot.
 */
export function prepareReadSummedCounts(db: Database): {
  readonly baseCounts: (project: string) => BaseCounts;
  readonly keySums: (project: string, key: string, halfLifeDays: number) => SummedKeyCounts;
} {
  const selectTotals = db.prepare<[string], BaseCounts>(
    'SELECT runs, failures FROM outcome_totals WHERE project = ?',
  );
  const selectKey = db.prepare<[string, string], KeyRow>(
    `SELECT time_zone, failure_ms, failure_issue, failure_message, failure_topic
     FROM outcome_keys WHERE project = ? AND key = ?`,
  );
  const selectHandling = db.prepare<[string, string], HandlingCount>(
    `SELECT handling, sum(runs) AS runs, sum(failures) AS failures
     FROM outcome_windows WHERE project = ? AND key = ? GROUP BY handling`,
  );
  const selectStoredWindows = db.prepare<[string, string, string], WindowCount>(
    `SELECT hour_of_week AS window, runs, failures, weighted_runs AS weightedRuns,
       weighted_failures AS weightedFailures, failed_occurrences AS failedOccurrences
     FROM outcome_windows WHERE project = ? AND key = ? AND handling = ? ORDER BY hour_of_week`,
  );
  // The weight of recencyWeight() in @temporal-stompy/insights: 0.5^(age / half-life), the age counted
  // from the latest default-path hour of the same window.
  const sumWindows = db.prepare<
    { project: string; key: string; handling: string; halfLifeHours: number },
    WindowCount
  >(
    `WITH latest AS (
       SELECT hour_of_week, max(hour) AS hour FROM outcome_hours
       WHERE project = :project AND key = :key AND handling = :handling
       GROUP BY hour_of_week)
     SELECT h.hour_of_week AS window, sum(h.runs) AS runs, sum(h.failures) AS failures,
       sum(h.runs * pow(0.5, (latest.hour - h.hour) / :halfLifeHours)) AS weightedRuns,
       sum(h.failures * pow(0.5, (latest.hour - h.hour) / :halfLifeHours)) AS weightedFailures,
       sum(h.failures > 0) AS failedOccurrences
     FROM outcome_hours AS h JOIN latest ON latest.hour_of_week = h.hour_of_week
     WHERE h.project = :project AND h.key = :key AND h.handling = :handling
     GROUP BY h.hour_of_week ORDER BY h.hour_of_week`,
  );
  const selectDimensions = db.prepare<[string, string], DimensionCount>(
    `SELECT dimension, value, handling, runs, failures, first_ms AS firstMs, last_ms AS lastMs
     FROM outcome_dimensions WHERE project = ? AND key = ?`,
  );
  const selectDurations = db.prepare<[string, string], DurationCount>(
    'SELECT bucket, count FROM outcome_durations WHERE project = ? AND key = ?',
  );

  return {
    baseCounts: (project) => selectTotals.get(project) ?? { runs: 0, failures: 0 },
    keySums: (project, key, halfLifeDays) => {
      const row = selectKey.get(project, key);
      if (row === undefined) return emptySums(key);
      const windows =
        halfLifeDays === STORED_HALF_LIFE_DAYS
          ? selectStoredWindows.all(project, key, DEFAULT_HANDLING)
          : sumWindows.all({ project, key, handling: DEFAULT_HANDLING, halfLifeHours: halfLifeDays * 24 });
      return keySumsOf(key, row, {
        handling: selectHandling.all(project, key),
        windows,
        dimensions: selectDimensions.all(project, key),
        durations: selectDurations.all(project, key),
      });
    },
  };
}

/**
 * A key's summed counts from its rows: its `outcome_keys` row (undefined: no outcomes), and its
 * handling, window (default handling), dimension and duration sums. Weights are rounded as
 * `sumKeyCounts` rounds them, so both adapters give the same numbers.
 */
export function keySumsOf(
  key: string,
  row: KeyRow | undefined,
  sums: {
    readonly handling: readonly HandlingCount[];
    readonly windows: readonly WindowCount[];
    readonly dimensions: readonly DimensionCount[];
    readonly durations: readonly DurationCount[];
  },
): SummedKeyCounts {
  if (row === undefined) return emptySums(key);
  return {
    key,
    timeZone: row.time_zone,
    handling: [...sums.handling],
    windows: sums.windows.map((w) => ({
      ...w,
      weightedRuns: roundedWeight(w.weightedRuns),
      weightedFailures: roundedWeight(w.weightedFailures),
    })),
    dimensions: [...sums.dimensions],
    durations: [...sums.durations],
    lastFailure:
      row.failure_ms === null
        ? undefined
        : {
            atMs: row.failure_ms,
            issue: row.failure_issue ?? 'failed',
            message: row.failure_message ?? '',
            topic: row.failure_topic ?? undefined,
          },
  };
}
