import { performance } from 'node:perf_hooks';
import type { MemoryStore } from '@temporal-stompy/memory-server';
import { insightsOutcome } from './insights-corpus';

/** How the bulk goes into a store: contexts per `lockMany` call and calls in flight at once. */
export interface PopulatePlan {
  readonly perCall: number;
  readonly inFlight: number;
}

/**
 * SQLite writes one transaction at a time (a call blocks the event loop), so bigger calls are all that
 * helps; PostgreSQL writes transactions side by side on its pool's connections, so a few calls in flight
 * keep both the database and this process busy.
 */
export const POPULATE_PLANS: Record<MemoryStore['kind'], PopulatePlan> = {
  sqlite: { perCall: 500, inFlight: 1 },
  postgres: { perCall: 250, inFlight: 3 },
};

/** Longest one populating call may take before the benchmark gives up. */
const CALL_TIMEOUT_MS = 120_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Writes insights outcomes 0 to `size` (contexts with their keys and facts, `insights-corpus.ts`)
 * through the store's `lockMany`, the path `lock_context_batch` takes, by `plan`; throws when one is
 * refused. Reports progress every 10% to `log`; resolves with the seconds it took.
 */
export async function populateOutcomes(
  store: MemoryStore,
  size: number,
  plan: PopulatePlan,
  log: (line: string) => void,
): Promise<number> {
  const started = performance.now();
  const step = Math.max(plan.perCall, Math.ceil(size / 10 / plan.perCall) * plan.perCall);
  let next = 0;
  let failed = false;
  const writer = async (): Promise<void> => {
    while (next < size && !failed) {
      const start = next;
      next += plan.perCall;
      const contexts = [];
      for (let n = start; n < Math.min(size, start + plan.perCall); n++)
        contexts.push(insightsOutcome(n, size));
      const results = await withTimeout(
        store.lockMany(contexts),
        CALL_TIMEOUT_MS,
        `populating ${store.kind}`,
      ).catch((error: unknown) => {
        failed = true;
        throw error;
      });
      const refused = results.find((r) => r instanceof Error);
      if (refused) {
        failed = true;
        throw new Error(`outcome refused while populating ${store.kind}: ${String(refused)}`);
      }
      const done = start + contexts.length;
      if (done % step === 0 && done < size) {
        const seconds = (performance.now() - started) / 1000;
        log(
          `  ${store.kind}: ${done.toLocaleString('en')} outcomes in ${seconds.toFixed(0)} s (${Math.round(done / seconds)}/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: plan.inFlight }, writer));
  return (performance.now() - started) / 1000;
}
