import { FixedWindow, SlidingWindow, type CallWindow } from './call-windows';
import { RateLimiter } from './rate-limiter';

/** Length of the per-minute window. */
export const MINUTE_MS = 60_000;
/** Length of the burst window: hosted Stompy caps calls per 10 seconds besides calls per minute. */
export const BURST_WINDOW_MS = 10_000;

/** The limits every caller gets (each caller its own budget): at least one of the two caps is set. */
export interface RateLimitPolicy {
  /** Calls per minute; `null`: no per-minute cap. */
  readonly perMinute: number | null;
  /** Calls per 10 seconds; `null`: no burst cap. */
  readonly burstPer10s: number | null;
  /**
   * `fixed`: windows aligned on the epoch, counted afresh each window (hosted Stompy's counters, keyed
   * by user and window). `sliding`: any span of the window's length.
   */
  readonly window: 'fixed' | 'sliding';
}

/** Callers remembered before idle ones are forgotten (their windows hold no call). */
const MAX_CALLERS_BEFORE_SWEEP = 10_000;

/**
 * A rate limiter per caller, made on first use from one policy: two bearer tokens never share a
 * budget. A caller is named by a key that says who it is without holding a secret (see
 * `transports/http-caller.ts`). Callers whose windows are empty are forgotten once many are known, so
 * a client that makes up a token per request cannot grow the map without bound.
 */
export class CallerRateLimits {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(
    readonly policy: RateLimitPolicy,
    private readonly now: () => number,
  ) {
    if (policy.perMinute === null && policy.burstPer10s === null) {
      throw new RangeError('a rate limit policy needs a per-minute or a burst cap');
    }
  }

  /** The limiter of the caller named `key`, made on first use. */
  forCaller(key: string): RateLimiter {
    let limiter = this.limiters.get(key);
    if (limiter === undefined) {
      if (this.limiters.size >= MAX_CALLERS_BEFORE_SWEEP) this.forgetIdle();
      limiter = new RateLimiter(this.windows(), this.now);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** How many callers are remembered (for tests and metrics). */
  get callerCount(): number {
    return this.limiters.size;
  }

  /** The keys of the callers remembered: hashes and addresses, never a token. */
  callerKeys(): readonly string[] {
    return [...this.limiters.keys()];
  }

  private windows(): CallWindow[] {
    const make = (limit: number, windowMs: number): CallWindow =>
      this.policy.window === 'fixed' ? new FixedWindow(limit, windowMs) : new SlidingWindow(limit, windowMs);
    const windows: CallWindow[] = [];
    if (this.policy.perMinute !== null) windows.push(make(this.policy.perMinute, MINUTE_MS));
    if (this.policy.burstPer10s !== null) windows.push(make(this.policy.burstPer10s, BURST_WINDOW_MS));
    return windows;
  }

  private forgetIdle(): void {
    for (const [key, limiter] of this.limiters) if (limiter.isIdle()) this.limiters.delete(key);
  }
}
