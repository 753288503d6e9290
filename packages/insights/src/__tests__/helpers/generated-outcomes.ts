// Generated outcome sets for the statistics tests: a seeded random source, and facts for an attempt.
import { hourOfWeek } from '../../hour-of-week';
import type { OutcomeFacts } from '../../outcome-facts';

export const HOUR_MS = 3_600_000;
export const WEEK_MS = 168 * HOUR_MS;
/** Monday 2026-01-05 00:00 UTC: week 0, window 0 of the generated histories. */
export const EPOCH_MONDAY = Date.UTC(2026, 0, 5);

/** A small, seeded random source (mulberry32): the same seed gives the same history. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The facts of one activity attempt; its window is computed from its time in `timeZone`. */
export function attempt(
  eventTimeMs: number,
  failed: boolean,
  extra: Partial<OutcomeFacts> = {},
): OutcomeFacts {
  const timeZone = extra.timeZone ?? 'UTC';
  return {
    kind: 'activity',
    workflowType: 'OrderWorkflow',
    activityType: 'chargePayment',
    failed,
    ...(failed ? { issue: 'GatewayTimeout', message: 'the gateway timed out' } : {}),
    durationMs: 120,
    eventTimeMs,
    timeZone,
    window: hourOfWeek(eventTimeMs, timeZone),
    ...extra,
  };
}

/** The instant of `window` (hour of the week, UTC) in week `week`, plus `minute` minutes. */
export function at(week: number, window: number, minute = 0): number {
  return EPOCH_MONDAY + week * WEEK_MS + window * HOUR_MS + minute * 60_000;
}
