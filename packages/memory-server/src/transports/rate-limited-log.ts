import type { Logger } from 'pino';

/** Keys remembered at most; past it, keys not logged within the interval are forgotten. */
const MAX_KEYS = 10_000;

interface KeyState {
  loggedAtMs: number;
  /** Events of this key since its last line. */
  unlogged: number;
}

/**
 * Warn lines rate-limited per key (a limit's name, a remote address): at most one line per key per
 * interval, carrying `count`, the number of events since that key's previous line, so a flood of
 * refusals costs one line a minute and still says how large it was.
 */
export class RateLimitedLog {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event of `key`, writing a warn line with `fields` and `count` when one is due. */
  warn(key: string, fields: Readonly<Record<string, unknown>>, message: string): void {
    const now = this.now();
    const state = this.keys.get(key);
    if (state !== undefined && now - state.loggedAtMs < this.intervalMs) {
      state.unlogged++;
      return;
    }
    this.logger.warn({ ...fields, count: (state?.unlogged ?? 0) + 1 }, message);
    if (state === undefined && this.keys.size >= MAX_KEYS) this.forgetOld(now);
    this.keys.set(key, { loggedAtMs: now, unlogged: 0 });
  }

  private forgetOld(now: number): void {
    for (const [key, state] of this.keys) {
      if (now - state.loggedAtMs >= this.intervalMs) this.keys.delete(key);
    }
  }
}
