/**
 * The call budget of one Stompy token, shared by recall and delivery.
 *
 * Hosted Stompy caps the MCP calls of a token twice: R calls a minute and B calls in 10 s. The plugin
 * makes two kinds of calls. Recall is latency-sensitive: when refused it answers from its cache and
 * never waits. Delivery wants throughput: when refused it waits. This budget decides, call by call,
 * which side may go, by this policy:
 *
 * - It keeps a sliding log of the calls taken, each with its side and time. A call is refused when the
 *   calls taken in the last 60 s + margin already number R, or in the last 10 s + margin already B.
 *   The server sees a call up to the margin later than we send it, so no window of the server's, fixed
 *   or sliding, ever holds more than R or B of our calls.
 * - Each side has a floor: recall gets `recallFloor` of R and of B, delivery the rest (but always at
 *   least one call a window, so that a burst cap of 1 cannot lock both sides out). Floors only matter
 *   when both sides want more: a side may borrow whatever the other side is not expected to use.
 * - A side's demand is the calls it took plus the calls it was refused over the last minute. A refused
 *   `tryTake` counts its `count`; a positive `waitMs` counts one call at most once per 100 ms, so a
 *   polling loop does not inflate it.
 * - The other side `o` is expected to use, in a window W of 60 s or 10 s, the smaller of its floor of
 *   the window's cap and 1.25 × its demand × W / 60 s + 1; nothing when it took and was refused
 *   nothing for a minute. Its reserve is what it is expected to use minus what it used in the window,
 *   at least 0.
 * - A call of side `s` is allowed when, in both windows, the calls used plus this one stay within the
 *   cap, and either `s` stays within its floor or all calls stay within the cap minus the reserve of
 *   `o`.
 * - `waitMs` answers the earliest time at which a call of that side would be allowed if nothing else
 *   happened: it walks the moments at which logged calls and demand leave their windows, in time order.
 *
 * So when both sides want more than their floor, each gets its floor; when recall asks for a few calls
 * a minute, delivery gets the rest minus a small reserve and recall is not refused; an idle side leaves
 * the whole budget to the other. Memory is bounded: each side's log holds at most about R entries and
 * 601 refusal buckets. An unlimited budget (R = Infinity) keeps no log: every call is allowed in O(1)
 * and its usage reads zero.
 */
import { CallLog, type WindowCounts } from './call-log';
import { checkedNumber, show } from './number-check';

/** The two kinds of calls the plugin makes. */
export type CallSide = 'recall' | 'delivery';

/** The caps of a {@link CallBudget} and how it shares them. */
export interface CallBudgetOptions {
  /** R, calls a minute; Infinity for no cap. At least 1. */
  readonly perMinute: number;
  /**
   * B, calls in 10 s, from 1 to R (unused when R is Infinity). Default `max(1, ceil(R / 4))`: the
   * ratio of hosted Stompy's pro and enterprise plans, and below the free plan's (R / 3), so safe.
   */
  readonly burstPer10s?: number;
  /** The share of R and B guaranteed to recall when both sides want more, in (0, 1); default 0.5. */
  readonly recallFloor?: number;
  /** How much later the server may see a call than we send it, in ms, from 0 to 10,000; default 1000. */
  readonly marginMs?: number;
  /** The clock, epoch ms, for `usage()`; default `Date.now`. */
  readonly now?: () => number;
}

/** One side's calls in the last minute. */
export interface SideUsage {
  /** Calls taken. */
  readonly taken: number;
  /** Calls refused (a polling `waitMs` counts once per 100 ms). */
  readonly refused: number;
}

/** Both sides' calls in the last minute, for metrics and logs. */
export interface CallUsage {
  readonly recall: SideUsage;
  readonly delivery: SideUsage;
}

/** One side's door to the budget; a `TokenBucket` has the same shape, so either can be passed. */
export interface CallGate {
  /** 0 when a call may go now, else the ms until it could (at least 1); a positive answer is demand. */
  waitMs(now: number): number;
  /** Records a call (callers ask `waitMs` first; a call taken while refused is still recorded). */
  take(now: number): void;
  /** Takes `count` calls (default 1) if they are allowed now; else records them as demand: false. */
  tryTake(now: number, count?: number): boolean;
}

const OWNER = 'CallBudget';
const MINUTE_MS = 60_000;
const BURST_MS = 10_000;
/** What float rounding may take off a share: (1 − 0.9) × 50 is 4.999999999999999, not 5. */
const EPSILON = 1e-9;

const UNLIMITED: CallGate = { waitMs: () => 0, take: () => undefined, tryTake: () => true };
const NO_USAGE: CallUsage = { recall: { taken: 0, refused: 0 }, delivery: { taken: 0, refused: 0 } };

/** A cap and the nominal length of its window. */
interface Cap {
  readonly calls: number;
  readonly windowMs: number;
}

/**
 * Shares a token's per-minute and per-10-s call caps between recall and delivery, each with a
 * guaranteed floor and the freedom to borrow what the other does not use (the policy is described at
 * the top of this file).
 */
export class CallBudget {
  private readonly gates: Readonly<Record<CallSide, CallGate>>;
  private readonly logs?: Readonly<Record<CallSide, CallLog>>;
  private readonly minute: Cap;
  private readonly burst: Cap;
  private readonly floors: Readonly<Record<CallSide, number>>;
  private readonly now: () => number;
  private latest = -Infinity;

