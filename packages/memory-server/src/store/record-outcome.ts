import { countOutcomes, type OutcomeFacts } from '@temporal-stompy/insights';
import { outcomeHour } from './outcome-browser';
import type { Database } from 'better-sqlite3';
import type { OutcomeInput } from './outcome-input';
import { STORED_HALF_LIFE_DAYS } from './schema';

/**
 * Counts outcomes into the tables insights read (see schema.ts), inside the transaction that stores
 * their contexts. {@link OutcomeRecorder.record} keeps an outcome's facts at once and holds its counts;
 * {@link OutcomeRecorder.writeCounts} adds what it holds to the tables, summed per key: a group write
 * of 100 outcomes updates a busy key's hour, window and dimension rows once, not 100 times.
 */
export interface OutcomeRecorder {
  /**
   * Keeps the outcome's facts, once per (project, topic): a topic written again, by a retry or a
   * duplicate, changes nothing. Returns whether the outcome was counted (its counts are held).
   */
  record(project: string, topic: string, outcome: OutcomeInput): boolean;
  /** Adds the held counts to the tables, in the same transaction as the facts, and forgets them. */
  writeCounts(): void;
  /** Forgets the held counts: the transaction that kept their facts rolled back. */
  discardCounts(): void;
}

/** An outcome's failure as `outcome_keys` keeps it (time, issue, message, topic), or nulls. */
type LastFailureColumns = [number | null, string | null, string | null, string | null];

/** The counts held for one project: its runs and failures, and each key's facts in write order. */
interface HeldCounts {
  runs: number;
  failures: number;
  readonly factsByKey: Map<string, OutcomeFacts[]>;
}

/**
 * Prepares the {@link OutcomeRecorder} of a database. The counts written are those `countOutcomes`
 * gives over the facts in write order: on equal event times, the later write is the key's last failure
 * and gives its time zone.
 */
