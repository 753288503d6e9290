import type { DeadlineTimers } from '../../support/deadline';

/** Time and timers of delivery, injectable for tests. */
export interface DeliveryClock {
  now(): number;
  /**
   * `keepAlive`: the timer belongs to something a caller awaits (flush, stop) and must keep the
   * process alive until it fires; background timers must not.
   */
  setTimeout(callback: () => void, ms: number, keepAlive: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; background timers are `unref`ed so delivery never keeps a process alive by itself. */
export const systemClock: DeliveryClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms, keepAlive) => {
    const timer = setTimeout(callback, ms);
    if (!keepAlive) timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The clock's timers for a deadline someone awaits (kept alive until it fires). */
export function awaitedTimers(clock: DeliveryClock): DeadlineTimers {
  return {
    setTimeout: (callback, ms) => clock.setTimeout(callback, ms, true),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}