  constructor(options: CallBudgetOptions) {
    const perMinute =
      options.perMinute === Infinity
        ? Infinity
        : checkedNumber(OWNER, 'perMinute', options.perMinute ?? NaN, NaN, { min: 1 });
    const recallFloor = options.recallFloor ?? 0.5;
    if (!(typeof recallFloor === 'number' && recallFloor > 0 && recallFloor < 1))
      throw new TypeError(
        `${OWNER}: recallFloor must be a number above 0 and below 1, not ${show(recallFloor)}`,
      );
    const marginMs = checkedNumber(OWNER, 'marginMs', options.marginMs, 1000, { min: 0, max: 10_000 });
    const burst =
      perMinute === Infinity && options.burstPer10s === Infinity
        ? Infinity
        : checkedNumber(OWNER, 'burstPer10s', options.burstPer10s, Math.max(1, Math.ceil(perMinute / 4)), {
            min: 1,
            ...(perMinute === Infinity ? {} : { max: perMinute }),
          });
    this.minute = { calls: perMinute, windowMs: MINUTE_MS };
    this.burst = { calls: burst, windowMs: BURST_MS };
    this.floors = { recall: recallFloor, delivery: 1 - recallFloor };
    this.now = options.now ?? Date.now;
    if (perMinute === Infinity) {
      this.gates = { recall: UNLIMITED, delivery: UNLIMITED };
      return;
    }
    const log = () => new CallLog(MINUTE_MS + marginMs, BURST_MS + marginMs, Math.ceil(perMinute));
    this.logs = { recall: log(), delivery: log() };
    this.gates = { recall: this.gateOf('recall'), delivery: this.gateOf('delivery') };
  }

  /** The door of one side; the same object each time. */
  gate(side: CallSide): CallGate {
    return this.gates[side];
  }

  /** Calls taken and refused by each side in the last minute (zeros when unlimited). */
  usage(now: number = this.now()): CallUsage {
    if (!this.logs) return NO_USAGE;
    this.advance(now);
    return { recall: this.logs.recall.usage(), delivery: this.logs.delivery.usage() };
  }

  private gateOf(side: CallSide): CallGate {
    return {
      waitMs: (now) => this.waitMs(side, now),
      take: (now) => this.take(side, now, 1),
      tryTake: (now, count = 1) => {
        if (!(count > 0)) return true; // nothing to take (and NaN must not poison the counts)
        const logs = this.advance(now);
        if (this.allows(side, count, logs[side].counts, logs[other(side)].counts)) {
          logs[side].take(this.latest, count);
          return true;
        }
        logs[side].refuse(this.latest, count);
        return false;
      },
    };
  }

  private waitMs(side: CallSide, now: number): number {
    const logs = this.advance(now);
    if (this.allows(side, 1, logs[side].counts, logs[other(side)].counts)) return 0;
    logs[side].refuseWait(this.latest);
    const own = logs[side].cursor();
    const theirs = logs[other(side)].cursor();
    for (;;) {
      const next = Math.min(own.nextChange(false), theirs.nextChange());
      // Unreachable: once every entry has left its window, a call of either side is allowed.
      if (next === Infinity) return MINUTE_MS;
      own.advanceTo(next);
      theirs.advanceTo(next);
      if (this.allows(side, 1, own, theirs)) return Math.max(1, Math.ceil(next - now));
    }
  }

  private take(side: CallSide, now: number, count: number): void {
    this.advance(now)[side].take(this.latest, count);
  }

  /** Moves both logs to `now` (never back in time) and returns them. */
  private advance(now: number): Readonly<Record<CallSide, CallLog>> {
    const logs = this.logs as Readonly<Record<CallSide, CallLog>>;
    if (now > this.latest) {
      this.latest = now;
      logs.recall.advance(now);
      logs.delivery.advance(now);
    }
    return logs;
  }

  /** Whether `count` calls of `side` may go, given both sides' counts: in both windows. */
  private allows(side: CallSide, count: number, own: WindowCounts, theirs: WindowCounts): boolean {
    return (
      this.allowsIn(this.minute, side, count, own.longCalls, theirs.longCalls, theirs.demand) &&
      this.allowsIn(this.burst, side, count, own.shortCalls, theirs.shortCalls, theirs.demand)
    );
  }

  private allowsIn(
    cap: Cap,
    side: CallSide,
    count: number,
    ownUsed: number,
    theirUsed: number,
    theirDemand: number,
  ): boolean {
    const used = ownUsed + theirUsed + count;
    if (used > cap.calls + EPSILON) return false;
    if (ownUsed + count <= this.floor(side, cap) + EPSILON) return true;
    const expected =
      theirDemand === 0
        ? 0
        : Math.min(this.floor(other(side), cap), (1.25 * theirDemand * cap.windowMs) / MINUTE_MS + 1);
    return used <= cap.calls - Math.max(0, expected - theirUsed) + EPSILON;
  }

  /** A side's floor of a cap, in calls: its share, and at least one call. */
  private floor(side: CallSide, cap: Cap): number {
    return Math.max(1, this.floors[side] * cap.calls);
  }
}

function other(side: CallSide): CallSide {
  return side === 'recall' ? 'delivery' : 'recall';
}
