import { StoreError } from './errors';
import type { LockContextInput, LockContextResult } from './types';

/** Most locks written in one group; more wait for the next. */
const MAX_GROUP = 100;

interface Waiting {
  input: LockContextInput;
  resolve: (result: LockContextResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for `lock_context`: calls that arrive in the same turn of the event loop (requests from
 * concurrent clients) are written in one transaction, at the end of that turn, instead of one
 * transaction and one commit each. Each call still gets its own result or its own refusal, exactly as
 * alone: every entry runs in a savepoint, in arrival order. A lone call waits for one `setImmediate`.
 */
export class LockGroup {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly writeGroup: (
      contexts: readonly LockContextInput[],
    ) => Promise<(LockContextResult | StoreError)[]>,
  ) {}

  /** Locks `input` with the other calls of this turn; rejects with its StoreError when refused. */
  lock(input: LockContextInput): Promise<LockContextResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  /** Writes the next group; never rejects (every call of the group gets its result or its error). */
  private async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.waiting.splice(0, MAX_GROUP);
    if (this.waiting.length > 0) this.schedule();
    let outcomes: (LockContextResult | StoreError)[];
    try {
      outcomes = await this.writeGroup(group.map((w) => w.input));
    } catch (error) {
      // Nothing of the group was stored (the transaction rolled back): every call fails.
      for (const w of group) w.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const w = group[i];
      if (!w) return;
      if (outcome instanceof StoreError) w.reject(outcome);
      else w.resolve(outcome);
    });
  }
}
