import { countOutcomes, type KeyCounts, type OutcomeFacts } from '@temporal-stompy/insights';
import type { PoolClient } from 'pg';
import { STORED_HALF_LIFE_DAYS } from '../schema';

const HALF_LIFE_HOURS = STORED_HALF_LIFE_DAYS * 24;

/** The outcomes one group write counted, per project: runs, failures and each key's facts in write order. */
export class HeldOutcomeCounts {
  private readonly projects = new Map<
    string,
    { runs: number; failures: number; byKey: Map<string, OutcomeFacts[]> }
  >();

  /** Holds one newly stored outcome under each of its keys. */
  add(project: string, keys: readonly string[], facts: OutcomeFacts): void {
    let held = this.projects.get(project);
    if (held === undefined) {
      held = { runs: 0, failures: 0, byKey: new Map() };
      this.projects.set(project, held);
    }
    held.runs += 1;
    if (facts.failed) held.failures += 1;
    for (const key of keys) {
      const list = held.byKey.get(key);
      if (list) list.push(facts);
      else held.byKey.set(key, [facts]);
    }
  }

  /**
   * Adds the held counts to the count tables in a few statements (one per table), rows sorted by
   * (project, key, ...) so that two servers adding to the same rows lock them in the same order. The
   * counts written are those the SQLite adapter writes (`record-outcome.ts`), summed per key.
   */
  async write(client: PoolClient): Promise<void> {
    const projects = [...this.projects.keys()].sort();
    if (projects.length === 0) return;
    await client.query(
      `INSERT INTO outcome_totals (project, runs, failures)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])
       ON CONFLICT (project) DO UPDATE SET
         runs = outcome_totals.runs + EXCLUDED.runs, failures = outcome_totals.failures + EXCLUDED.failures`,
      [
        projects,
        projects.map((p) => this.projects.get(p)?.runs ?? 0),
        projects.map((p) => this.projects.get(p)?.failures ?? 0),
      ],
    );
    const keys: { project: string; counts: KeyCounts; latestMs: number }[] = [];
    for (const project of projects) {
      const byKey = this.projects.get(project)?.byKey ?? new Map<string, OutcomeFacts[]>();
      for (const key of [...byKey.keys()].sort()) {
        const facts = byKey.get(key) ?? [];
        const latestMs = facts.reduce((latest, f) => Math.max(latest, f.eventTimeMs), -Infinity);
        keys.push({ project, counts: countOutcomes(key, facts), latestMs });
      }
    }
    await writeKeys(client, keys);
    await writeHoursAndWindows(client, keys);
    await writeDimensions(client, keys);
    await writeDurations(client, keys);
  }
}

type KeyRows = readonly { project: string; counts: KeyCounts; latestMs: number }[];

/** Columns as arrays, one per field of `rows`, for `unnest`. */
function columns<T extends object>(rows: readonly T[], fields: readonly (keyof T)[]): unknown[][] {
  return fields.map((field) => rows.map((row) => row[field]));
}

async function writeKeys(client: PoolClient, keys: KeyRows): Promise<void> {
  const rows = keys.map(({ project, counts, latestMs }) => ({
    project,
    key: counts.key,
    latestMs,
    timeZone: counts.timeZone,
    failureMs: counts.lastFailure?.atMs ?? null,
    issue: counts.lastFailure?.issue ?? null,
    message: counts.lastFailure?.message ?? null,
    topic: counts.lastFailure?.topic ?? null,
  }));
  // Every right-hand side reads the row as it was before this update.
  await client.query(
    `INSERT INTO outcome_keys AS k
       (project, key, latest_ms, time_zone, failure_ms, failure_issue, failure_message, failure_topic)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (project, key) DO UPDATE SET
       latest_ms = greatest(k.latest_ms, EXCLUDED.latest_ms),
       time_zone = CASE WHEN EXCLUDED.latest_ms >= k.latest_ms THEN EXCLUDED.time_zone ELSE k.time_zone END,
       failure_ms = CASE WHEN EXCLUDED.failure_ms >= coalesce(k.failure_ms, EXCLUDED.failure_ms) THEN EXCLUDED.failure_ms ELSE k.failure_ms END,
       failure_issue = CASE WHEN EXCLUDED.failure_ms >= coalesce(k.failure_ms, EXCLUDED.failure_ms) THEN EXCLUDED.failure_issue ELSE k.failure_issue END,
       failure_message = CASE WHEN EXCLUDED.failure_ms >= coalesce(k.failure_ms, EXCLUDED.failure_ms) THEN EXCLUDED.failure_message ELSE k.failure_message END,
       failure_topic = CASE WHEN EXCLUDED.failure_ms >= coalesce(k.failure_ms, EXCLUDED.failure_ms) THEN EXCLUDED.failure_topic ELSE k.failure_topic END`,
    columns(rows, ['project', 'key', 'latestMs', 'timeZone', 'failureMs', 'issue', 'message', 'topic']),
  );
}

/** An hour row as the upsert returns it: its key and its failures now. */
interface HourRow {
  project: string;
  key: string;
  hour: number;
  window: number;
  handling: string;
  failures: number;
}

function hourId(row: Omit<HourRow, 'failures'>): string {
  return `${row.project}\u0000${row.key}\u0000${row.hour}\u0000${row.window}\u0000${row.handling}`;
}

/** One window's share of a group write: counts, new failed hours, and weights relative to its latest hour. */
interface WindowAddition {
  project: string;
  key: string;
  handling: string;
  window: number;
  runs: number;
  failures: number;
  newOccurrences: number;
  hour: number;
  weightedRuns: number;
  weightedFailures: number;
}

