// OutcomeOutbox.backlog() on a real SQLite file: pending entries and bytes from outbox_size, the
// oldest pending entry by its primary key, and the dead letters, in one read; several outboxes on
// one file see the same backlog.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OutcomeOutbox } from '../outcome-outbox';
import { PluginCounters } from '../../../support/plugin-counters';
import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import { tempDir, write } from '../../../__tests__/helpers/outbox-test-kit';

let temp: ReturnType<typeof tempDir>;
let now: number;
const open: OutcomeOutbox[] = [];

beforeEach(() => {
  temp = tempDir();
  now = 1_700_000_000_000;
});
afterEach(() => {
  for (const outbox of open.splice(0)) outbox.close();
  temp.remove();
});

function outbox(): OutcomeOutbox {
  const box = new OutcomeOutbox({
    path: join(temp.dir, 'outbox.db'),
    logger: capturingLogger().logger,
    counters: new PluginCounters(),
    now: () => now,
  });
  open.push(box);
  return box;
}

it('is empty on a new file', () => {
  expect(outbox().backlog()).toEqual({
    pending: 0,
    pendingBytes: 0,
    oldestEnqueuedAt: undefined,
    deadLetters: 0,
  });
});

it('reports pending entries and bytes, the oldest entry queued, and dead letters', () => {
  const box = outbox();
  const started = now;
  box.enqueue(write('a'));
  now += 1_000;
  box.enqueue(write('b'));
  now += 1_000;
  box.enqueue(write('c'));
  const { pendingBytes } = box.stats();
  expect(pendingBytes).toBeGreaterThan(0);
  expect(box.backlog()).toEqual({ pending: 3, pendingBytes, oldestEnqueuedAt: started, deadLetters: 0 });

  // Claimed entries are still pending; the oldest leaves once delivered, the next is the oldest.
  expect(box.claim(1).map((e) => e.topic)).toEqual(['a']);
  expect(box.backlog().oldestEnqueuedAt).toBe(started);
  box.markDelivered(['a']);
  expect(box.backlog()).toMatchObject({ pending: 2, oldestEnqueuedAt: started + 1_000 });

  // A refused entry leaves pending for the dead letters.
  box.claim(1);
  box.drop('b', 'invalid_input');
  expect(box.backlog()).toMatchObject({ pending: 1, oldestEnqueuedAt: started + 2_000, deadLetters: 1 });
  box.claim(1);
  box.markDelivered(['c']);
  expect(box.backlog()).toEqual({ pending: 0, pendingBytes: 0, oldestEnqueuedAt: undefined, deadLetters: 1 });
});

it('orders by the queue (seq), not by the enqueue time a process with another clock wrote', () => {
  const first = outbox();
  const second = outbox();
  first.enqueue(write('early'));
  now -= 5_000; // the second process's clock is behind
  second.enqueue(write('late'));
  expect(first.backlog()).toMatchObject({ pending: 2, oldestEnqueuedAt: now + 5_000 });
  expect(second.backlog()).toEqual(first.backlog());
});

it('reads the oldest entry through the primary key, with no index of its own', () => {
  outbox().enqueue(write('a'));
  const db = new Database(join(temp.dir, 'outbox.db'), { readonly: true });
  try {
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT enqueued_at FROM outbox_pending ORDER BY seq LIMIT 1')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  } finally {
    db.close();
  }
});

it('is empty once closed (the file is not read)', () => {
  const box = outbox();
  box.enqueue(write('a'));
  box.close();
  expect(box.backlog()).toEqual({ pending: 0, pendingBytes: 0, oldestEnqueuedAt: undefined, deadLetters: 0 });
});

it('throws on a file it cannot read; delivery catches it', () => {
  const box = outbox();
  box.enqueue(write('a'));
  const db = new Database(join(temp.dir, 'outbox.db'));
  try {
    db.exec('DROP TABLE outbox_size');
  } finally {
    db.close();
  }
  expect(() => box.backlog()).toThrow();
});
