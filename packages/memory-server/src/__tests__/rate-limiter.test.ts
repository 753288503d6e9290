import { SlidingWindowRateLimiter } from '../tools/rate-limiter';
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
