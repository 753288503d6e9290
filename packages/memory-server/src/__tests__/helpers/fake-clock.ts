/** A clock tests move by hand, so recency and rate limits are tested without sleeping. */
export class FakeClock {
  constructor(
    /** Current time, epoch ms; default 2026-01-01T00:00:00Z. */
    public time = Date.UTC(2026, 0, 1),
  ) {}

  /** The current time in epoch ms (pass as `now`). */
  readonly now = (): number => this.time;

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.time += ms;
  }
}

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;
