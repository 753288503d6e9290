import type {
  BaseCounts,
  DimensionCount,
  DurationCount,
  HourCount,
  KeyCounts,
} from '@temporal-stompy/insights';
import type { Database } from 'better-sqlite3';

interface KeyRow {
  time_zone: string;
  failure_ms: number | null;
  failure_issue: string | null;
  failure_message: string | null;
  failure_topic: string | null;
}

/** What a key has no outcomes gives: the counts `countOutcomes` gives for no outcomes. */
function emptyCounts(key: string): KeyCounts {
  return { key, timeZone: 'UTC', hours: [], dimensions: [], durations: [], lastFailure: undefined };
}

/**
 * Prepares the reads of the counts insights are computed from, kept by `record-outcome.ts`: a
 * project's base counts, and a key's counts as `countOutcomes` gives them for the same outcomes (rows
 * in another order). Each read is a range scan of primary keys beginning with (project, key). Call
 * them inside one read transaction for a consistent snapshot.
 */
export function prepareReadKeyCounts(db: Database): {
  readonly baseCounts: (project: string) => BaseCounts;
  readonly keyCounts: (project: string, key: string) => KeyCounts;
} {
  const selectTotals = db.prepare<[string], BaseCounts>(
    'SELECT runs, failures FROM outcome_totals WHERE project = ?',
  );
  const selectKey = db.prepare<[string, string], KeyRow>(
    `SELECT time_zone, failure_ms, failure_issue, failure_message, failure_topic
     FROM outcome_keys WHERE project = ? AND key = ?`,
  );
  // A busy key has an hour row for nearly every hour of its history (4,368 in 26 weeks, more with
  // handling labels). Handing each value to JavaScript costs far more than SQLite's scan: one JSON
  // text of all of them, parsed at once, reads such a key about three times faster.
  const selectHours = db
    .prepare<[string, string], string>(
      `SELECT json_group_array(json_array(hour, hour_of_week, handling, runs, failures))
       FROM outcome_hours WHERE project = ? AND key = ?`,
    )
    .pluck();
  const selectDimensions = db.prepare<[string, string], DimensionCount>(
    `SELECT dimension, value, handling, runs, failures, first_ms AS firstMs, last_ms AS lastMs
     FROM outcome_dimensions WHERE project = ? AND key = ?`,
  );
  const selectDurations = db.prepare<[string, string], DurationCount>(
    'SELECT bucket, count FROM outcome_durations WHERE project = ? AND key = ?',
  );

  return {
    baseCounts: (project) => selectTotals.get(project) ?? { runs: 0, failures: 0 },
    keyCounts: (project, key) => {
      const row = selectKey.get(project, key);
      if (row === undefined) return emptyCounts(key);
      return {
        key,
        timeZone: row.time_zone,
        hours: hourCountsOf(selectHours.get(project, key) ?? '[]'),
        dimensions: selectDimensions.all(project, key),
        durations: selectDurations.all(project, key),
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
    },
  };
}

/** Hour counts from the JSON array of `[hour, window, handling, runs, failures]` rows SQLite built. */
function hourCountsOf(json: string): HourCount[] {
  const rows = JSON.parse(json) as [number, number, string, number, number][];
  return rows.map(([hour, window, handling, runs, failures]) => ({ hour, window, handling, runs, failures }));
}
