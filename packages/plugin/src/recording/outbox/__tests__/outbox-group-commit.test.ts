// Writes that arrive together are committed in one transaction: each gets the answer it would get
// alone, in order, and one bad write does not cost the others their place.
import { join } from 'node:path';
import { OutcomeOutbox } from '../outcome-outbox';
import { PluginCounters } from '../../../support/plugin-counters';
import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import { tempDir, write } from '../../../__tests__/helpers/outbox-test-kit';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.remove());

it('answers each write of a group as it would alone, in order, in one commit', () => {
  const counters = new PluginCounters();
  const log = capturingLogger();
  const box = new OutcomeOutbox({
    path: join(temp.dir, 'outbox.db'),
    logger: log.logger,
    counters,
    maxPending: 3,
    maxPendingBytes: 4_000,
  });
  try {
    expect(box.enqueue(write('earlier'))).toBe('queued');
    const results = box.enqueueAll([
      write('a'),
      write('earlier'), // already pending
      write('a'), // earlier in the same group
      write('huge', 'x'.repeat(5_000)), // larger than the whole bound
      write('b'),
      write('c'), // the outbox holds 3: full
    ]);
    expect(results).toEqual(['queued', 'duplicate', 'duplicate', 'dropped', 'queued', 'dropped']);
    expect(box.claim(10).map((c) => c.topic)).toEqual(['earlier', 'a', 'b']);
    expect(counters.snapshot()).toMatchObject({
      outcomesQueued: 3,
      outcomesDeduplicated: 2,
      outcomesDropped: 2,
    });
    expect(log.at('error', 'dropped')[0]).toMatchObject({ topic: 'huge' });
  } finally {
    box.close();
  }
});

it('drops every write of a group, counted, once the outbox is closed', () => {
  const counters = new PluginCounters();
  const box = new OutcomeOutbox({
    path: join(temp.dir, 'outbox.db'),
    logger: capturingLogger().logger,
    counters,
  });
  box.close();
  expect(box.enqueueAll([write('a'), write('b')])).toEqual(['dropped', 'dropped']);
  expect(counters.snapshot().outcomesDropped).toBe(2);
});
