/** A token bucket: `perMinute` tokens a minute, at most `capacity` saved up. Unlimited when `perMinute` is infinite. */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly perMinute: number,
    private readonly capacity: number,
    private last: number,
  ) {
    this.tokens = capacity;
  }

  /** Milliseconds until a token is available (0: now). */
  waitMs(now: number): number {
    if (!Number.isFinite(this.perMinute)) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }

  /** Takes a token (the balance may go below zero: the next wait is longer). */
  take(now: number): void {
    if (!Number.isFinite(this.perMinute)) return;
    this.refill(now);
    this.tokens -= 1;
  }

  /** Takes `count` tokens if they are all there now; never waits, never goes below zero. */
  tryTake(now: number, count: number): boolean {
    if (!Number.isFinite(this.perMinute)) return true;
    this.refill(now);
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  private refill(now: number): void {
    if (now > this.last)
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = Math.max(this.last, now);
  }
}
