/** One window of a rate limit: how many calls it counts, and when it has room for the next. */
export interface CallWindow {
  /** Calls allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
  /** Milliseconds until the window has room for one more call; 0 when it has room at `now`. */
  waitMs(now: number): number;
  /** Counts one call made at `now`; the caller checked {@link waitMs} first. */
  record(now: number): void;
  /** Calls the window counts at `now`. */
  used(now: number): number;
  /** Epoch ms at which the window next frees room (or resets), seen from `now`. */
  resetsAt(now: number): number;
}

function checkLimit(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
}

/**
 * At most `limit` calls in any span of `windowMs`. It remembers the time of each call still in the
 * window (a ring buffer of `limit` slots); a call leaves the window `windowMs` after it was made.
 */
export class SlidingWindow implements CallWindow {
  private readonly times: number[];
  private start = 0;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    checkLimit(limit, windowMs);
    this.times = new Array<number>(limit).fill(0);
  }

  waitMs(now: number): number {
    this.forget(now);
    if (this.count < this.limit) return 0;
    return this.oldest(now) + this.windowMs - now;
  }

  record(now: number): void {
    this.forget(now);
    this.times[(this.start + this.count) % this.limit] = now;
    this.count = Math.min(this.limit, this.count + 1);
  }

  used(now: number): number {
    this.forget(now);
    return this.count;
  }

  resetsAt(now: number): number {
    this.forget(now);
    return this.oldest(now) + this.windowMs;
  }

  private oldest(now: number): number {
    return this.count === 0 ? now : (this.times[this.start] ?? now);
  }

  private forget(now: number): void {
    while (this.count > 0 && (this.times[this.start] ?? 0) <= now - this.windowMs) {
      this.start = (this.start + 1) % this.limit;
      this.count--;
    }
  }
}

/**
 * At most `limit` calls per window of `windowMs` aligned on the epoch (minute 12:03:00-12:03:59.999,
 * ten-second span 12:03:10-12:03:19.999), the way a counter keyed by `floor(now / windowMs)` counts:
 * the count starts again at zero when a new window begins.
 */
export class FixedWindow implements CallWindow {
  private index = Number.NaN;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    checkLimit(limit, windowMs);
  }

  waitMs(now: number): number {
    return this.used(now) < this.limit ? 0 : this.resetsAt(now) - now;
  }

  record(now: number): void {
    this.count = this.used(now) + 1;
  }

  used(now: number): number {
    const index = Math.floor(now / this.windowMs);
    if (index !== this.index) {
      this.index = index;
      this.count = 0;
    }
    return this.count;
  }

  resetsAt(now: number): number {
    return (Math.floor(now / this.windowMs) + 1) * this.windowMs;
  }
}