export function prepareOutcomeRecorder(db: Database): OutcomeRecorder {
  const insertFacts = db.prepare<[string, string, string, string]>(
    `INSERT INTO outcome_facts (project, topic, facts, keys) VALUES (?, ?, ?, ?)
     ON CONFLICT (project, topic) DO NOTHING`,
  );
  const fileUnderKey = db.prepare<[string, string, number, number | bigint]>(
    'INSERT INTO key_outcomes (project, key, hour, outcome_id) VALUES (?, ?, ?, ?)',
  );
  const addToTotals = db.prepare<[string, number, number]>(
    `INSERT INTO outcome_totals (project, runs, failures) VALUES (?, ?, ?)
     ON CONFLICT (project) DO UPDATE SET runs = runs + excluded.runs, failures = failures + excluded.failures`,
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
    .prepare<[string, string, number, number, string, number, number], number>(
      `INSERT INTO outcome_hours (project, key, hour, hour_of_week, handling, runs, failures)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project, key, hour, hour_of_week, handling) DO UPDATE SET
         runs = runs + excluded.runs, failures = failures + excluded.failures
       RETURNING failures`,
    )
    .pluck();
  // The window's weighted sums are relative to its latest hour: a later hour scales them down by its
  // weight and adds its own outcomes (weight 1); an earlier hour adds its outcomes at their weight.
  const addToWindow = db.prepare<{
    project: string;
    key: string;
    handling: string;
    window: number;
    hour: number;
    runs: number;
    failures: number;
    newOccurrence: number;
    halfLifeHours: number;
  }>(
    `INSERT INTO outcome_windows (project, key, handling, hour_of_week, runs, failures,
       failed_occurrences, latest_hour, weighted_runs, weighted_failures)
     VALUES (:project, :key, :handling, :window, :runs, :failures, :newOccurrence, :hour, :runs, :failures)
     ON CONFLICT (project, key, handling, hour_of_week) DO UPDATE SET
       runs = runs + :runs,
       failures = failures + :failures,
       failed_occurrences = failed_occurrences + :newOccurrence,
       latest_hour = max(latest_hour, :hour),
       weighted_runs = iif(:hour >= latest_hour,
         weighted_runs * pow(0.5, (:hour - latest_hour) / :halfLifeHours) + :runs,
         weighted_runs + :runs * pow(0.5, (latest_hour - :hour) / :halfLifeHours)),
       weighted_failures = iif(:hour >= latest_hour,
         weighted_failures * pow(0.5, (:hour - latest_hour) / :halfLifeHours) + :failures,
         weighted_failures + :failures * pow(0.5, (latest_hour - :hour) / :halfLifeHours))`,
  );
  const addToDimension = db.prepare<[string, string, string, string, string, number, number, number, number]>(
    `INSERT INTO outcome_dimensions (project, key, dimension, value, handling, runs, failures, first_ms, last_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project, key, dimension, value, handling) DO UPDATE SET
       runs = runs + excluded.runs, failures = failures + excluded.failures,
       first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms)`,
  );
  const addToDuration = db.prepare<[string, string, number, number]>(
    `INSERT INTO outcome_durations (project, key, bucket, count) VALUES (?, ?, ?, ?)
     ON CONFLICT (project, key, bucket) DO UPDATE SET count = count + excluded.count`,
  );
  const halfLifeHours = STORED_HALF_LIFE_DAYS * 24;

  /** Adds one key's held facts to its rows. */
  const writeKey = (project: string, key: string, facts: readonly OutcomeFacts[]): void => {
    const counts = countOutcomes(key, facts);
    const latestMs = facts.reduce((latest, f) => Math.max(latest, f.eventTimeMs), -Infinity);
    const failure = counts.lastFailure;
    const failureColumns: LastFailureColumns = failure
      ? [failure.atMs, failure.issue, failure.message, failure.topic ?? null]
      : [null, null, null, null];
    updateKey.run(project, key, latestMs, counts.timeZone, ...failureColumns);
    for (const { hour, window, handling, runs, failures } of counts.hours) {
      const hourFailures = addToHour.get(project, key, hour, window, handling, runs, failures) ?? 0;
      // The hour is a new failed occurrence of its window when its failures start with these.
      const newOccurrence = failures > 0 && hourFailures === failures ? 1 : 0;
      addToWindow.run({ project, key, handling, window, hour, runs, failures, newOccurrence, halfLifeHours });
    }
    for (const d of counts.dimensions) {
      addToDimension.run(
        project,
        key,
        d.dimension,
        d.value,
        d.handling,
        d.runs,
        d.failures,
        d.firstMs,
        d.lastMs,
      );
    }
    for (const { bucket, count } of counts.durations) addToDuration.run(project, key, bucket, count);
  };

  const held = new Map<string, HeldCounts>();
  return {
    record: (project, topic, { keys, facts }) => {
      const inserted = insertFacts.run(project, topic, JSON.stringify(facts), JSON.stringify(keys));
      if (inserted.changes === 0) return false;
      const hour = outcomeHour(facts);
      for (const key of keys) fileUnderKey.run(project, key, hour, inserted.lastInsertRowid);
      let counts = held.get(project);
      if (!counts) {
        counts = { runs: 0, failures: 0, factsByKey: new Map() };
        held.set(project, counts);
      }
      counts.runs += 1;
      if (facts.failed) counts.failures += 1;
      for (const key of keys) {
        const list = counts.factsByKey.get(key);
        if (list) list.push(facts);
        else counts.factsByKey.set(key, [facts]);
      }
      return true;
    },
    writeCounts: () => {
      try {
        for (const [project, counts] of held) {
          addToTotals.run(project, counts.runs, counts.failures);
          for (const [key, facts] of counts.factsByKey) writeKey(project, key, facts);
        }
      } finally {
        held.clear();
      }
    },
    discardCounts: () => held.clear(),
  };
}
