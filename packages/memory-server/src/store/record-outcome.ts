import { DEFAULT_HANDLING, dimensionsOf, durationBucket } from '@temporal-stompy/insights';
import type { Database } from 'better-sqlite3';
import type { OutcomeInput } from './outcome-input';
import { STORED_HALF_LIFE_DAYS } from './schema';

const HOUR_MS = 3_600_000;

/** An outcome's failure as `outcome_keys` keeps it (time, issue, message, topic), or nulls. */
type LastFailureColumns = [number | null, string | null, string | null, string | null];

/**
 * Prepares the write of an outcome's facts and of the counts insights read (see schema.ts), to run
 * inside the transaction that stores its context. An outcome is counted at most once per (project,
 * topic): a topic written again, by a retry or a duplicate, changes nothing. Returns whether the
 * outcome was counted. The counts are those `countOutcomes` gives over the facts in write order: on
 * equal event times, the later write is the key's last failure and gives its time zone.
 */
export function prepareRecordOutcome(
  db: Database,
): (project: string, topic: string, outcome: OutcomeInput) => boolean {
  const insertFacts = db.prepare<[string, string, string, string]>(
    `INSERT INTO outcome_facts (project, topic, facts, keys) VALUES (?, ?, ?, ?)
     ON CONFLICT (project, topic) DO NOTHING`,
  );
  const addToTotals = db.prepare<[string, number]>(
    `INSERT INTO outcome_totals (project, runs, failures) VALUES (?, 1, ?)
     ON CONFLICT (project) DO UPDATE SET runs = runs + 1, failures = failures + excluded.failures`,
  );
  // Every right-hand side reads the row as it was before this update.
  const updateKey = db.prepare<[string, string, number, string, ...LastFailureColumns]>(
    `INSERT INTO outcome_keys
       (project, key, latest_ms, time_zone, failure_ms, failure_issue, failure_message, failure_topic)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project, key) DO UPDATE SET
       latest_ms = max(latest_ms, excluded.latest_ms),
       time_zone = iif(excluded.latest_ms >= latest_ms, excluded.time_zone, time_zone),
       failure_ms = iif(excluded.failure_ms >= coalesce(failure_ms, excluded.failure_ms), excluded.failure_ms, failure_ms),
       failure_issue = iif(excluded.failure_ms >= coalesce(failure_ms, excluded.failure_ms), excluded.failure_issue, failure_issue),
       failure_message = iif(excluded.failure_ms >= coalesce(failure_ms, excluded.failure_ms), excluded.failure_message, failure_message),
       failure_topic = iif(excluded.failure_ms >= coalesce(failure_ms, excluded.failure_ms), excluded.failure_topic, failure_topic)`,
  );
  const addToHour = db
    .prepare<[string, string, number, number, string, number], number>(
      `INSERT INTO outcome_hours (project, key, hour, hour_of_week, handling, runs, failures)
       VALUES (?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (project, key, hour, hour_of_week, handling) DO UPDATE SET
         runs = runs + 1, failures = failures + excluded.failures
       RETURNING failures`,
    )
    .pluck();
  // The window's weighted sums are relative to its latest hour: a later hour scales them down by its
  // weight and adds 1 (its own weight); an earlier hour adds its weight. Right-hand sides read the row
  // as it was before this update.
  const addToWindow = db.prepare<{
    project: string;
    key: string;
    handling: string;
    window: number;
    failures: number;
    newOccurrence: number;
    hour: number;
    halfLifeHours: number;
  }>(
    `INSERT INTO outcome_windows (project, key, handling, hour_of_week, runs, failures,
       failed_occurrences, latest_hour, weighted_runs, weighted_failures)
     VALUES (:project, :key, :handling, :window, 1, :failures, :newOccurrence, :hour, 1, :failures)
     ON CONFLICT (project, key, handling, hour_of_week) DO UPDATE SET
       runs = runs + 1,
       failures = failures + excluded.failures,
       failed_occurrences = failed_occurrences + excluded.failed_occurrences,
       latest_hour = max(latest_hour, excluded.latest_hour),
       weighted_runs = iif(excluded.latest_hour >= latest_hour,
         weighted_runs * pow(0.5, (excluded.latest_hour - latest_hour) / :halfLifeHours) + 1,
         weighted_runs + pow(0.5, (latest_hour - excluded.latest_hour) / :halfLifeHours)),
       weighted_failures = iif(excluded.latest_hour >= latest_hour,
         weighted_failures * pow(0.5, (excluded.latest_hour - latest_hour) / :halfLifeHours) + excluded.failures,
         weighted_failures + excluded.failures * pow(0.5, (latest_hour - excluded.latest_hour) / :halfLifeHours))`,
  );
  const halfLifeHours = STORED_HALF_LIFE_DAYS * 24;
  const addToDimension = db.prepare<[string, string, string, string, string, number, number, number]>(
    `INSERT INTO outcome_dimensions (project, key, dimension, value, handling, runs, failures, first_ms, last_ms)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)
     ON CONFLICT (project, key, dimension, value, handling) DO UPDATE SET
       runs = runs + 1, failures = failures + excluded.failures,
       first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)`,
  );
  const addToDuration = db.prepare<[string, string, number]>(
    `INSERT INTO outcome_durations (project, key, bucket, count) VALUES (?, ?, ?, 1)
     ON CONFLICT (project, key, bucket) DO UPDATE SET count = count + 1`,
  );

  return (project, topic, { keys, facts }) => {
    const inserted = insertFacts.run(project, topic, JSON.stringify(facts), JSON.stringify(keys));
    if (inserted.changes === 0) return false;
    const failures = facts.failed ? 1 : 0;
    const handling = facts.handling ?? DEFAULT_HANDLING;
    const hour = Math.floor(facts.eventTimeMs / HOUR_MS);
    const bucket = durationBucket(facts.durationMs);
    const dimensions = dimensionsOf(facts);
    const failure: LastFailureColumns = facts.failed
      ? [facts.eventTimeMs, facts.issue ?? 'failed', facts.message ?? '', facts.topic ?? null]
      : [null, null, null, null];
    addToTotals.run(project, failures);
    for (const key of keys) {
      updateKey.run(project, key, facts.eventTimeMs, facts.timeZone, ...failure);
      const hourFailures = addToHour.get(project, key, hour, facts.window, handling, failures) ?? 0;
      // A failure is a new failed occurrence of the window when it is its hour's first.
      const newOccurrence = failures === 1 && hourFailures === 1 ? 1 : 0;
      addToWindow.run({
        project,
        key,
        handling,
        window: facts.window,
        failures,
        newOccurrence,
        hour,
        halfLifeHours,
      });
      for (const [dimension, value] of dimensions) {
        addToDimension.run(
          project,
          key,
          dimension,
          value,
          handling,
          failures,
          facts.eventTimeMs,
          facts.eventTimeMs,
        );
      }
      addToDuration.run(project, key, bucket);
    }
    return true;
  };
}
