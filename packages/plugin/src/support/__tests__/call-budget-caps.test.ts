import { seededRandom } from '../../../../insights/src/__tests__/helpers/generated-outcomes';
import { CallBudget } from '../call-budget';
import { mostIn, run, type Actor } from '../../__tests__/helpers/call-budget-sim';

// Whatever both sides do, the server never sees more than R calls in any 60 s window nor B in any 10 s
// window, even when each call reaches it up to the margin late; and `waitMs` is exact: a call is
// allowed when it says, and not a millisecond before, unless the other side acted in between.

const TIERS = [
  { perMinute: 60, burstPer10s: 20 },
  { perMinute: 180, burstPer10s: 45 },
  { perMinute: 300, burstPer10s: 75 },
];

interface Trial {
  readonly serverTimes: number[];
  readonly taken: { recall: number; delivery: number };
  readonly lateAllows: string[];
  readonly earlyAllows: string[];
}

function trial(seed: number, perMinute: number, burstPer10s: number): Trial {
  const random = seededRandom(seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const marginMs = between(0, 2000);
  const b = new CallBudget({
    perMinute,
    burstPer10s,
    marginMs,
    recallFloor: 0.1 + 0.8 * random(),
    now: () => 0,
  });
  const result: Trial = {
    serverTimes: [],
    taken: { recall: 0, delivery: 0 },
    lateAllows: [],
    earlyAllows: [],
  };
  const sent = (at: number, count: number) => {
    for (let i = 0; i < count; i++) result.serverTimes.push(at + random() * marginMs);
  };
  let recallActedAt = -1;

  // Recall: bursts of lookups at a random pace, 1 to 3 calls each, with idle spells.
  const recallGate = b.gate('recall');
  let recallMeanMs = between(20, 3000);
  const recall: Actor = {
    next: between(0, 5000),
    act(now) {
      const count = between(1, 3);
      if (recallGate.tryTake(now, count)) {
        sent(now, count);
        result.taken.recall += count;
      }
      recallActedAt = now;
      if (random() < 0.01) recallMeanMs = between(20, 3000);
      return now + (random() < 0.005 ? between(30_000, 90_000) : between(0, 2 * recallMeanMs));
    },
  };

  // Delivery: waits as told, then takes a call, sometimes after thinking, sometimes idle for a while.
  const deliveryGate = b.gate('delivery');
  let promised: { at: number; askedAt: number } | undefined;
  const delivery: Actor = {
    next: between(0, 5000),
    act(now) {
      const wait = deliveryGate.waitMs(now);
      if (promised && promised.at === now && recallActedAt <= promised.askedAt && wait > 0)
        result.lateAllows.push(`seed ${seed}: refused at ${now}, promised at ${promised.askedAt}`);
      if (wait > 0) {
        promised = { at: now + wait, askedAt: now };
        if (wait > 1 && recall.next > now + wait - 1 && deliveryGate.waitMs(now + wait - 1) === 0)
          result.earlyAllows.push(`seed ${seed}: allowed at ${now + wait - 1}, promised ${now + wait}`);
        return now + wait;
      }
      promised = undefined;
      deliveryGate.take(now);
      sent(now, 1);
      result.taken.delivery++;
      if (random() < 0.002) return now + between(20_000, 120_000);
      return now + (random() < 0.5 ? 0 : between(0, 500));
    },
  };
  run([recall, delivery], 20 * 60_000);
  result.serverTimes.sort((x, y) => x - y);
  return result;
}

describe.each(TIERS)(
  'with seeded random arrivals at $perMinute/$burstPer10s',
  ({ perMinute, burstPer10s }) => {
    it.each([1, 2, 3, 4, 5, 6, 7, 8])(
      'keeps within both caps in every server window and waits exactly: seed %i',
      (seed) => {
        const { serverTimes, taken, lateAllows, earlyAllows } = trial(seed, perMinute, burstPer10s);
        expect(mostIn(serverTimes, 60_000)).toBeLessThanOrEqual(perMinute);
        expect(mostIn(serverTimes, 10_000)).toBeLessThanOrEqual(burstPer10s);
        expect(lateAllows).toEqual([]);
        expect(earlyAllows).toEqual([]);
        // Both sides got calls through, and together they used most of the budget.
        expect(taken.recall).toBeGreaterThan(0);
        expect(taken.delivery).toBeGreaterThan(0);
        expect(serverTimes.length).toBeGreaterThan(perMinute * 20 * 0.5);
      },
    );
  },
);

it('keeps within small and odd caps too', () => {
  for (let seed = 100; seed < 130; seed++) {
    const random = seededRandom(seed);
    const perMinute = 1 + Math.floor(random() * 40);
    const burstPer10s = 1 + Math.floor(random() * perMinute);
    const { serverTimes } = trial(seed, perMinute, burstPer10s);
    expect([seed, mostIn(serverTimes, 60_000) <= perMinute]).toEqual([seed, true]);
    expect([seed, mostIn(serverTimes, 10_000) <= burstPer10s]).toEqual([seed, true]);
  }
});
