import type { OutcomeFacts } from '@temporal-stompy/insights';
import { invalidInput } from './errors';
import type { StoreSettings } from './settings';
import { validateProject } from './validation';

// What the web page reads beside `outcome_insights`: lists of keys, a key's hours and outcomes, a
// memory's days. Every figure is summed by the database from the same count tables insights read, so
// a page and the tool never disagree; every list is a range scan of a primary key, a page at a time.

/** The kinds of keys: a type key per outcome (`activity:chargePayment`, `workflow:OrderWorkflow`), or an entity. */
export type KeyKind = 'activity' | 'workflow' | 'entity';

/** Most rows one page of keys or outcomes may ask for. */
export const MAX_BROWSE_LIMIT = 200;

/** Every outcome counted under one key, whatever its handling label. */
export interface KeyTotals {
  readonly key: string;
  readonly runs: number;
  readonly failures: number;
}

/** A page of keys of one kind, most failures first (then most runs, then by name). */
export interface KeyPage {
  /** Keys of that kind in the project. */
  readonly total: number;
  readonly keys: readonly KeyTotals[];
}

/** Default-path (unlabelled) runs and failures of a key in one hour of event time. */
export interface HourTotals {
  /** Hours since the epoch: `floor(eventTimeMs / 3,600,000)`. */
  readonly hour: number;
  readonly runs: number;
  readonly failures: number;
}

/** Runs and failures of one kind of outcome (workflow runs, activity attempts) in one UTC day. */
export interface DayTotals {
  /** Days since the epoch. */
  readonly day: number;
  readonly kind: 'workflow' | 'activity';
  readonly runs: number;
  readonly failures: number;
}

/** An outcome as it was stored: its facts and keys, its topic, and when the server stored it. */
export interface StoredOutcome {
  /** Its row in the outcome table: write order. */
  readonly id: number;
  readonly topic: string;
  readonly facts: OutcomeFacts;
  readonly keys: readonly string[];
  /** When its note was stored (epoch milliseconds); undefined when the note was deleted since. */
  readonly storedAtMs: number | undefined;
}

/** Where a page of outcomes continues: after the last one shown. */
export interface OutcomeCursor {
  readonly hour: number;
  readonly id: number;
}

/** Which of a key's outcomes to list. */
export interface KeyOutcomesQuery {
  readonly project: string;
  readonly key: string;
  /** Only outcomes in these hours of event time (the hours of a window); all when absent. */
  readonly hours?: readonly number[] | undefined;
  /** `newest` first (default) or `oldest` first. */
  readonly order?: 'newest' | 'oldest';
  /** Continue after this outcome, in the order asked. */
  readonly after?: OutcomeCursor | undefined;
  readonly limit: number;
}

/** A page of a key's outcomes, and where the next page starts (undefined: none). */
export interface OutcomePage {
  readonly outcomes: readonly StoredOutcome[];
  readonly next: OutcomeCursor | undefined;
}

/**
 * The reads behind the web page, on either database: keys of a kind with their totals, a key's
 * default-path hours (for a heat map in any time zone), a memory's failure rate per day, a key's
 * outcomes a page at a time, one outcome by topic and the newest outcomes (freshness). Read-only:
 * nothing here counts an access.
 */
export interface OutcomeBrowser {
  /** Keys of a kind with their totals, most failures first. */
  keys(project: string, kind: KeyKind, limit: number, offset?: number): Promise<KeyPage>;
  /** A key's default-path runs and failures per hour of event time, oldest first. */
  hours(project: string, key: string): Promise<readonly HourTotals[]>;
  /** Workflow runs and activity attempts per UTC day of event time, oldest first. */
  days(project: string): Promise<readonly DayTotals[]>;
  /** A key's outcomes by hour of event time (then write order), a page at a time. */
  outcomes(query: KeyOutcomesQuery): Promise<OutcomePage>;
  /** The outcome stored under a topic, or undefined. */
  outcome(project: string, topic: string): Promise<StoredOutcome | undefined>;
  /** The outcomes whose notes were stored last (the latest live versions), newest first. */
  newest(project: string, limit: number): Promise<readonly StoredOutcome[]>;
  /** A topic's live versions, oldest first (archived ones are hidden, as from every read). */
  versions(project: string, topic: string): Promise<readonly TopicVersion[]>;
  /** The names of the projects ever written to, sorted; cheap however many contexts there are. */
  projects(): Promise<readonly string[]>;
}

/** One live version of a topic, and when it was stored. */
export interface TopicVersion {
  readonly version: string;
  readonly storedAtMs: number;
}

/** The hour of event time an outcome is filed under for its keys. */
export function outcomeHour(facts: OutcomeFacts): number {
  return Math.floor(facts.eventTimeMs / 3_600_000);
}

/** Checks a browse request's project and limit (1 to {@link MAX_BROWSE_LIMIT}); returns the project. */
export function browseRequest(settings: StoreSettings, project: string, limit: number): string {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BROWSE_LIMIT) {
    throw invalidInput('limit', `must be an integer from 1 to ${MAX_BROWSE_LIMIT}`);
  }
  return validateProject(project, settings.defaultProject);
}

/** A stored outcome from a row's columns (facts and keys as JSON text or already parsed). */
export function storedOutcome(row: {
  id: number | string;
  topic: string;
  facts: unknown;
  keys: unknown;
  stored_at: number | string | null;
}): StoredOutcome {
  const parse = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);
  return {
    id: Number(row.id),
    topic: row.topic,
    facts: parse(row.facts) as OutcomeFacts,
    keys: parse(row.keys) as string[],
    storedAtMs: row.stored_at === null ? undefined : Number(row.stored_at),
  };
}
