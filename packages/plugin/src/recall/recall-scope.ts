import { AsyncLocalStorage } from 'node:async_hooks';
import type { RecalledContext } from './recalled-context';

const scope = new AsyncLocalStorage<RecalledContext | undefined>();

/** Runs `fn` with `context` as the value `recalledContext()` returns anywhere in its async call tree. */
export function runWithRecalledContext<T>(context: RecalledContext | undefined, fn: () => T): T {
  return scope.run(context, fn);
}

/**
 * The memory recalled for the running activity attempt: relevant past outcomes and a summary per
 * key. Undefined outside an activity, when no rule asked for recall, or when nothing was recalled.
 */
export function recalledContext(): RecalledContext | undefined {
  return scope.getStore();
}
