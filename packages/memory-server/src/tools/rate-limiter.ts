import { FixedWindow, SlidingWindow, type CallWindow } from './call-windows';

/** How full one window of a limit is after a call it let through. */
export interface WindowUsage {
  /** Calls allowed per window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Calls in the window, this one included. */
  readonly used: number;
  /** Epoch ms at which the window next has room again (fixed: its end; sliding: when its oldest call leaves). */
  readonly resetsAt: number;
}

/** A call the limiter let through, with the usage of the window it now counts in. */
export interface RateLimitGrant {
  readonly allowed: true;
  /** Calls in the current (first, longest) window, this one included. */
  readonly used: number;
  readonly limit: number;
  /** Epoch ms at which the first window next has room again. */
  readonly resetsAt: number;
  /** The window with the fewest calls left (what `X-RateLimit-*` headers report). */
  readonly tightest: WindowUsage;
}

/** A call the limiter refused, and when a slot frees. */
export interface RateLimitDenial {
  readonly allowed: false;
  /** Calls allowed per window, of the window that refused (the one that frees last when several are full). */
  readonly limit: number;
  readonly windowMs: number;
  /** Milliseconds until a slot frees in every full window. */
  readonly retryAfterMs: number;
}

/** What {@link RateLimiter.tryAcquire} decided. */
export type RateLimitDecision = RateLimitGrant | RateLimitDenial;

/**
 * A rate limit of one or more windows, all enforced: a call goes through only when every window has
 * room, and then counts in every window; a refused call counts in none. Hosted Stompy's plans are a
 * per-minute window and a per-10-second burst window (see `rate-limit-policy.ts`).
 */
export class RateLimiter {
  constructor(
    private readonly windows: readonly CallWindow[],
    private readonly now: () => number,
  ) {
    if (windows.length === 0) throw new RangeError('a rate limiter needs at least one window');
  }

  /** Counts one call if every window has room, and says whether it may proceed. */
  tryAcquire(): RateLimitDecision {
    const now = this.now();
    let refusing: { window: CallWindow; waitMs: number } | undefined;
    for (const window of this.windows) {
      const waitMs = window.waitMs(now);
      if (waitMs > 0 && (refusing === undefined || waitMs > refusing.waitMs)) refusing = { window, waitMs };
    }
    if (refusing !== undefined) {
      const { window, waitMs } = refusing;
      return { allowed: false, limit: window.limit, windowMs: window.windowMs, retryAfterMs: waitMs };
    }
    for (const window of this.windows) window.record(now);
    const usage = this.windows.map((window) => usageOf(window, now));
    const first = usage[0] as WindowUsage;
    const tightest = usage.reduce((a, b) => (b.limit - b.used < a.limit - a.used ? b : a));
    return { allowed: true, used: first.used, limit: first.limit, resetsAt: first.resetsAt, tightest };
  }

  /** Whether no window counts any call at `now` (an idle limiter can be forgotten). */
  isIdle(): boolean {
    const now = this.now();
    return this.windows.every((window) => window.used(now) === 0);
  }
}

function usageOf(window: CallWindow, now: number): WindowUsage {
  return {
    limit: window.limit,
    windowMs: window.windowMs,
    used: window.used(now),
    resetsAt: window.resetsAt(now),
  };
}

/**
 * A sliding-window rate limit: at most `limit` calls in any `windowMs` span, so a burst at the end of
 * one minute and another at the start of the next cannot add up to twice the limit.
 */
export class SlidingWindowRateLimiter extends RateLimiter {
  constructor(
    /** Calls allowed per window. */
    readonly limit: number,
    /** Window length in milliseconds. */
    readonly windowMs: number,
    now: () => number,
  ) {
    super([new SlidingWindow(limit, windowMs)], now);
  }
}

/** A fixed-window rate limit: at most `limit` calls per window of `windowMs` aligned on the epoch. */
export class FixedWindowRateLimiter extends RateLimiter {
  constructor(limit: number, windowMs: number, now: () => number) {
    super([new FixedWindow(limit, windowMs)], now);
  }
}
