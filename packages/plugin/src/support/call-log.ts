/** How long demand is remembered: the calls a side took or was refused over the last minute. */
export const DEMAND_MS = 60_000;
/** Refusals are counted in buckets of this many ms; a polling `waitMs` counts once per bucket. */
export const REFUSAL_BUCKET_MS = 100;

/** What the policy reads of one side at a moment: its calls in both windows and its demand. */
export interface WindowCounts {
  /** Calls taken in the long window (60 s + margin). */
  readonly longCalls: number;
  /** Calls taken in the short window (10 s + margin). */
  readonly shortCalls: number;
  /** Calls taken plus calls refused over the last minute. */
  readonly demand: number;
}

/** The entries of a {@link CallLog}, oldest first; a cursor reads them from its own positions. */
interface Entries {
  /** When each entry's calls were taken; never decreasing. */
  readonly times: number[];
  /** How many calls each entry stands for. */
  readonly counts: number[];
  /** The end of each refusal bucket; increasing. */
  readonly refusalEnds: number[];
  /** How many calls each refusal bucket stands for. */
  readonly refusalCounts: number[];
}

/**
 * One side's counts at one moment, with the positions of the first entry still in each window. A copy
 * can walk forward in time without touching the log: that is how the budget finds when a call would
 * be allowed.
 */
export class LogCursor implements WindowCounts {
  constructor(
    private readonly entries: Entries,
    private readonly longMs: number,
    private readonly shortMs: number,
    private long = 0,
    private short = 0,
    private minute = 0,
    private refused = 0,
    public longCalls = 0,
    public shortCalls = 0,
    public minuteCalls = 0,
    public refusals = 0,
  ) {}

  /** Calls taken plus calls refused over the last minute. */
  get demand(): number {
    return this.minuteCalls + this.refusals;
  }

  /** An independent copy at the same moment. */
  copy(): LogCursor {
    return new LogCursor(
      this.entries,
      this.longMs,
      this.shortMs,
      this.long,
      this.short,
      this.minute,
      this.refused,
      this.longCalls,
      this.shortCalls,
      this.minuteCalls,
      this.refusals,
    );
  }

  /**
   * The earliest time at which an entry leaves a window (Infinity when none will); with `demand`
   * false, only the windows of calls taken (a side's own demand does not limit its own calls).
   */
  nextChange(demand = true): number {
    const { times, refusalEnds } = this.entries;
    const calls = Math.min(endOf(times, this.long, this.longMs), endOf(times, this.short, this.shortMs));
    if (!demand) return calls;
    return Math.min(calls, endOf(times, this.minute, DEMAND_MS), endOf(refusalEnds, this.refused, DEMAND_MS));
  }

  /** Moves to `now`: every entry whose window has ended by then stops counting. */
  advanceTo(now: number): void {
    const { times, counts, refusalEnds, refusalCounts } = this.entries;
    for (; endOf(times, this.long, this.longMs) <= now; this.long++) this.longCalls -= counts[this.long] ?? 0;
    for (; endOf(times, this.short, this.shortMs) <= now; this.short++)
      this.shortCalls -= counts[this.short] ?? 0;
    for (; endOf(times, this.minute, DEMAND_MS) <= now; this.minute++)
      this.minuteCalls -= counts[this.minute] ?? 0;
    for (; endOf(refusalEnds, this.refused, DEMAND_MS) <= now; this.refused++)
      this.refusals -= refusalCounts[this.refused] ?? 0;
  }

  /** Counts `count` more calls in every window (an entry added or grown at the current moment). */
  addCalls(count: number): void {
    this.longCalls += count;
    this.shortCalls += count;
    this.minuteCalls += count;
  }

  /** Counts `count` more refused calls. */
  addRefusals(count: number): void {
    this.refusals += count;
  }

  /** Whether the newest entry is still in the short window (then it is in every window). */
  newestIsRecent(): boolean {
    return this.short < this.entries.times.length;
  }

