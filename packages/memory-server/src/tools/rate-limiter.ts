/** A call the limiter let through, with the usage of the window it now counts in. */
export interface RateLimitGrant {
  readonly allowed: true;
  /** Calls in the current window, this one included. */
  readonly used: number;
  readonly limit: number;
  /** Epoch ms at which the oldest counted call leaves the window, freeing a slot. */
  readonly resetsAt: number;
}

/** A call the limiter refused, and when a slot frees. */
export interface RateLimitDenial {
  readonly allowed: false;
  readonly limit: number;
  readonly windowMs: number;
  /** Milliseconds until a slot frees. */
  readonly retryAfterMs: number;
}

/** What {@link SlidingWindowRateLimiter.tryAcquire} decided. */
export type RateLimitDecision = RateLimitGrant | RateLimitDenial;

/**
 * A sliding-window rate limit: at most `limit` calls in any `windowMs` span. It remembers the time of
 * each call still in the window (a ring buffer of `limit` slots), so a burst at the end of one minute
 * and another at the start of the next cannot add up to twice the limit, as with fixed windows.
 * One instance is shared by every MCP server of the process.
 */
export class SlidingWindowRateLimiter {
  private readonly times: number[];
  private start = 0;
  private count = 0;

  constructor(
    /** Calls allowed per window. */
    readonly limit: number,
    /** Window length in milliseconds. */
    readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
    this.times = new Array<number>(limit).fill(0);
  }

  /** Counts one call if the window has room, and says whether it may proceed. */
  tryAcquire(): RateLimitDecision {
    const now = this.now();
    while (this.count > 0 && (this.times[this.start] ?? 0) <= now - this.windowMs) {
      this.start = (this.start + 1) % this.limit;
      this.count--;
    }
    if (this.count === this.limit) {
      const oldest = this.times[this.start] ?? now;
      return {
        allowed: false,
        limit: this.limit,
        windowMs: this.windowMs,
        retryAfterMs: oldest + this.windowMs - now,
      };
    }
    this.times[(this.start + this.count) % this.limit] = now;
    this.count++;
    const oldest = this.times[this.start] ?? now;
    return { allowed: true, used: this.count, limit: this.limit, resetsAt: oldest + this.windowMs };
  }
}
