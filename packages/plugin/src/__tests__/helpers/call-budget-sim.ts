// A fake-clock simulation for the call budget tests: actors that call a gate at chosen times, and the
// counts of their calls in windows. No timers: time is a number the loop moves to the next action.
import type { CallGate } from '../../support/call-budget';

/** Something that acts at `next` and says when it acts again (Infinity: never). */
export interface Actor {
  next: number;
  act(now: number): number;
}

/** Runs the actors in time order until `untilMs`; at equal times the earlier actor in the list goes first. */
export function run(actors: readonly Actor[], untilMs: number): void {
  for (;;) {
    const first = actors.reduce((a, b) => (b.next < a.next ? b : a));
    if (first.next >= untilMs) return;
    first.next = first.act(first.next);
  }
}

/** Delivery that wants everything: asks `waitMs`, takes a call when it is 0, else sleeps that long. */
export function greedyDelivery(gate: CallGate, taken: number[], startMs = 0): Actor {
  return {
    next: startMs,
    act(now) {
      const wait = gate.waitMs(now);
      if (wait > 0) return now + wait;
      gate.take(now);
      taken.push(now);
      return now;
    },
  };
}

/** Recall that tries `count` calls every `everyMs` from `startMs` (until `stopMs`) and never waits. */
export function steadyRecall(
  gate: CallGate,
  everyMs: number,
  calls: { taken: number[]; refused: number[] },
  { count = 1, startMs = 0, stopMs = Infinity } = {},
): Actor {
  return {
    next: startMs,
    act(now) {
      (gate.tryTake(now, count) ? calls.taken : calls.refused).push(now);
      return now + everyMs < stopMs ? now + everyMs : Infinity;
    },
  };
}

/** How many of the sorted `times` are in [from, from + windowMs). */
export function countIn(times: readonly number[], from: number, windowMs: number): number {
  return times.filter((t) => t >= from && t < from + windowMs).length;
}

/** The most of the sorted `times` in any window [t, t + windowMs): the worst sliding window. */
export function mostIn(times: readonly number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

/** The counts of windows of `windowMs` starting every `stepMs` from `fromMs` to `toMs`. */
export function windowCounts(
  times: readonly number[],
  windowMs: number,
  fromMs: number,
  toMs: number,
  stepMs = 1000,
): number[] {
  const counts: number[] = [];
  for (let from = fromMs; from <= toMs; from += stepMs) counts.push(countIn(times, from, windowMs));
  return counts;
}
