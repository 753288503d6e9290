// Generated outcomes for the insights tests: seeded, varied (keys, handling labels, versions, time
// zones, failures with and without issues and messages, equal event times), in write order.
import { hourOfWeek, type OutcomeFacts } from '@temporal-stompy/insights';

/** One outcome as `lock_context_batch` writes it: its topic, note, keys and facts. */
export interface GeneratedOutcome {
  readonly topic: string;
  readonly content: string;
  readonly keys: readonly string[];
  readonly facts: OutcomeFacts;
}

/** A small seeded random source (xorshift32): the same seed gives the same outcomes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}

const HOUR_MS = 3_600_000;
const START_MS = Date.UTC(2026, 0, 5);
/** The instant one outcome in 20 happens at: every key's latest outcome is a tie of several writes. */
const LAST_MS = START_MS + 10 * 168 * HOUR_MS;
const ACTIVITIES = ['chargePayment', 'reserveInventory', 'shipOrder'] as const;
const HANDLINGS = [undefined, undefined, undefined, 'backup-gateway', 'retry-later'] as const;
const VERSIONS = [undefined, '2026.1.0', '2026.2.0', '2026.3.1'] as const;
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York'] as const;
const ISSUES = [undefined, 'GatewayTimeout', 'CardDeclined', 'timed_out'] as const;

/**
 * `count` outcomes of `OrderWorkflow` runs over 10 weeks: activity attempts (keys `activity:<type>`,
 * `customer:<id>`, and sometimes `region:<name>`) and workflow runs (`workflow:OrderWorkflow`,
 * `customer:<id>`). Event times fall on whole quarter hours, and one outcome in 20 at the very end,
 * so a key has several outcomes at the same instant (ties for its last failure and its time zone).
 */
export function generateOutcomes(count: number, seed: number, customers = 30): GeneratedOutcome[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return Array.from({ length: count }, (_, i): GeneratedOutcome => {
    const isActivity = random() < 0.8;
    const activityType = pick(ACTIVITIES);
    const customer = `customer:C${Math.floor(random() * customers)}`;
    const eventTimeMs =
      random() < 0.05 ? LAST_MS : START_MS + Math.floor(random() * 10 * 168 * 4) * (HOUR_MS / 4);
    const timeZone = pick(TIME_ZONES);
    const failed = random() < (activityType === 'chargePayment' ? 0.2 : 0.06);
    const issue = failed ? pick(ISSUES) : undefined;
    const keys = isActivity
      ? [`activity:${activityType}`, customer, ...(random() < 0.3 ? ['region:eu'] : [])]
      : ['workflow:OrderWorkflow', customer];
    const handling = isActivity ? pick(HANDLINGS) : undefined;
    const version = pick(VERSIONS);
    const topic = `temporal:${isActivity ? 'act' : 'wf'}:default:order-${i}:run-${seed}`;
    const facts: OutcomeFacts = {
      kind: isActivity ? 'activity' : 'workflow',
      workflowType: 'OrderWorkflow',
      ...(isActivity ? { activityType } : {}),
      failed,
      ...(issue === undefined ? {} : { issue }),
      ...(failed && random() < 0.8 ? { message: `failure ${i} of ${issue ?? 'something'}` } : {}),
      durationMs: random() < 0.02 ? 0 : Math.round(5 + random() ** 3 * 8000),
      eventTimeMs,
      timeZone,
      window: hourOfWeek(eventTimeMs, timeZone),
      ...(version === undefined ? {} : { version }),
      ...(handling === undefined ? {} : { handling }),
      ...(random() < 0.5 ? { topic } : {}),
    };
    const content = `Outcome ${i}: ${facts.kind} ${activityType} for ${customer}, ${failed ? 'failed' : 'completed'}`;
    return { topic, content, keys, facts };
  });
}

/** The facts of the outcomes counted under `key`, in write order. */
export function factsOfKey(outcomes: readonly GeneratedOutcome[], key: string): OutcomeFacts[] {
  return outcomes.filter((o) => o.keys.includes(key)).map((o) => o.facts);
}

/** Every key the outcomes are counted under, sorted. */
export function keysOf(outcomes: readonly GeneratedOutcome[]): string[] {
  return [...new Set(outcomes.flatMap((o) => o.keys))].sort();
}

/** `lock_context_batch` entries for outcomes: each context with its outcome. */
export function batchEntries(outcomes: readonly GeneratedOutcome[]): Record<string, unknown>[] {
  return outcomes.map((o) => ({
    topic: o.topic,
    content: o.content,
    outcome: { keys: o.keys, facts: o.facts },
  }));
}
