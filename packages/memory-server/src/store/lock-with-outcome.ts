import type { Database } from 'better-sqlite3';
import { validateOutcome, type OutcomeInput } from './outcome-input';
import type { OutcomeRecorder } from './record-outcome';
import type { LockContextInput, LockContextResult } from './types';

/** `lock_context`'s arguments, and optionally the outcome the context records (`lock_context_batch`). */
export interface LockWithOutcomeInput extends LockContextInput {
  /** Checked at run time: a bad one refuses the entry with `invalid_input`. */
  outcome?: OutcomeInput;
}

/**
 * Prepares a `lock_context` that also counts the outcome an entry carries: in one transaction (a
 * savepoint inside a group write), the context is stored and, only when it was newly stored, its
 * outcome is recorded (once per project and topic, see `record-outcome.ts`). Inside a group write the
 * group writes the counts at its end; a call alone writes them in its own transaction. A bad outcome
 * refuses the entry before anything is written; an entry without one is a plain `lock_context`.
 */
export function prepareLockWithOutcome(
  db: Database,
  lockOne: (input: LockContextInput) => LockContextResult,
  recorder: OutcomeRecorder,
): (input: LockWithOutcomeInput) => LockContextResult {
  const write = db.transaction(
    (input: LockContextInput, outcome: OutcomeInput, alone: boolean): LockContextResult => {
      const result = lockOne(input);
      if (result.created && recorder.record(result.project, result.topic, outcome) && alone) {
        recorder.writeCounts();
      }
      return result;
    },
  );
  return ({ outcome, ...input }) => {
    if (outcome === undefined || outcome === null) return lockOne(input);
    return write.immediate(input, validateOutcome(outcome), !db.inTransaction);
  };
}
