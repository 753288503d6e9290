import { outcomeFactsProblem, type OutcomeFacts } from '@temporal-stompy/insights';
import { invalidInput } from './errors';
import { assertNoNul } from './validation';

/** Most keys one outcome is counted under. */
export const MAX_OUTCOME_KEYS = 20;
/** Longest key, in characters (`customer:C9`, `activity:chargePayment`). */
export const MAX_KEY_LENGTH = 200;
/** Largest event time a JavaScript `Date` can hold, in epoch milliseconds either way. */
const MAX_DATE_MS = 8.64e15;

/**
 * The outcome a `lock_context_batch` entry may carry beside its context: the keys it is counted under
 * and its structured facts. Checked at run time like every argument, since it crossed a process
 * boundary.
 */
export interface OutcomeInput {
  readonly keys: readonly string[];
  readonly facts: OutcomeFacts;
}

/**
 * Returns keys when there are 1 to `max` of them, each a non-empty string of at most
 * {@link MAX_KEY_LENGTH} characters; throws an `invalid_input` StoreError naming `field` otherwise.
 */
export function validateKeys(keys: unknown, max: number, field: string): string[] {
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > max) {
    throw invalidInput(field, `give 1 to ${max} keys, e.g. ["customer:C9", "activity:chargePayment"]`);
  }
  keys.forEach((key: unknown, i) => {
    if (typeof key !== 'string' || key === '' || key.length > MAX_KEY_LENGTH) {
      throw invalidInput(
        `${field}[${i}]`,
        `must be a non-empty string of at most ${MAX_KEY_LENGTH} characters`,
      );
    }
    assertNoNul(`${field}[${i}]`, key);
  });
  return keys as string[];
}

/**
 * Checks an entry's `outcome` and returns it with its keys without duplicates and its facts without
 * null or unknown fields (null counts as absent, as for every optional argument of this server).
 * Throws an `invalid_input` StoreError saying what is wrong.
 */
export function validateOutcome(outcome: unknown): OutcomeInput {
  if (typeof outcome !== 'object' || outcome === null || Array.isArray(outcome)) {
    throw invalidInput('outcome', 'must be an object {keys, facts}');
  }
  const { keys, facts } = outcome as { keys?: unknown; facts?: unknown };
  const unique = [...new Set(validateKeys(keys, MAX_OUTCOME_KEYS, 'outcome.keys'))];
  const problem = outcomeFactsProblem(facts);
  if (problem !== undefined) throw invalidInput('outcome.facts', problem);
  const checked = facts as OutcomeFacts;
  for (const [name, value] of Object.entries(checked)) {
    if (typeof value === 'string') assertNoNul(`outcome.facts.${name}`, value);
  }
  if (Math.abs(checked.eventTimeMs) > MAX_DATE_MS) {
    throw invalidInput('outcome.facts', 'eventTimeMs must be a time a Date can hold (epoch milliseconds)');
  }
  return { keys: unique, facts: factsWithoutNulls(checked) };
}

/** The fields of `OutcomeFacts` that are optional strings. */
const OPTIONAL_FIELDS = ['activityType', 'issue', 'message', 'version', 'handling', 'topic'] as const;

/** Checked facts with exactly the known fields, optional ones left out when null or absent. */
function factsWithoutNulls(facts: OutcomeFacts): OutcomeFacts {
  const copy: { -readonly [K in keyof OutcomeFacts]: OutcomeFacts[K] } = {
    kind: facts.kind,
    workflowType: facts.workflowType,
    failed: facts.failed,
    durationMs: facts.durationMs,
    eventTimeMs: facts.eventTimeMs,
    timeZone: facts.timeZone,
    window: facts.window,
  };
  for (const name of OPTIONAL_FIELDS) {
    const value = facts[name];
    if (value !== undefined && value !== null) copy[name] = value;
  }
  return copy;
}
