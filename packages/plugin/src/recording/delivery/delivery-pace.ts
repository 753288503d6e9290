/** More calls than this in the last second make delivery busy. */
export const BUSY_CALLS_PER_SECOND = 5;
const SECOND_MS = 1_000;

/**
 * How long a kick of the delivery loop waits for more outcomes to join the call. A quiet worker
 * delivers an outcome after `quietMs`, so the next run of a customer, moments later, finds it at the
 * server; a busy one (more than {@link BUSY_CALLS_PER_SECOND} calls in the last second) waits `busyMs`,
 * so a steady stream of outcomes goes in one call per `busyMs` instead of one per outcome or two.
 */
export class DeliveryPace {
  /** When the calls of the last second were made, oldest first. */
  private readonly calls: number[] = [];

  constructor(
    private readonly quietMs: number,
    private readonly busyMs: number,
  ) {}

  /** Notes a call made at `now` (epoch ms). */
  called(now: number): void {
    this.calls.push(now);
    this.forgetBefore(now - SECOND_MS);
  }

  /** How long a kick at `now` waits: `busyMs` while delivery is busy, else `quietMs`. */
  debounceMs(now: number): number {
    this.forgetBefore(now - SECOND_MS);
    return this.calls.length > BUSY_CALLS_PER_SECOND ? this.busyMs : this.quietMs;
  }

  private forgetBefore(time: number): void {
    let old = 0;
    while (old < this.calls.length && (this.calls[old] ?? time) <= time) old += 1;
    if (old > 0) this.calls.splice(0, old);
  }
}
