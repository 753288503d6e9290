import type { Database } from 'better-sqlite3';
import { invalidInput, StoreError } from './errors';
import type { LockWithOutcomeInput } from './lock-with-outcome';
import type { OutcomeRecorder } from './record-outcome';
import type { LockContextResult } from './types';

/** Most contexts one `lock_context_batch` call may write. */
export const MAX_BATCH_CONTEXTS = 100;

/**
 * Arguments of `lock_context_batch`: Stompy's `lock_context` arguments, many at once, each with the
 * outcome it records when it records one.
 */
export interface LockContextBatchInput {
  contexts: readonly Omit<LockWithOutcomeInput, 'project'>[];
  project?: string;
}

/** One entry's result: what `lock_context` returns, or why that entry alone was refused. */
export type LockContextBatchEntry =
  | LockContextResult
  | { topic: string; error: StoreError['code']; message: string; [detail: string]: unknown };

/** Result of `lock_context_batch`: one entry per context, in order. */
export interface LockContextBatchResult {
  results: LockContextBatchEntry[];
  stored: number;
  refused: number;
}

/**
 * Prepares a group write: many `lock_context` calls in one transaction (one write lock, one commit).
 * Each entry runs in its own savepoint, so a refused entry (bad input, insufficient novelty) changes
 * nothing and comes back as its StoreError, while the others are stored; the outcomes the stored
 * entries recorded are counted at the end, summed per key. Any other error fails the whole group and
 * stores nothing.
 */
export function prepareLockGroup(
  db: Database,
  lockOne: (input: LockWithOutcomeInput) => LockContextResult,
  recorder: OutcomeRecorder,
): (contexts: readonly LockWithOutcomeInput[]) => (LockContextResult | StoreError)[] {
  const writeAll = db.transaction((contexts: readonly LockWithOutcomeInput[]) => {
    try {
      const results = contexts.map((context): LockContextResult | StoreError => {
        try {
          return lockOne(context);
        } catch (error) {
          if (error instanceof StoreError) return error;
          throw error;
        }
      });
      recorder.writeCounts();
      return results;
    } finally {
      recorder.discardCounts();
    }
  });
  return (contexts) => writeAll.immediate(contexts);
}

/**
 * Prepares `lock_context_batch`, this server's extra to Stompy's surface: many `lock_context` calls
 * in one group write (see {@link prepareLockGroup}), with a result or a refusal per entry, in order.
 */
export function prepareLockContextBatch(
  writeGroup: (contexts: readonly LockWithOutcomeInput[]) => (LockContextResult | StoreError)[],
): (input: LockContextBatchInput) => LockContextBatchResult {
  return (input) => {
    const contexts = batchContexts(input);
    return batchResult(contexts, writeGroup(contexts));
  };
}

/** Checks the number of a batch's contexts and gives each the batch's project when it names one. */
export function batchContexts(input: LockContextBatchInput): LockWithOutcomeInput[] {
  const count: unknown = Array.isArray(input.contexts) ? input.contexts.length : undefined;
  if (typeof count !== 'number' || count === 0 || count > MAX_BATCH_CONTEXTS) {
    throw invalidInput('contexts', `give 1 to ${MAX_BATCH_CONTEXTS} contexts`);
  }
  return input.contexts.map((c) => (input.project === undefined ? c : { ...c, project: input.project }));
}

/** `lock_context_batch`'s result from a group write's outcomes: refusals in Stompy's shape, per entry. */
export function batchResult(
  contexts: readonly LockWithOutcomeInput[],
  outcomes: readonly (LockContextResult | StoreError)[],
): LockContextBatchResult {
  const results = outcomes.map((outcome, i): LockContextBatchEntry =>
    outcome instanceof StoreError
      ? {
          topic: String(contexts[i]?.topic),
          error: outcome.code,
          message: outcome.message,
          ...outcome.details,
        }
      : outcome,
  );
  const refused = results.filter((r) => 'error' in r).length;
  return { results, stored: results.length - refused, refused };
}
