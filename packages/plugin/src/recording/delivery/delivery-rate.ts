import { checkedNumber, POSITIVE } from '../../support/number-check';

/** Options of a {@link DeliveryRate}. */
export interface DeliveryRateOptions {
  /** The sliding window the rate is measured over, in ms; default 5 minutes. */
  readonly windowMs?: number;
  /** Width of one bucket, in ms (the window is cut into `windowMs / bucketMs` of them, rounded up); default 10 s. */
  readonly bucketMs?: number;
}

/**
 * Outcomes delivered per minute over a sliding window (by default the last 5 minutes, in 10-second
 * buckets): fed with counts as deliveries happen, read whenever asked. Memory is bounded by the
 * number of buckets, whatever the rate. Pure: the clock is given, so tests move it by hand.
 *
 * Until a whole window has passed since the first reading or count, the rate is taken over the time
 * seen so far (at least one bucket), so a worker that just started does not report a fifth of its
 * real rate.
 */
export class DeliveryRate {
  private readonly bucketMs: number;
  private readonly counts: number[];
  /** The bucket number (time / bucketMs) each slot of {@link counts} holds; -1: never used. */
  private readonly slots: number[];
  private startedAt: number | undefined;

  constructor(
    private readonly now: () => number,
    options: DeliveryRateOptions = {},
  ) {
    this.bucketMs = checkedNumber('DeliveryRate', 'bucketMs', options.bucketMs, 10_000, POSITIVE);
    const windowMs = checkedNumber('DeliveryRate', 'windowMs', options.windowMs, 300_000, POSITIVE);
    const buckets = Math.max(1, Math.ceil(windowMs / this.bucketMs));
    this.counts = new Array<number>(buckets).fill(0);
    this.slots = new Array<number>(buckets).fill(-1);
  }

  /** The window's length, in ms (a whole number of buckets). */
  get windowMs(): number {
    return this.counts.length * this.bucketMs;
  }

  /** Counts `count` outcomes delivered now; anything not a positive finite number is ignored. */
  add(count: number): void {
    if (!Number.isFinite(count) || count <= 0) return;
    const slot = this.slotOf(this.bucketOf(this.now()));
    this.counts[slot] = (this.counts[slot] ?? 0) + count;
  }

  /** Outcomes delivered in the window. */
  deliveredInWindow(): number {
    const current = this.bucketOf(this.now());
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const bucket = this.slots[i] ?? -1;
      if (bucket > current - this.counts.length && bucket <= current) sum += this.counts[i] ?? 0;
    }
    return sum;
  }

  /** Outcomes delivered per minute over the window (over the time seen so far while it is shorter); 0 when none. */
  perMinute(): number {
    const now = this.now();
    this.bucketOf(now); // starts the clock at the first reading
    const delivered = this.deliveredInWindow();
    if (delivered === 0) return 0;
    // The window is the current bucket (so far) and the whole buckets before it.
    const windowSoFarMs =
      this.windowMs - this.bucketMs + (now - Math.floor(now / this.bucketMs) * this.bucketMs);
    const seenMs = now - (this.startedAt ?? now);
    const spanMs = Math.max(this.bucketMs, Math.min(windowSoFarMs, seenMs));
    return (delivered * 60_000) / spanMs;
  }

  private bucketOf(time: number): number {
    this.startedAt ??= time;
    return Math.floor(time / this.bucketMs);
  }

  /** The slot of `bucket`, emptied first when it held an older bucket. */
  private slotOf(bucket: number): number {
    const slot = ((bucket % this.counts.length) + this.counts.length) % this.counts.length;
    if (this.slots[slot] !== bucket) {
      this.slots[slot] = bucket;
      this.counts[slot] = 0;
    }
    return slot;
  }
}
