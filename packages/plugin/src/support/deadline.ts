/** What {@link withDeadline} resolves with when the time ran out before the work settled. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/** The timers a deadline uses: the real ones, or a test's clock. */
export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers. The deadline's timer is not `unref`ed: whoever awaits it wants an answer. */
const realTimers: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Waits for `work` at most `ms`: its value when it settles in time, {@link TIMED_OUT} when the time
 * runs out first (the work goes on; nobody waits for it any more). A rejection within the time is
 * passed on. The one race-with-a-timeout of the plugin: recall's budget, a connect's deadline, a
 * flush's time limit all wait this way, and the timer is always cleared.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  timers: DeadlineTimers = realTimers,
): Promise<T | typeof TIMED_OUT> {
  let handle: unknown;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    handle = timers.setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    timers.clearTimeout(handle);
  }
}
