import type { Database } from 'better-sqlite3';
import { invalidInput, StoreError } from './errors';
import type { LockContextInput, LockContextResult } from './types';

/** Most contexts one `lock_context_batch` call may write. */
export const MAX_BATCH_CONTEXTS = 100;

/** Arguments of `lock_context_batch`: Stompy's `lock_context` arguments, many at once. */
export interface LockContextBatchInput {
  contexts: readonly Omit<LockContextInput, 'project'>[];
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
 * Prepares `lock_context_batch`, this server's extra to Stompy's surface: many `lock_context` calls
 * in one transaction (one write lock, one fsync). Each entry runs in its own savepoint, so a refused
 * entry (bad input, insufficient novelty) changes nothing and the others are still stored.
 */
export function prepareLockContextBatch(
  db: Database,
  lockOne: (input: LockContextInput) => LockContextResult,
): (input: LockContextBatchInput) => LockContextBatchResult {
  const writeAll = db.transaction((contexts: readonly LockContextInput[]): LockContextBatchResult => {
    const results = contexts.map((context): LockContextBatchEntry => {
      try {
        return lockOne(context);
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        return { topic: String(context.topic), error: error.code, message: error.message, ...error.details };
      }
    });
    const refused = results.filter((r) => 'error' in r).length;
    return { results, stored: results.length - refused, refused };
  });

  return (input) => {
    const count: unknown = Array.isArray(input.contexts) ? input.contexts.length : undefined;
    if (typeof count !== 'number' || count === 0 || count > MAX_BATCH_CONTEXTS) {
      throw invalidInput('contexts', `give 1 to ${MAX_BATCH_CONTEXTS} contexts`);
    }
    const contexts = input.contexts.map((c) =>
      input.project === undefined ? c : { ...c, project: input.project },
    );
    return writeAll.immediate(contexts);
  };
}
