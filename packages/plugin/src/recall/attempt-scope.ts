import { AsyncLocalStorage } from 'node:async_hooks';
import { cutText } from '../common/cut-text';
import type { RecalledContext } from './recalled-context';

/**
 * What an activity attempt run by the plugin carries through its async call tree: the memory recalled
 * for it (read by `recalledContext()`) and the handling it chose (set by `recordHandling()`, read by
 * the interceptor when it records the attempt's outcome).
 */
export interface AttemptScope {
  readonly recalled: RecalledContext | undefined;
  /** The handling label the attempt chose last; undefined: the default path. */
  handling: string | undefined;
  /** The last label `recordHandling` refused (empty once trimmed, or not a string), as a log line shows it. */
  refusedHandling: string | undefined;
}

/** Longest handling label, in characters; a longer one is cut. */
export const MAX_HANDLING_LENGTH = 100;

const scope = new AsyncLocalStorage<AttemptScope>();
let warnedOutsideAttempt = false;

/** A new scope for an attempt that recalled `recalled`, with no handling chosen yet. */
export function attemptScope(recalled: RecalledContext | undefined): AttemptScope {
  return { recalled, handling: undefined, refusedHandling: undefined };
}

/** Runs `fn` inside `attempt`: `recalledContext()` and `recordHandling()` anywhere in its async call tree see it. */
export function runInAttemptScope<T>(attempt: AttemptScope, fn: () => T): T {
  return scope.run(attempt, fn);
}

/**
 * The memory recalled for the running activity attempt: relevant past outcomes, what the memory
 * learned about each of its keys (`insights`) and the attempt's `risk`. Undefined outside an
 * activity, when no rule asked for recall, or when nothing was recalled.
 */
export function recalledContext(): RecalledContext | undefined {
  return scope.getStore()?.recalled;
}

/**
 * Labels the running activity attempt's outcome with the handling it chose, such as
 * `'backup-gateway'`, so memory counts what worked apart from the default path. The last call wins.
 * The label is trimmed, put on one line and cut to 100 characters; an empty one is refused (and
 * logged with the attempt). Outside an attempt run by the plugin it does nothing and warns once per
 * process. Label only the non-default path: insights count labelled attempts apart, so a failure the
 * handling avoids does not erase the evidence against the default path.
 *
 * ```ts
 * if (recalledContext()?.risk.level === 'high') {
 *   recordHandling('backup-gateway');
 *   return backupGateway.charge(order);
 * }
 * ```
 *
 * @experimental The label reaches memory servers that count outcomes (our own server, through its
 * `outcome_insights` tool) and every outcome's note; how insights use it may still change.
 */
export function recordHandling(label: string): void {
  const attempt = scope.getStore();
  if (!attempt) {
    warnOutsideAttempt();
    return;
  }
  const cleaned = handlingLabel(label);
  if (cleaned !== undefined) attempt.handling = cleaned;
  else
    attempt.refusedHandling =
      typeof label === 'string' ? JSON.stringify(cutText(label, MAX_HANDLING_LENGTH)) : typeof label;
}

/** A label as it is recorded: one line, trimmed, at most {@link MAX_HANDLING_LENGTH} characters; undefined when empty. */
export function handlingLabel(label: unknown): string | undefined {
  if (typeof label !== 'string') return undefined;
  const line = cutText(label.replace(/\s+/g, ' ').trim(), MAX_HANDLING_LENGTH).trimEnd();
  return line === '' ? undefined : line;
}

/**
 * `recordHandling` outside an attempt has no plugin to log through (a free function, maybe in a
 * process with no plugin at all): Node's own warning channel says it once per process.
 */
function warnOutsideAttempt(): void {
  if (warnedOutsideAttempt) return;
  warnedOutsideAttempt = true;
  process.emitWarning(
    'recordHandling() was called outside an activity attempt run by StompyPlugin; the label is ignored (this warning is shown once)',
    { type: 'StompyWarning', code: 'STOMPY_HANDLING_OUTSIDE_ATTEMPT' },
  );
}