  /** How many entries are in the long window. */
  liveEntries(): number {
    return this.entries.times.length - this.long;
  }

  /** Drops the entries that have left every window, when they are many; amortized O(1). */
  compact(): void {
    const { times, counts, refusalEnds, refusalCounts } = this.entries;
    const gone = Math.min(this.long, this.minute);
    if (gone >= 64 && gone * 2 >= times.length) {
      times.splice(0, gone);
      counts.splice(0, gone);
      this.long -= gone;
      this.short -= gone;
      this.minute -= gone;
    }
    if (this.refused >= 64 && this.refused * 2 >= refusalEnds.length) {
      refusalEnds.splice(0, this.refused);
      refusalCounts.splice(0, this.refused);
      this.refused = 0;
    }
  }
}

/**
 * The calls one side of a {@link CallBudget} took and was refused: a sliding log of taken calls
 * (time and count), kept while they are in the long window or the last minute, and refusals counted
 * per 100 ms bucket for a minute. Its size is bounded: beyond `maxEntries` live entries, a new call
 * joins the newest entry and moves it to now, which only makes the log count calls for longer than
 * they happened (never too few), so the caps still hold.
 */
export class CallLog {
  private readonly entries: Entries = { times: [], counts: [], refusalEnds: [], refusalCounts: [] };
  private readonly live: LogCursor;
  private lastWaitBucket = -Infinity;

  constructor(
    longMs: number,
    shortMs: number,
    private readonly maxEntries: number,
  ) {
    this.live = new LogCursor(this.entries, longMs, shortMs);
  }

  /** The counts at the moment of the last `advance`. */
  get counts(): WindowCounts {
    return this.live;
  }

  /** Calls taken and refused over the last minute, at the moment of the last `advance`. */
  usage(): { readonly taken: number; readonly refused: number } {
    return { taken: this.live.minuteCalls, refused: this.live.refusals };
  }

  /** Forgets what has left every window at `now` (never earlier than the last `now`). */
  advance(now: number): void {
    this.live.advanceTo(now);
    this.live.compact();
  }

  /** A cursor at the moment of the last `advance`, to walk forward without changing the log. */
  cursor(): LogCursor {
    return this.live.copy();
  }

  /** Records `count` calls taken at `now` (the moment of the last `advance`). */
  take(now: number, count: number): void {
    const { times, counts } = this.entries;
    const newest = times.length - 1;
    const crowded = this.live.liveEntries() >= this.maxEntries && this.live.newestIsRecent();
    if (newest >= 0 && (times[newest] === now || crowded)) {
      times[newest] = now;
      counts[newest] = (counts[newest] ?? 0) + count;
    } else {
      times.push(now);
      counts.push(count);
    }
    this.live.addCalls(count);
  }

  /** Records `count` calls refused at `now` (the moment of the last `advance`). */
  refuse(now: number, count: number): void {
    const { refusalEnds, refusalCounts } = this.entries;
    const end = (Math.floor(now / REFUSAL_BUCKET_MS) + 1) * REFUSAL_BUCKET_MS;
    const newest = refusalEnds.length - 1;
    if (newest >= 0 && refusalEnds[newest] === end)
      refusalCounts[newest] = (refusalCounts[newest] ?? 0) + count;
    else {
      refusalEnds.push(end);
      refusalCounts.push(count);
    }
    this.live.addRefusals(count);
  }

  /** Records one refused call for a positive `waitMs`, at most once per 100 ms bucket. */
  refuseWait(now: number): void {
    const bucket = Math.floor(now / REFUSAL_BUCKET_MS);
    if (bucket === this.lastWaitBucket) return;
    this.lastWaitBucket = bucket;
    this.refuse(now, 1);
  }
}

/** When the entry at `index` leaves a window of `windowMs` (Infinity when there is no such entry). */
function endOf(times: readonly number[], index: number, windowMs: number): number {
  return (times[index] ?? Infinity) + windowMs;
}
