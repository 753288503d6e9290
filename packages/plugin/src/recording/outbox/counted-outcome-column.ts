import { outcomeFactsProblem } from '@temporal-stompy/insights';
import type { CountedOutcome } from '../../mcp/stompy-client';

/** Most keys an outcome is counted under, as the memory server accepts them. */
const MAX_KEYS = 20;

/** What the `outcome` column of a pending row holds: an outcome's keys and facts, or why they cannot be used. */
export type CountedOutcomeColumn =
  | { readonly outcome: CountedOutcome | undefined; readonly problem?: undefined }
  | { readonly outcome?: undefined; readonly problem: string };

/**
 * Reads the `outcome` column (JSON) of a pending row. NULL (a row of an older plugin, or a write of no
 * outcome) reads as no outcome; anything else that is not an outcome's keys and facts reads as a
 * problem, and the entry is delivered without them (its note matters more than its counts).
 */
export function readCountedOutcome(text: string | null): CountedOutcomeColumn {
  if (text === null) return { outcome: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'the outcome column is not JSON' };
  }
  if (typeof value !== 'object' || value === null) return { problem: 'the outcome column is not an object' };
  const { keys, facts } = value as { keys?: unknown; facts?: unknown };
  if (
    !Array.isArray(keys) ||
    keys.length === 0 ||
    keys.length > MAX_KEYS ||
    !keys.every((k) => typeof k === 'string' && k !== '')
  ) {
    return { problem: `outcome keys must be 1 to ${MAX_KEYS} non-empty strings` };
  }
  const problem = outcomeFactsProblem(facts);
  if (problem !== undefined) return { problem };
  return { outcome: { keys: keys as string[], facts: facts as CountedOutcome['facts'] } };
}
