// The outbox on a real SQLite file in a temp folder: queueing, deduplication, leases, backoff,
// restart, size bounds and dead letters. Delivery to a server is in outbox-delivery*.test.ts.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OutcomeOutbox } from '../outcome-outbox';
import type { OutcomeOutboxOptions } from '../outbox-types';
import { PluginCounters } from '../../../support/plugin-counters';
import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import { tempDir, write } from '../../../__tests__/helpers/outbox-test-kit';

describe('OutcomeOutbox', () => {
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

  function outbox(options: Partial<OutcomeOutboxOptions> = {}) {
    const log = capturingLogger();
    const counters = new PluginCounters();
    const box = new OutcomeOutbox({
      path: join(temp.dir, 'outbox.db'),
      logger: log.logger,
      counters,
      now: () => now,
      ...options,
    });
    open.push(box);
    return { box, counters, log };
  }

  it('queues writes, hands out the oldest first with their attempt, and forgets them once delivered', () => {
    const { box, counters } = outbox();
    expect(box.enqueue(write('t1'))).toBe('queued');
    expect(box.enqueue({ ...write('t2'), forceStore: true, priority: 'important' })).toBe('queued');
    expect(box.enqueue(write('t3'))).toBe('queued');

    const claimed = box.claim(2);
    expect(claimed.map((c) => [c.topic, c.attempt, c.outcomeUnknown])).toEqual([
      ['t1', 1, false],
      ['t2', 1, false],
    ]);
    expect(claimed[1]!.write).toEqual({
      ...write('t2'),
      tags: ['temporal', 'activity-outcome'],
      forceStore: true,
      priority: 'important',
    });
    // Claimed entries are leased: only t3 is left to claim.
    expect(box.claim(10).map((c) => c.topic)).toEqual(['t3']);

    expect(box.markDelivered(['t1', 't2', 't3'])).toBe(3);
    expect(box.stats()).toEqual({ pending: 0, pendingBytes: 0, deliveredTopics: 3, deadLetters: 0 });
    expect(counters.snapshot()).toMatchObject({ outcomesQueued: 3, outcomesDelivered: 3 });
  });

  it('treats a topic already pending or already delivered as a duplicate', () => {
    const { box, counters } = outbox();
    expect(box.enqueue(write('a'))).toBe('queued');
    expect(box.enqueue(write('a', 'other content'))).toBe('duplicate');
    box.claim(1);
    box.markDelivered(['a']);
    expect(box.enqueue(write('a'))).toBe('duplicate');
    expect(box.claim(10)).toEqual([]);
    expect(counters.snapshot()).toMatchObject({
      outcomesQueued: 1,
      outcomesDeduplicated: 2,
      outcomesDelivered: 1,
    });
  });

  it('persists the backoff schedule and the attempt count', () => {
    const { box } = outbox();
    box.enqueue(write('a'));
    box.claim(1);
    expect(box.markFailed('a', now + 5_000, { error: 'timeout' })).toBe(true);
    expect(box.claim(1)).toEqual([]);
    expect(box.nextDueAt()).toBe(now + 5_000);
    now += 5_000;
    expect(box.claim(1).map((c) => c.attempt)).toEqual([2]);
    // release() gives the attempt back.
    box.release(['a']);
    expect(box.claim(1).map((c) => c.attempt)).toEqual([2]);
  });

  it('survives a restart: a new outbox on the file sees pending entries, their backoff and unfinished claims', () => {
    const first = outbox();
    first.box.enqueue(write('waiting'));
    first.box.enqueue(write('backed-off'));
    first.box.enqueue(write('in-flight'));
    const [waiting, backedOff, inFlight] = first.box.claim(3);
    first.box.release([waiting!.topic]);
    first.box.markFailed(backedOff!.topic, now + 60_000);
    expect(inFlight!.topic).toBe('in-flight'); // still held when the worker stops
    first.box.close();

    const second = outbox();
    expect(second.box.stats().pending).toBe(3);
    const claimed = second.box.claim(10);
    expect(claimed.map((c) => [c.topic, c.outcomeUnknown])).toEqual([
      ['waiting', false],
      // Given back at close, but its call may have reached the server: delivery checks before writing again.
      ['in-flight', true],
    ]);
    second.box.markDelivered(['waiting', 'in-flight']);
    now += 60_000;
    expect(second.box.claim(10).map((c) => c.topic)).toEqual(['backed-off']);
  });

  it('keeps two outboxes on one file off each other’s entries with a lease, and flags an expired lease', () => {
    const a = outbox().box;
    const b = outbox().box;
    for (let i = 0; i < 6; i++) a.enqueue(write(`t${i}`));
    const byA = a.claim(4, 1_000).map((c) => c.topic);
    const byB = b.claim(4, 1_000).map((c) => c.topic);
    expect(byA).toEqual(['t0', 't1', 't2', 't3']);
    expect(byB).toEqual(['t4', 't5']);
    expect(b.claim(4)).toEqual([]);

    // B's reports on A's entries are ignored while A holds them.
    expect(b.markFailed('t0', now + 10_000)).toBe(false);
    expect(b.release(['t1'])).toBe(0);

    // A dies holding t0..t3: after the lease they go to B, flagged as of unknown outcome.
    now += 1_001;
    const reclaimed = b.claim(10);
    expect(reclaimed.map((c) => [c.topic, c.attempt, c.outcomeUnknown])).toEqual([
      ['t0', 2, true],
      ['t1', 2, true],
      ['t2', 2, true],
      ['t3', 2, true],
      ['t4', 2, true],
      ['t5', 2, true],
    ]);
    // A's late report no longer applies; a late delivery report is still honoured (the server has it).
    expect(a.markFailed('t0', now)).toBe(false);
    expect(a.markDelivered(['t0'])).toBe(1);
  });

  it('drops NEW writes when maxPending is reached: counted, logged as an error with the count, never silently', () => {
    const { box, counters, log } = outbox({ maxPending: 2, dropLogIntervalMs: 10_000 });
    expect(box.enqueue(write('a'))).toBe('queued');
    expect(box.enqueue(write('b'))).toBe('queued');
    expect(box.enqueue(write('c'))).toBe('dropped');
    expect(box.enqueue(write('d'))).toBe('dropped');
    expect(box.enqueue(write('e'))).toBe('dropped');
    expect(counters.snapshot().outcomesDropped).toBe(3);
    // The oldest stay; the new ones went.
    expect(box.claim(10).map((c) => c.topic)).toEqual(['a', 'b']);

    const errors = log.at('error', 'dropped');
    expect(errors).toHaveLength(1); // the first drop at once, the next ones summed up
    expect(errors[0]).toMatchObject({ droppedOutcomes: 1, topic: 'c' });
    expect(errors[0]!.msg).toContain('full');

    // Space again: the first accepted write reports the drops not logged yet.
    box.markDelivered(['a']);
    expect(box.enqueue(write('f'))).toBe('queued');
    expect(log.at('error', 'dropped').map((l) => l.droppedOutcomes)).toEqual([1, 2]);
  });

  it('drops new writes past maxPendingBytes, and a write larger than the whole bound', () => {
    const { box, counters, log } = outbox({ maxPendingBytes: 2_000, dropLogIntervalMs: 0 });
    expect(box.enqueue(write('a', 'x'.repeat(900)))).toBe('queued');
    expect(box.enqueue(write('b', 'x'.repeat(900)))).toBe('queued');
    expect(box.enqueue(write('c', 'x'.repeat(900)))).toBe('dropped');
    expect(box.enqueue(write('huge', 'x'.repeat(5_000)))).toBe('dropped');
    expect(box.enqueue(write('small', 'x'))).toBe('queued');
    expect(box.stats().pendingBytes).toBeLessThanOrEqual(2_000);
    expect(counters.snapshot().outcomesDropped).toBe(2);
    expect(log.at('error', 'dropped').map((l) => l.topic)).toEqual(['c', 'huge']);
  });

  it('moves a permanently refused write to the dead letters, with a counter and an error log', () => {
    const { box, counters, log } = outbox();
    box.enqueue(write('bad', 'y'.repeat(70_000)));
    box.claim(1);
    expect(box.drop('bad', 'invalid_input: topic too long')).toBe(true);
    expect(box.drop('bad', 'again')).toBe(false);
    expect(box.stats()).toMatchObject({ pending: 0, deadLetters: 1 });
    const [dead] = box.deadLetters();
    expect(dead).toMatchObject({
      topic: 'bad',
      reason: 'invalid_input: topic too long',
      attempts: 1,
      contentBytes: 70_000,
    });
    expect(dead!.content).toHaveLength(64 * 1024);
    expect(counters.snapshot().outcomesDropped).toBe(1);
    expect(log.at('error', 'refused an outcome for good')).toHaveLength(1);
    // A dead-lettered topic reported again is a duplicate, not a second refusal.
    expect(box.enqueue(write('bad'))).toBe('duplicate');
  });

  it('keeps a bounded memory of delivered topics and dead letters', () => {
    const { box } = outbox({ maxDeliveredTopics: 3, maxDeadLetters: 2, deliveredRetentionMs: 60_000 });
    for (const t of ['d1', 'd2', 'd3', 'd4', 'x1', 'x2', 'x3']) box.enqueue(write(t));
    box.claim(10);
    box.markDelivered(['d1', 'd2', 'd3', 'd4']);
    for (const t of ['x1', 'x2', 'x3']) box.drop(t, 'invalid_input');
    box.maintain();
    expect(box.stats()).toMatchObject({ deliveredTopics: 3, deadLetters: 2 });
    expect(box.enqueue(write('d1'))).toBe('queued'); // forgotten: the bound of deduplication
    expect(box.enqueue(write('d4'))).toBe('duplicate');

    now += 60_001;
    box.maintain();
    expect(box.stats().deliveredTopics).toBe(0);
  });

  it('never throws from enqueue, even when closed', () => {
    const { box, counters, log } = outbox();
    box.close();
    expect(box.enqueue(write('late'))).toBe('dropped');
    expect(counters.snapshot().outcomesDropped).toBe(1);
    expect(log.at('error', 'closed')).toHaveLength(1);
  });

  it('opens the file in WAL mode (readers never block the writer) with incremental auto-vacuum', () => {
    outbox().box.close();
    const db = new Database(join(temp.dir, 'outbox.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });
});
