/** The numbers a setting accepts: from `min` (or above it, when `minExclusive`) to `max`, whole when `integer`. */
export interface NumberRange {
  readonly min: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly integer?: boolean;
}

/**
 * What is wrong with a number setting, as the end of a sentence that starts with its name ("must be
 * a whole number from 1 to 100, not 1.5"), or undefined when `value` is in the range. The one number
 * validator of the plugin: options, outbox and delivery settings all say it the same way.
 */
export function numberProblem(value: unknown, range: NumberRange): string | undefined {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (range.minExclusive ? value > range.min : value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (!range.integer || Number.isInteger(value));
  return ok ? undefined : `must be ${describeRange(range)}, not ${show(value)}`;
}

/**
 * A numeric setting of a component: `fallback` when undefined, the value when in range, else a
 * TypeError naming the component and the setting (`OutcomeOutbox: maxPending must be ...`).
 */
export function checkedNumber(
  owner: string,
  name: string,
  value: number | undefined,
  fallback: number,
  range: NumberRange,
): number {
  if (value === undefined) return fallback;
  const problem = numberProblem(value, range);
  if (problem) throw new TypeError(`${owner}: ${name} ${problem}`);
  return value;
}

/** Positive numbers, the most common range of a setting. */
export const POSITIVE: NumberRange = { min: 0, minExclusive: true };
/** Zero or more. */
export const NON_NEGATIVE: NumberRange = { min: 0 };

function describeRange({ min, max, minExclusive, integer }: NumberRange): string {
  const kind = integer ? 'a whole number' : 'a number';
  if (max !== undefined) return `${kind} from ${min} to ${max}`;
  return minExclusive ? `${kind} above ${min}` : `${kind} of at least ${min}`;
}

/** A value as message text: NaN and Infinity as themselves (JSON would say null). */
export function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
