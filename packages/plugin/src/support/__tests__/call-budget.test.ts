import { CallBudget, type CallBudgetOptions, type CallGate } from '../call-budget';
import { TokenBucket } from '../token-bucket';
import { greedyDelivery, run, steadyRecall, windowCounts } from '../../__tests__/helpers/call-budget-sim';

// The budget hosted Stompy's rate limits leave to one token, shared by recall (never waits) and
// delivery (waits): floors under contention, borrowing when the other side is idle. A fake clock: the
// simulation moves time to the next action; windows are counted as the budget counts them (+1 s).

const LONG = 61_000;
const SHORT = 11_000;
const TIERS = [
  { perMinute: 60, burstPer10s: 20 },
  { perMinute: 180, burstPer10s: 45 },
  { perMinute: 300, burstPer10s: 75 },
];

function budget(options: Partial<CallBudgetOptions> = {}) {
  return new CallBudget({ perMinute: 60, burstPer10s: 20, now: () => 0, ...options });
}
const calls = () => ({ taken: [] as number[], refused: [] as number[] });
const range = (counts: readonly number[]) => [Math.min(...counts), Math.max(...counts)];

describe('when both sides want more than their floor', () => {
  it.each(TIERS)('gives each its floor in every minute: $perMinute/$burstPer10s', (caps) => {
    const b = budget(caps);
    const recall = calls();
    const delivery: number[] = [];
    run([steadyRecall(b.gate('recall'), 100, recall), greedyDelivery(b.gate('delivery'), delivery)], 300_000);
    const half = caps.perMinute / 2;
    expect(range(windowCounts(recall.taken, LONG, LONG, 239_000))).toEqual([half, half]);
    expect(range(windowCounts(delivery, LONG, LONG, 239_000))).toEqual([half, half]);
    expect(b.usage(300_000).recall.refused).toBeGreaterThan(0);
  });

  it('gives each its floor of every burst window when the burst cap binds', () => {
    const b = budget({ perMinute: 120, burstPer10s: 20 });
    const recall = calls();
    const delivery: number[] = [];
    run([steadyRecall(b.gate('recall'), 100, recall), greedyDelivery(b.gate('delivery'), delivery)], 300_000);
    expect(range(windowCounts(recall.taken, SHORT, LONG, 289_000, 100))).toEqual([10, 10]);
    expect(range(windowCounts(delivery, SHORT, LONG, 289_000, 100))).toEqual([10, 10]);
  });

  it('shares by recallFloor', () => {
    const b = budget({ perMinute: 100, burstPer10s: 100, recallFloor: 0.2 });
    const recall = calls();
    const delivery: number[] = [];
    run([steadyRecall(b.gate('recall'), 100, recall), greedyDelivery(b.gate('delivery'), delivery)], 300_000);
    expect(range(windowCounts(recall.taken, LONG, LONG, 239_000))).toEqual([20, 20]);
    expect(range(windowCounts(delivery, LONG, LONG, 239_000))).toEqual([80, 80]);
  });
});

describe('when recall asks for 12 calls a minute and delivery wants everything', () => {
  it.each(TIERS)(
    'never refuses recall, and delivery gets the rest but a small reserve: $perMinute',
    (caps) => {
      const b = budget(caps);
      const recall = calls();
      const delivery: number[] = [];
      // Recall has been asking for a minute when delivery starts.
      run(
        [steadyRecall(b.gate('recall'), 5000, recall), greedyDelivery(b.gate('delivery'), delivery, 60_000)],
        400_000,
      );
      expect(recall.refused).toEqual([]);
      expect(recall.taken).toHaveLength(80);
      const [least, most] = range(windowCounts(delivery, LONG, 120_000, 339_000));
      expect(least).toBeGreaterThanOrEqual(caps.perMinute - 12 - 6);
      expect(most).toBeLessThanOrEqual(caps.perMinute - 12);
      expect(b.usage(399_999)).toEqual({
        recall: { taken: 12, refused: 0 },
        delivery: { taken: expect.any(Number) as number, refused: expect.any(Number) as number },
      });
    },
  );

  it('refuses recall only in the first minute when both start together (its use is not known yet)', () => {
    const b = budget();
    const recall = calls();
    run([steadyRecall(b.gate('recall'), 5000, recall), greedyDelivery(b.gate('delivery'), [])], 600_000);
    expect(recall.refused.length).toBeGreaterThan(0);
    expect(recall.refused.every((t) => t <= 60_000)).toBe(true);
  });
});

