import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextStore } from '../store/context-store';
import { StoreError } from '../store/errors';
import { LockGroup } from '../store/lock-group';
import type { LockContextInput, LockContextResult } from '../store/types';

// Group commit: lock_context calls made in one turn of the event loop are written in one
// transaction, each with its own result or refusal, exactly as alone.

let dir: string;
let store: ContextStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-group-'));
  store = ContextStore.open({
    dbPath: join(dir, 'memory.db'),
    defaultProject: 'default',
    maxTopicLength: 100,
    maxContentBytes: 1024,
    noveltyThreshold: null,
    now: () => Date.UTC(2026, 10, 25),
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('gives each call of one turn its own result, in arrival order, and refuses a bad one alone', async () => {
  const calls = [
    store.lock({ topic: 'orders/C1', content: 'first' }),
    store.lock({ topic: 'orders/C1', content: 'second' }),
    store.lock({ topic: '', content: 'no topic' }),
    store.lock({ topic: 'orders/C1', content: 'second' }),
    store.lock({ topic: 'orders/C2', content: 'x'.repeat(2000) }),
  ];
  const settled = await Promise.allSettled(calls);
  expect(
    settled.map((s) => (s.status === 'fulfilled' ? [s.value.version, s.value.created] : 'refused')),
  ).toEqual([['1.0', true], ['1.1', true], 'refused', ['1.1', false], 'refused']);
  const refusals = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  expect(refusals.every((r) => r instanceof StoreError && r.code === 'invalid_input')).toBe(true);
  await expect(store.recall({ topic: 'orders/C1' })).resolves.toMatchObject({
    content: 'second',
    versions: ['1.0', '1.1'],
  });
  await expect(store.recall({ topic: 'orders/C2' })).rejects.toThrow(StoreError);
});

/** What a group write answers for each context: a stored version 1.0. */
function stored(contexts: readonly LockContextInput[]): LockContextResult[] {
  return contexts.map((c) => ({
    id: 1,
    topic: String(c.topic),
    version: '1.0',
    project: 'p',
    created: true,
  }));
}

it('fails every call of a group whose transaction fails, and goes on with the next group', async () => {
  let fail = true;
  const group = new LockGroup(async (contexts) => {
    if (fail) throw new Error('SQLITE_BUSY: database is locked');
    return stored(contexts);
  });
  const first = await Promise.allSettled([
    group.lock({ topic: 'a', content: 'x' }),
    group.lock({ topic: 'b', content: 'y' }),
  ]);
  expect(first.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  fail = false;
  await expect(group.lock({ topic: 'c', content: 'z' })).resolves.toMatchObject({ topic: 'c' });
});

it('writes more than one group’s worth of calls in several groups', async () => {
  const sizes: number[] = [];
  const group = new LockGroup(async (contexts) => {
    sizes.push(contexts.length);
    return stored(contexts);
  });
  const results = await Promise.all(
    Array.from({ length: 250 }, (_, i) => group.lock({ topic: `t${i}`, content: 'x' })),
  );
  expect(results.map((r) => r.topic)).toEqual(Array.from({ length: 250 }, (_, i) => `t${i}`));
  expect(sizes).toEqual([100, 100, 50]);
});
