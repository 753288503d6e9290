import { FixedWindow } from '../tools/call-windows';
import { CallerRateLimits } from '../tools/caller-rate-limits';
import { FixedWindowRateLimiter, RateLimiter, SlidingWindowRateLimiter } from '../tools/rate-limiter';
import { FakeClock } from './helpers/fake-clock';

describe('SlidingWindowRateLimiter', () => {
  it('allows limit calls per window and says when a slot frees', () => {
    const clock = new FakeClock(0);
    const limiter = new SlidingWindowRateLimiter(3, 1000, clock.now);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 1, limit: 3, resetsAt: 1000 });
    clock.advance(100);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 2, resetsAt: 1000 });
    clock.advance(100);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 3 });
    expect(limiter.tryAcquire()).toEqual({ allowed: false, limit: 3, windowMs: 1000, retryAfterMs: 800 });
    clock.advance(800);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 3, resetsAt: 1100 });
    expect(limiter.tryAcquire()).toMatchObject({ allowed: false, retryAfterMs: 100 });
  });

  it('does not count refused calls', () => {
    const clock = new FakeClock(0);
    const limiter = new SlidingWindowRateLimiter(1, 1000, clock.now);
    limiter.tryAcquire();
    for (let i = 0; i < 5; i++) expect(limiter.tryAcquire().allowed).toBe(false);
    clock.advance(1000);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 1 });
  });

  it('forgets everything after a quiet window, over many wraps of its ring buffer', () => {
    const clock = new FakeClock(0);
    const limiter = new SlidingWindowRateLimiter(4, 1000, clock.now);
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 4; i++) expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: i + 1 });
      expect(limiter.tryAcquire().allowed).toBe(false);
      clock.advance(1000);
    }
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowRateLimiter(0, 1000, Date.now)).toThrow(RangeError);
    expect(() => new SlidingWindowRateLimiter(1.5, 1000, Date.now)).toThrow(RangeError);
  });
});

describe('FixedWindowRateLimiter', () => {
  it('counts afresh in each window aligned on the epoch, and waits until the window ends', () => {
    const clock = new FakeClock(59_000);
    const limiter = new FixedWindowRateLimiter(2, 60_000, clock.now);
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 1, resetsAt: 60_000 });
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 2 });
    expect(limiter.tryAcquire()).toEqual({ allowed: false, limit: 2, windowMs: 60_000, retryAfterMs: 1_000 });
    clock.advance(1_000); // a new minute: two more at once, unlike a sliding window
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 1, resetsAt: 120_000 });
    expect(limiter.tryAcquire()).toMatchObject({ allowed: true, used: 2 });
  });
});

describe('RateLimiter of two windows (per minute and per 10 seconds)', () => {
  function limiter(clock: FakeClock) {
    return new RateLimiter([new FixedWindow(5, 60_000), new FixedWindow(2, 10_000)], clock.now);
  }

  it('lets a call through only when both have room, counting it in both', () => {
    const clock = new FakeClock(0);
    const both = limiter(clock);
    expect(both.tryAcquire()).toMatchObject({
      allowed: true,
      used: 1,
      limit: 5,
      tightest: { limit: 2, used: 1, resetsAt: 10_000 },
    });
    both.tryAcquire();
    expect(both.tryAcquire()).toEqual({ allowed: false, limit: 2, windowMs: 10_000, retryAfterMs: 10_000 });
    clock.advance(10_000);
    both.tryAcquire();
    both.tryAcquire();
    clock.advance(10_000);
    expect(both.tryAcquire()).toMatchObject({ allowed: true, used: 5, tightest: { limit: 5, used: 5 } });
    // The minute is full and the burst window is not: the minute's wait is the answer.
    expect(both.tryAcquire()).toEqual({ allowed: false, limit: 5, windowMs: 60_000, retryAfterMs: 40_000 });
    expect(both.isIdle()).toBe(false);
    clock.advance(40_000);
    expect(both.isIdle()).toBe(true);
  });
});

describe('CallerRateLimits', () => {
  it('gives each caller its own budget and forgets none while they are busy', () => {
    const clock = new FakeClock(0);
    const limits = new CallerRateLimits({ perMinute: 1, burstPer10s: null, window: 'sliding' }, clock.now);
    expect(limits.forCaller('token:a').tryAcquire().allowed).toBe(true);
    expect(limits.forCaller('token:a').tryAcquire().allowed).toBe(false);
    expect(limits.forCaller('token:b').tryAcquire().allowed).toBe(true);
    expect(limits.callerKeys()).toEqual(['token:a', 'token:b']);
  });

  it('refuses a policy without any cap', () => {
    expect(
      () => new CallerRateLimits({ perMinute: null, burstPer10s: null, window: 'fixed' }, Date.now),
    ).toThrow(RangeError);
  });
});

describe('CallerRateLimits with many callers', () => {
  it('forgets idle callers once 10,000 are remembered, and keeps busy ones', () => {
    const clock = new FakeClock(0);
    const limits = new CallerRateLimits({ perMinute: 1, burstPer10s: null, window: 'sliding' }, clock.now);
    for (let i = 0; i < 9_999; i++) limits.forCaller(`token:${i}`).tryAcquire();
    clock.advance(60_000); // every one of them is idle now
    limits.forCaller('token:busy').tryAcquire();
    expect(limits.callerCount).toBe(10_000);
    limits.forCaller('token:new');
    expect(limits.callerKeys()).toEqual(['token:busy', 'token:new']);
    expect(limits.forCaller('token:busy').tryAcquire().allowed).toBe(false);
  });
});
