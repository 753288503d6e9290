/**
 * The insights benchmark's data: the activity attempts of the outcome corpus (`outcome-corpus.ts`),
 * each written with its outcome (keys and facts) as the plugin writes them through
 * `lock_context_batch`. Outcome `n` is attempt `n % 3` (validateOrder, chargePayment, shipOrder) of
 * run `floor(n / 3)`, so each activity type key holds a third of all outcomes; a customer key holds
 * about `size / 5,000`. Event times are spread evenly over 26 weeks, whatever the size; three builds
 * follow one another; one chargePayment attempt in 20 (`n % 60 === 1`) took a backup gateway.
 */
import { hourOfWeek, type OutcomeFacts } from '@temporal-stompy/insights';
import { corpusOutcome, outcomeContext } from './outcome-corpus';

/** Weeks of event time the outcomes are spread over. */
export const INSIGHTS_WEEKS = 26;
/** The key of a third of all outcomes: the hot key the benchmark reads. */
export const HOT_KEY = 'activity:chargePayment';

const HOUR_MS = 3_600_000;
const SPAN_MS = INSIGHTS_WEEKS * 168 * HOUR_MS;
const START_MS = Date.UTC(2026, 0, 5);
const BUILDS = ['2026.1.0', '2026.2.0', '2026.3.0'] as const;

/** A `lock_context_batch` entry with its outcome (a type alias, so it is also a plain record). */
export type OutcomeEntry = {
  topic: string;
  content: string;
  tags: string[];
  outcome: { keys: string[]; facts: OutcomeFacts };
};

/** The corpus index of insights outcome `n`: an activity attempt, never a run's own outcome. */
function corpusIndex(n: number): number {
  return Math.floor(n / 3) * 4 + (n % 3);
}

/** The customer key of insights outcome `n`. */
export function customerKeyOf(n: number): string {
  return `customer:${corpusOutcome(corpusIndex(n)).customer}`;
}

/** Insights outcome `n` of a corpus of `size`: its context and its outcome. */
export function insightsOutcome(n: number, size: number): OutcomeEntry {
  const i = corpusIndex(n);
  const { activity = 'chargePayment', customer, issue, durationMs } = corpusOutcome(i);
  const eventTimeMs = START_MS + Math.floor((n * SPAN_MS) / size);
  const facts: OutcomeFacts = {
    kind: 'activity',
    workflowType: 'OrderWorkflow',
    activityType: activity,
    failed: issue !== undefined,
    ...(issue ? { issue: issue[0], message: issue[1] } : {}),
    durationMs,
    eventTimeMs,
    timeZone: 'UTC',
    window: hourOfWeek(eventTimeMs),
    version: BUILDS[Math.min(BUILDS.length - 1, Math.floor((n * BUILDS.length) / size))],
    ...(n % 60 === 1 ? { handling: 'backup-gateway' } : {}),
  };
  const context = outcomeContext(i);
  return {
    ...context,
    outcome: { keys: [`activity:${activity}`, `customer:${customer}`], facts },
  };
}

/** Which key an `outcome_insights` call of the benchmark asks about. */
export type InsightsKeyKind = 'hot' | 'entity';

/** The keys of the `n`-th timed call: the hot key, or a different customer's key each time. */
export function insightsKeys(kind: InsightsKeyKind, n: number, size: number): string[] {
  return [kind === 'hot' ? HOT_KEY : customerKeyOf((n * 7919) % size)];
}
