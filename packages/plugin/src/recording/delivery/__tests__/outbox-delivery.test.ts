// Delivery of the outbox (a real SQLite file) to a memory server over real MCP (the plugin's
// McpSession + StompyClient, in-process transport): in batches or one write per entry, soon after a
// kick, once per topic, across a restart, and never throwing. (Refusals: outbox-delivery-refusals.)
// The server is a test double: see memory-server-double.ts for why and what is real.
import { deliveryFixture, sleep, waitFor, write } from '../../../__tests__/helpers/outbox-test-kit';

describe('OutboxDelivery', () => {
  const fixture = deliveryFixture('outbox.db');
  const { harness } = fixture;

  it('delivers queued writes in batches when the server offers lock_context_batch', async () => {
    const h = harness({ delivery: { batchSize: 50 } });
    for (let i = 0; i < 120; i++) h.outbox.enqueue(write(`batch-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000, 'outbox to empty');

    expect(fixture.server.stored.size).toBe(120);
    expect(fixture.server.writeCalls().map((c) => [c.tool, c.topics.length])).toEqual([
      ['lock_context_batch', 50],
      ['lock_context_batch', 50],
      ['lock_context_batch', 20],
    ]);
    expect(fixture.server.stored.get('batch-7')).toMatchObject({
      tags: ['temporal', 'activity-outcome'],
      priority: 'reference',
    });
    expect(h.counters.snapshot()).toMatchObject({
      outcomesQueued: 120,
      outcomesDelivered: 120,
      deliveryRetries: 0,
      internalErrors: 0,
    });
  });

  it('falls back to one lock_context per entry when the server is plain Stompy (no batch tool)', async () => {
    fixture.server.offerBatch = false;
    const h = harness();
    for (let i = 0; i < 5; i++) h.outbox.enqueue(write(`single-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000, 'outbox to empty');
    expect(fixture.server.writeCalls().map((c) => c.tool)).toEqual(Array(5).fill('lock_context'));
    expect([...fixture.server.stored.keys()]).toEqual([
      'single-0',
      'single-1',
      'single-2',
      'single-3',
      'single-4',
    ]);
  });

  it('delivers soon after a kick, and a duplicate report records nothing twice', async () => {
    const h = harness({ delivery: { idlePollMs: 60_000 } });
    h.delivery.start();
    await sleep(100); // the first run finds nothing and goes idle for the 60 s poll
    const started = Date.now();
    expect(h.outbox.enqueue(write('once'))).toBe('queued');
    h.delivery.kick();
    await waitFor(() => fixture.server.stored.has('once'), 2_000, 'the kicked write');
    expect(Date.now() - started).toBeLessThan(1_000); // the kick, not the 60 s idle poll

    expect(h.outbox.enqueue(write('once'))).toBe('duplicate'); // after delivery
    h.delivery.kick();
    expect(h.outbox.enqueue(write('twice'))).toBe('queued');
    expect(h.outbox.enqueue(write('twice'))).toBe('duplicate'); // while pending
    h.delivery.kick();
    await waitFor(() => h.outbox.pendingCount() === 0);
    expect(fixture.server.writeCount('once')).toBe(1);
    expect(fixture.server.writeCount('twice')).toBe(1);
    expect(h.counters.snapshot()).toMatchObject({
      outcomesQueued: 2,
      outcomesDeduplicated: 2,
      outcomesDelivered: 2,
    });
  });

  it('delivers after a restart what an earlier worker left in the outbox', async () => {
    await fixture.server.goDown();
    const first = harness();
    for (let i = 0; i < 8; i++) first.outbox.enqueue(write(`left-${i}`));
    first.delivery.start();
    await waitFor(() => first.counters.snapshot().circuitOpened > 0, 5_000, 'the circuit to open');
    await first.close();
    expect(fixture.server.stored.size).toBe(0);

    await fixture.server.comeBack();
    const second = harness();
    expect(second.outbox.pendingCount()).toBe(8);
    second.delivery.start();
    await waitFor(() => second.outbox.pendingCount() === 0, 10_000, 'the left-over writes');
    expect(fixture.server.stored.size).toBe(8);
    for (let i = 0; i < 8; i++) expect(fixture.server.writeCount(`left-${i}`)).toBe(1);
  });

  it('never throws from kick, start, flush or stop, before start or after stop', async () => {
    const h = harness();
    h.delivery.kick(); // not started: ignored
    await expect(h.delivery.flush(100)).resolves.toEqual({ delivered: 0, remaining: 0 });
    h.outbox.enqueue(write('x'));
    await expect(h.delivery.flush(2_000)).resolves.toEqual({ delivered: 1, remaining: 0 }); // flush works without start
    h.delivery.start();
    await h.delivery.stop();
    await h.delivery.stop();
    h.delivery.kick();
    h.delivery.start(); // a stopped delivery stays stopped
    await expect(h.delivery.flush(100)).resolves.toEqual({ delivered: 0, remaining: 0 });
    expect(h.counters.snapshot().internalErrors).toBe(0);
  });
});
