import {
  DEFAULT_HANDLING,
  type BaseCounts,
  type DimensionCount,
  type DurationCount,
  type HandlingCount,
  type SummedKeyCounts,
  type WindowCount,
} from '@temporal-stompy/insights';
import type { Pool, PoolClient } from 'pg';
import {
  insightsRequest,
  insightsResult,
  type OutcomeInsightsInput,
  type OutcomeInsightsResult,
} from '../outcome-insights';
import { keySumsOf, type KeyRow } from '../read-summed-counts';
import { STORED_HALF_LIFE_DAYS } from '../schema';
import type { StoreSettings } from '../settings';
import { inSnapshot } from './pg-pool';

/** Rows of several keys, grouped by key. */
function byKey<T extends { key: string }>(rows: readonly T[]): Map<string, Omit<T, 'key'>[]> {
  const grouped = new Map<string, Omit<T, 'key'>[]>();
  for (const { key, ...rest } of rows) {
    const list = grouped.get(key);
    if (list) list.push(rest);
    else grouped.set(key, [rest]);
  }
  return grouped;
}

/**
 * `outcome_insights` on PostgreSQL: the same exact insights as the SQLite adapter, from the same count
 * tables, read for all the keys asked at once (one statement per table) in one snapshot.
 */
export async function outcomeInsights(
  pool: Pool,
  settings: StoreSettings,
  input: OutcomeInsightsInput,
): Promise<OutcomeInsightsResult> {
  const { project, keys, halfLifeDays } = insightsRequest(input, settings);
  const distinct = [...new Set(keys)];
  return inSnapshot(pool, async (client) => {
    const totals = await client.query<BaseCounts>(
      'SELECT runs, failures FROM outcome_totals WHERE project = $1',
      [project],
    );
    const sums = await readKeySums(client, project, distinct, halfLifeDays);
    return insightsResult(
      totals.rows[0] ?? { runs: 0, failures: 0 },
      keys,
      (key) =>
        sums.get(key) ??
        keySumsOf(key, undefined, { handling: [], windows: [], dimensions: [], durations: [] }),
    );
  });
}

async function readKeySums(
  client: PoolClient,
  project: string,
  keys: readonly string[],
  halfLifeDays: number,
): Promise<Map<string, SummedKeyCounts>> {
  const params = [project, keys];
  const keyRows = await client.query<KeyRow & { key: string }>(
    `SELECT key, time_zone, failure_ms, failure_issue, failure_message, failure_topic
     FROM outcome_keys WHERE project = $1 AND key = ANY($2::text[])`,
    params,
  );
  const handling = await client.query<HandlingCount & { key: string }>(
    `SELECT key, handling, sum(runs)::bigint AS runs, sum(failures)::bigint AS failures
     FROM outcome_windows WHERE project = $1 AND key = ANY($2::text[]) GROUP BY key, handling`,
    params,
  );
  const windows =
    halfLifeDays === STORED_HALF_LIFE_DAYS
      ? await client.query<WindowCount & { key: string }>(
          `SELECT key, hour_of_week AS "window", runs, failures, weighted_runs AS "weightedRuns",
             weighted_failures AS "weightedFailures", failed_occurrences AS "failedOccurrences"
           FROM outcome_windows WHERE project = $1 AND key = ANY($2::text[]) AND handling = $3
           ORDER BY key, hour_of_week`,
          [...params, DEFAULT_HANDLING],
        )
      : await client.query<WindowCount & { key: string }>(
          // The weight of recencyWeight() in @temporal-stompy/insights: 0.5^(age / half-life), the age
          // counted from the latest hour of the same window.
          `WITH latest AS (
             SELECT key, hour_of_week, max(hour) AS hour FROM outcome_hours
             WHERE project = $1 AND key = ANY($2::text[]) AND handling = $3 GROUP BY key, hour_of_week)
           SELECT h.key, h.hour_of_week AS "window", sum(h.runs)::bigint AS runs, sum(h.failures)::bigint AS failures,
             sum(h.runs * power(0.5, (latest.hour - h.hour) / $4::float8)) AS "weightedRuns",
             sum(h.failures * power(0.5, (latest.hour - h.hour) / $4::float8)) AS "weightedFailures",
             count(*) FILTER (WHERE h.failures > 0) AS "failedOccurrences"
           FROM outcome_hours AS h JOIN latest USING (key, hour_of_week)
           WHERE h.project = $1 AND h.key = ANY($2::text[]) AND h.handling = $3
           GROUP BY h.key, h.hour_of_week ORDER BY h.key, h.hour_of_week`,
          [...params, DEFAULT_HANDLING, halfLifeDays * 24],
        );
  const dimensions = await client.query<DimensionCount & { key: string }>(
    `SELECT key, dimension, value, handling, runs, failures, first_ms AS "firstMs", last_ms AS "lastMs"
     FROM outcome_dimensions WHERE project = $1 AND key = ANY($2::text[])`,
    params,
  );
  const durations = await client.query<DurationCount & { key: string }>(
    'SELECT key, bucket, count FROM outcome_durations WHERE project = $1 AND key = ANY($2::text[])',
    params,
  );
  const handlingOf = byKey(handling.rows);
  const windowsOf = byKey(windows.rows);
  const dimensionsOf = byKey(dimensions.rows);
  const durationsOf = byKey(durations.rows);
  return new Map(
    keyRows.rows.map(({ key, ...row }) => [
      key,
      keySumsOf(key, row, {
        handling: handlingOf.get(key) ?? [],
        windows: windowsOf.get(key) ?? [],
        dimensions: dimensionsOf.get(key) ?? [],
        durations: durationsOf.get(key) ?? [],
      }),
    ]),
  );
}