describe('an idle side leaves the whole budget to the other', () => {
  it('lets recall use all of R and B when delivery is idle', () => {
    const b = budget();
    const recall = calls();
    run([steadyRecall(b.gate('recall'), 100, recall)], LONG);
    expect(recall.taken).toHaveLength(60);
    expect(windowCounts(recall.taken, SHORT, 0, 22_000, SHORT)).toEqual([20, 20, 20]);
  });

  it('lets delivery use all of R once recall has been idle for a minute, and keeps a reserve before', () => {
    const b = budget();
    expect(b.gate('recall').tryTake(0, 10)).toBe(true);
    const delivery: number[] = [];
    run([greedyDelivery(b.gate('delivery'), delivery)], 400_000);
    // Recall took 10 and may come back: 1.25 × 10 + 1 expected, 10 used, 3.5 held back.
    expect(countIn(delivery, 0, 60_000)).toBe(46);
    expect(range(windowCounts(delivery, LONG, 70_000, 339_000))).toEqual([60, 60]);
  });

  it('lets delivery use all of B when recall is idle', () => {
    const b = budget();
    const delivery: number[] = [];
    run([greedyDelivery(b.gate('delivery'), delivery)], 1000);
    expect(delivery).toHaveLength(20);
  });
});

function countIn(times: readonly number[], from: number, windowMs: number): number {
  return windowCounts(times, windowMs, from, from)[0]!;
}

describe('waitMs', () => {
  it('answers when the oldest call leaves the burst window, then the minute window', () => {
    const b = budget();
    const gate = b.gate('delivery');
    for (const at of [0, 11_000, 22_000]) {
      for (let i = 0; i < 20; i++) gate.take(at);
      expect(gate.waitMs(at)).toBe(at === 22_000 ? 39_000 : 11_000);
    }
    expect(gate.waitMs(60_999)).toBe(1);
    expect(gate.waitMs(61_000)).toBe(0);
  });

  it('answers the earliest time a call would be allowed when the other side’s reserve shrinks', () => {
    const b = budget();
    expect(b.gate('recall').tryTake(0, 5)).toBe(true);
    const delivery = b.gate('delivery');
    // Recall's reserve in 10 s: min(10, 1.25 × 5 / 6 + 1) − 5 = 0; in the minute 7.25 − 5 = 2.25.
    for (let i = 0; i < 15; i++) expect(delivery.tryTake(0)).toBe(true);
    expect(delivery.waitMs(0)).toBe(11_000);
    for (let i = 0; i < 20; i++) delivery.take(11_000);
    for (let i = 0; i < 17; i++) delivery.take(22_000);
    // 57 used, 2.25 reserved: full until recall's demand leaves the last minute at 60 s (expected 0).
    expect(delivery.waitMs(22_000)).toBe(38_000);
    expect(delivery.waitMs(59_999)).toBe(1);
    expect(delivery.waitMs(60_000)).toBe(0);
  });

  it('records a polling loop’s demand once per 100 ms, and a refused tryTake by its count', () => {
    const b = budget();
    const delivery = b.gate('delivery');
    for (let i = 0; i < 20; i++) delivery.take(0);
    for (let t = 0; t < 1000; t += 10) expect(delivery.waitMs(t)).toBeGreaterThan(0);
    expect(delivery.tryTake(1000, 3)).toBe(false);
    expect(b.usage(1000).delivery).toEqual({ taken: 20, refused: 13 });
    // Refusals are counted per 100 ms bucket, for a minute after the bucket ends.
    expect(b.usage(60_099).delivery).toEqual({ taken: 0, refused: 13 });
    expect(b.usage(61_100).delivery).toEqual({ taken: 0, refused: 0 });
  });

  it('records a call taken while refused, and counts it against the caps', () => {
    const b = budget();
    const recall = b.gate('recall');
    for (let i = 0; i < 25; i++) recall.take(i);
    // 19 calls at most may be in the burst window for one more: the sixth oldest leaves at 11,005.
    expect(recall.waitMs(24)).toBe(10_981);
    expect(b.usage(24).recall.taken).toBe(25);
  });

  it('takes a later clock reading than the last one as given, and an earlier one as the last', () => {
    const b = budget();
    const recall = b.gate('recall');
    for (let i = 0; i < 20; i++) recall.take(5000);
    expect(recall.waitMs(4000)).toBe(12_000);
    expect(recall.tryTake(4000)).toBe(false);
  });
});

