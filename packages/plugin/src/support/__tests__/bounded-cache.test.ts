import { BoundedCache } from '../bounded-cache';

// Recall's caches on a worker that runs for months: bounded in entries, in bytes and, where asked, in age.

function cache(limits: { maxEntries?: number; maxBytes?: number; maxAgeMs?: number } = {}) {
  let now = 0;
  const c = new BoundedCache<string>(
    { maxEntries: 100, maxBytes: 1_000_000, sizeOf: (v) => v.length, ...limits },
    () => now,
  );
  return { c, advance: (ms: number) => (now += ms) };
}

it('evicts the least recently stored entries beyond the entry limit', () => {
  const { c } = cache({ maxEntries: 2 });
  c.set('a', 'x');
  c.set('b', 'x');
  c.set('a', 'y'); // stored again: now the most recent
  c.set('c', 'x');
  expect([c.get('a'), c.get('b'), c.get('c')]).toEqual(['y', undefined, 'x']);
  expect(c.size).toEqual({ entries: 2, bytes: 2 });
});

it('evicts the oldest entries until it holds no more than its bytes, counting replacements once', () => {
  const { c } = cache({ maxBytes: 10 });
  c.set('a', '1234');
  c.set('b', '1234');
  c.set('b', '12345');
  expect(c.size).toEqual({ entries: 2, bytes: 9 });
  c.set('c', '123');
  expect(c.get('a')).toBeUndefined();
  expect(c.size).toEqual({ entries: 2, bytes: 8 });
});

it('reads entries past their age as absent, and drops them', () => {
  const { c, advance } = cache({ maxAgeMs: 1000 });
  c.set('a', 'x');
  advance(999);
  expect(c.storedAt('a')).toBe(0);
  advance(1);
  expect(c.get('a')).toBeUndefined();
  expect(c.storedAt('a')).toBeUndefined();
  expect(c.size).toEqual({ entries: 0, bytes: 0 });
});
