import { DeliveryRate } from '../delivery-rate';

// The delivery rate over a sliding window, on a clock the test moves by hand.

function rateAt(start = 1_000_000) {
  let now = start;
  const rate = new DeliveryRate(() => now);
  return {
    rate,
    advance: (ms: number) => (now += ms),
  };
}

it('is 0 before anything was delivered', () => {
  const { rate, advance } = rateAt();
  expect(rate.perMinute()).toBe(0);
  advance(600_000);
  expect(rate.perMinute()).toBe(0);
});

it('averages over the whole 5-minute window once it has passed', () => {
  const { rate, advance } = rateAt();
  rate.perMinute(); // the clock starts here
  for (let i = 0; i < 30; i++) {
    rate.add(10); // 10 every 10 s: 60 a minute
    advance(10_000);
  }
  // At a bucket boundary the window is the 29 whole buckets before it (the first left it just now).
  expect(rate.deliveredInWindow()).toBe(290);
  expect(rate.perMinute()).toBeCloseTo(60, 6);
  advance(5_000);
  rate.add(5);
  expect(rate.perMinute()).toBeCloseTo(60, 6); // 295 over 295 s
});

it('while the window is young, takes the rate over the time seen so far (at least one bucket)', () => {
  const { rate, advance } = rateAt();
  rate.add(5);
  expect(rate.perMinute()).toBe(30); // 5 in one 10 s bucket
  advance(60_000);
  rate.add(25);
  expect(rate.perMinute()).toBe(30); // 30 in a minute
});

it('forgets what left the window, bucket by bucket', () => {
  const { rate, advance } = rateAt(0);
  rate.add(100);
  advance(100_000);
  rate.add(50);
  advance(200_000); // the first bucket is now 300 s old: out of the window
  expect(rate.deliveredInWindow()).toBe(50);
  expect(rate.perMinute()).toBeCloseTo((50 * 60) / 290, 6); // 50 over the 29 whole buckets before now
  advance(100_000);
  expect(rate.deliveredInWindow()).toBe(0);
  expect(rate.perMinute()).toBe(0);
});

it('keeps bounded memory: a slot reused after a full turn holds only its new bucket', () => {
  const { rate, advance } = rateAt(0);
  for (let turn = 0; turn < 3; turn++) {
    rate.add(7);
    advance(rate.windowMs); // the same slot, one window later
  }
  rate.add(1);
  expect(rate.deliveredInWindow()).toBe(1);
});

it('ignores counts that are not positive finite numbers', () => {
  const { rate } = rateAt();
  for (const bad of [0, -3, Number.NaN, Number.POSITIVE_INFINITY]) rate.add(bad);
  expect(rate.deliveredInWindow()).toBe(0);
});

it('takes its window and bucket width from options, and refuses bad ones', () => {
  let now = 0;
  const rate = new DeliveryRate(() => now, { windowMs: 60_000, bucketMs: 1_000 });
  expect(rate.windowMs).toBe(60_000);
  rate.add(60);
  now = 59_999;
  expect(rate.perMinute()).toBeCloseTo(60, 0);
  now = 60_000;
  expect(rate.perMinute()).toBe(0);
  expect(() => new DeliveryRate(() => 0, { bucketMs: 0 })).toThrow(/DeliveryRate: bucketMs must be/);
  expect(() => new DeliveryRate(() => 0, { windowMs: Number.NaN })).toThrow(/windowMs must be/);
});