describe('unlimited', () => {
  it('allows every call and keeps no log', () => {
    const b = new CallBudget({ perMinute: Infinity, burstPer10s: Infinity });
    const gate = b.gate('delivery');
    for (let i = 0; i < 100_000; i++) gate.take(0);
    expect(gate.waitMs(0)).toBe(0);
    expect(b.gate('recall').tryTake(0, 1_000_000)).toBe(true);
    expect(b.usage()).toEqual({ recall: { taken: 0, refused: 0 }, delivery: { taken: 0, refused: 0 } });
  });
});

it('hands out the same gate object each time, and a TokenBucket fits where a gate is expected', () => {
  const b = budget();
  expect(b.gate('recall')).toBe(b.gate('recall'));
  expect(b.gate('recall')).not.toBe(b.gate('delivery'));
  const gates: CallGate[] = [new TokenBucket(60, 10, 0), b.gate('delivery')];
  expect(gates.map((gate) => gate.waitMs(0))).toEqual([0, 0]);
});

it('defaults the burst cap to a quarter of the minute cap, at least 1', () => {
  const taken = (perMinute: number) => {
    const gate = new CallBudget({ perMinute }).gate('delivery');
    let n = 0;
    while (gate.tryTake(0)) n++;
    return n;
  };
  expect([taken(1), taken(3), taken(60), taken(180)]).toEqual([1, 1, 15, 45]);
});

it('lets both sides through a burst cap of 1 in turn (a floor is at least one call)', () => {
  const b = budget({ perMinute: 4, burstPer10s: 1 });
  const recall = calls();
  const delivery: number[] = [];
  run([steadyRecall(b.gate('recall'), 500, recall), greedyDelivery(b.gate('delivery'), delivery)], 600_000);
  // 4 calls a minute for 10 minutes, each side's floor 2 a minute.
  expect(recall.taken.length + delivery.length).toBeLessThanOrEqual(40);
  expect(recall.taken.length).toBeGreaterThanOrEqual(18);
  expect(delivery.length).toBeGreaterThanOrEqual(18);
});

describe('options', () => {
  it.each([
    [{ perMinute: 0 }, 'perMinute must be a number of at least 1, not 0'],
    [{ perMinute: 0.5 }, 'perMinute must be a number of at least 1, not 0.5'],
    [{ perMinute: NaN }, 'perMinute must be a number of at least 1, not NaN'],
    [{ perMinute: undefined as unknown as number }, 'perMinute must be a number of at least 1, not NaN'],
    [{ perMinute: -Infinity }, 'perMinute must be a number of at least 1, not -Infinity'],
    [{ perMinute: 60, burstPer10s: 0 }, 'burstPer10s must be a number from 1 to 60, not 0'],
    [{ perMinute: 60, burstPer10s: 61 }, 'burstPer10s must be a number from 1 to 60, not 61'],
    [{ perMinute: 60, burstPer10s: Infinity }, 'burstPer10s must be a number from 1 to 60, not Infinity'],
    [{ perMinute: Infinity, burstPer10s: 0 }, 'burstPer10s must be a number of at least 1, not 0'],
    [{ perMinute: 60, recallFloor: 0 }, 'recallFloor must be a number above 0 and below 1, not 0'],
    [{ perMinute: 60, recallFloor: 1 }, 'recallFloor must be a number above 0 and below 1, not 1'],
    [{ perMinute: 60, recallFloor: NaN }, 'recallFloor must be a number above 0 and below 1, not NaN'],
    [{ perMinute: 60, marginMs: -1 }, 'marginMs must be a number from 0 to 10000, not -1'],
    [{ perMinute: 60, marginMs: 10_001 }, 'marginMs must be a number from 0 to 10000, not 10001'],
  ])('refuses %j', (options, message) => {
    expect(() => new CallBudget(options)).toThrow(new TypeError(`CallBudget: ${message}`));
  });

  it('counts the windows with the margin it is given', () => {
    const gate = budget({ marginMs: 0 }).gate('delivery');
    for (let i = 0; i < 20; i++) gate.take(0);
    expect(gate.waitMs(0)).toBe(10_000);
  });
});
