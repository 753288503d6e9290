import { cutText } from './cut-text';

// The business time of an outcome, as a rule's `eventTime` gives it: what counts as a time, and what
// is left out as garbage (the outcome then counts at its attempt's or run's start). Pure: safe in
// the workflow sandbox.

/** The earliest event time taken as real: 1900-01-01 UTC (earlier is a unit mistake or a placeholder). */
export const EARLIEST_EVENT_TIME_MS = Date.UTC(1900, 0, 1);
/**
 * The first instant after the latest event time taken as real: the year 10000 (a microsecond
 * timestamp read as milliseconds lands about 55,000 years ahead).
 */
export const LATEST_EVENT_TIME_MS = Date.UTC(10000, 0, 1);
/** Longest rejected value a log line shows. */
const MAX_SHOWN_VALUE_LENGTH = 100;

/**
 * An event time as ISO text, from an ISO/date string, epoch milliseconds or a Date; undefined for
 * anything else, for a time that is not finite, and for one outside the years 1900 to 9999.
 */
export function eventTimeOf(value: unknown): string | undefined {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Date.parse(value)
          : NaN;
  return isEventTimeMs(ms) ? new Date(ms).toISOString() : undefined;
}

/** The epoch milliseconds of an event time's text, when it is a time {@link eventTimeOf} takes; else undefined. */
export function eventTimeMsOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return isEventTimeMs(ms) ? ms : undefined;
}

function isEventTimeMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_EVENT_TIME_MS && ms < LATEST_EVENT_TIME_MS;
}

/**
 * A value a rule gave as its event time, as a log line shows it: a string quoted and cut, a number as
 * it is, anything else by its kind. Total: it never throws, whatever the value.
 */
export function describeEventTimeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(cutText(value, MAX_SHOWN_VALUE_LENGTH));
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? 'Invalid Date' : `Date ${ms}`;
  }
  return value === null ? 'null' : `a value of type ${typeof value}`;
}