/**
 * Adds the hour rows, then the windows they sum into. An hour is a new failed occurrence of its window
 * when its failures start with this write. The hours of one window are first combined into one addition
 * (weighted at its latest hour), which the upsert then merges as the SQLite adapter merges hours one
 * by one: a later hour scales the stored sums down by its weight, an earlier one adds at its weight.
 */
async function writeHoursAndWindows(client: PoolClient, keys: KeyRows): Promise<void> {
  const hours = keys.flatMap(({ project, counts }) =>
    [...counts.hours]
      .sort(
        (a, b) =>
          a.hour - b.hour ||
          a.window - b.window ||
          (a.handling < b.handling ? -1 : a.handling > b.handling ? 1 : 0),
      )
      .map((h) => ({ project, key: counts.key, ...h })),
  );
  if (hours.length === 0) return;
  const { rows: stored } = await client.query<HourRow>(
    `INSERT INTO outcome_hours AS h (project, key, hour, hour_of_week, handling, runs, failures)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[], $6::bigint[], $7::bigint[])
     ON CONFLICT (project, key, hour, hour_of_week, handling) DO UPDATE SET
       runs = h.runs + EXCLUDED.runs, failures = h.failures + EXCLUDED.failures
     RETURNING project, key, hour, hour_of_week AS window, handling, failures`,
    columns(hours, ['project', 'key', 'hour', 'window', 'handling', 'runs', 'failures']),
  );
  const failuresNow = new Map(stored.map((row) => [hourId(row), row.failures]));
  const windows = new Map<string, WindowAddition>();
  hours.forEach((h) => {
    const newOccurrence = h.failures > 0 && failuresNow.get(hourId(h)) === h.failures ? 1 : 0;
    const id = `${h.project}\u0000${h.key}\u0000${h.handling}\u0000${h.window}`;
    const known = windows.get(id);
    if (known === undefined) {
      windows.set(id, {
        ...h,
        newOccurrences: newOccurrence,
        weightedRuns: h.runs,
        weightedFailures: h.failures,
      });
      return;
    }
    known.runs += h.runs;
    known.failures += h.failures;
    known.newOccurrences += newOccurrence;
    if (h.hour >= known.hour) {
      const scale = Math.pow(0.5, (h.hour - known.hour) / HALF_LIFE_HOURS);
      known.weightedRuns = known.weightedRuns * scale + h.runs;
      known.weightedFailures = known.weightedFailures * scale + h.failures;
      known.hour = h.hour;
    } else {
      const weight = Math.pow(0.5, (known.hour - h.hour) / HALF_LIFE_HOURS);
      known.weightedRuns += h.runs * weight;
      known.weightedFailures += h.failures * weight;
    }
  });
  const additions = [...windows.values()];
  await client.query(
    `INSERT INTO outcome_windows AS w (project, key, handling, hour_of_week, runs, failures,
       failed_occurrences, latest_hour, weighted_runs, weighted_failures)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::bigint[],
       $7::bigint[], $8::bigint[], $9::float8[], $10::float8[])
     ON CONFLICT (project, key, handling, hour_of_week) DO UPDATE SET
       runs = w.runs + EXCLUDED.runs,
       failures = w.failures + EXCLUDED.failures,
       failed_occurrences = w.failed_occurrences + EXCLUDED.failed_occurrences,
       latest_hour = greatest(w.latest_hour, EXCLUDED.latest_hour),
       weighted_runs = CASE WHEN EXCLUDED.latest_hour >= w.latest_hour
         THEN w.weighted_runs * power(0.5, (EXCLUDED.latest_hour - w.latest_hour) / $11::float8) + EXCLUDED.weighted_runs
         ELSE w.weighted_runs + EXCLUDED.weighted_runs * power(0.5, (w.latest_hour - EXCLUDED.latest_hour) / $11::float8) END,
       weighted_failures = CASE WHEN EXCLUDED.latest_hour >= w.latest_hour
         THEN w.weighted_failures * power(0.5, (EXCLUDED.latest_hour - w.latest_hour) / $11::float8) + EXCLUDED.weighted_failures
         ELSE w.weighted_failures + EXCLUDED.weighted_failures * power(0.5, (w.latest_hour - EXCLUDED.latest_hour) / $11::float8) END`,
    [
      ...columns(additions, [
        'project',
        'key',
        'handling',
        'window',
        'runs',
        'failures',
        'newOccurrences',
        'hour',
        'weightedRuns',
        'weightedFailures',
      ]),
      HALF_LIFE_HOURS,
    ],
  );
}

async function writeDimensions(client: PoolClient, keys: KeyRows): Promise<void> {
  const rows = keys.flatMap(({ project, counts }) =>
    counts.dimensions.map((d) => ({ project, key: counts.key, ...d })),
  );
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO outcome_dimensions AS d (project, key, dimension, value, handling, runs, failures, first_ms, last_ms)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
       $8::float8[], $9::float8[])
     ON CONFLICT (project, key, dimension, value, handling) DO UPDATE SET
       runs = d.runs + EXCLUDED.runs, failures = d.failures + EXCLUDED.failures,
       first_ms = least(d.first_ms, EXCLUDED.first_ms), last_ms = greatest(d.last_ms, EXCLUDED.last_ms)`,
    columns(rows, [
      'project',
      'key',
      'dimension',
      'value',
      'handling',
      'runs',
      'failures',
      'firstMs',
      'lastMs',
    ]),
  );
}

async function writeDurations(client: PoolClient, keys: KeyRows): Promise<void> {
  const rows = keys.flatMap(({ project, counts }) =>
    counts.durations.map((d) => ({ project, key: counts.key, ...d })),
  );
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO outcome_durations AS d (project, key, bucket, count)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[])
     ON CONFLICT (project, key, bucket) DO UPDATE SET count = d.count + EXCLUDED.count`,
    columns(rows, ['project', 'key', 'bucket', 'count']),
  );
}
