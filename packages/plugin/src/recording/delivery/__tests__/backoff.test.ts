import { backoffDelay } from '../backoff';

// The wait before an entry's next try: full jitter under a cap that doubles per attempt, up to the
// maximum.

describe('backoffDelay', () => {
  it('is full jitter under a cap that doubles per attempt up to the maximum', () => {
    const policy = { initialMs: 100, maxMs: 1_000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 50, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});
