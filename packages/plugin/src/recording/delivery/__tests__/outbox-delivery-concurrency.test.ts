// Several deliverers on one outbox file (several workers in one process): each entry is delivered
// by one of them at a time and exactly once. Real SQLite file, real MCP client, one server test double
// (see memory-server-double.ts for why) that counts concurrent writes of each topic.
import { deliveryFixture, waitFor, write } from '../../../__tests__/helpers/outbox-test-kit';

describe('OutboxDelivery with several deliverers on one file', () => {
  const fixture = deliveryFixture('shared.db');
  const { harness } = fixture;

  it.each([
    ['batch writes', true],
    ['one lock_context per entry', false],
  ])('never delivers the same topic twice at once, nor twice at all (%s)', async (_name, batch) => {
    fixture.server.offerBatch = batch;
    fixture.server.writeDelayMs = 5; // calls overlap
    const deliverers = [
      harness({ delivery: { batchSize: 7 } }),
      harness({ delivery: { batchSize: 7 } }),
      harness({ delivery: { batchSize: 7 } }),
    ];
    for (const d of deliverers) d.delivery.start();

    // Outcomes arrive at every deliverer, some reported twice (to different workers).
    const topics = Array.from({ length: 90 }, (_, i) => `shared-${i}`);
    for (const [i, topic] of topics.entries()) {
      const d = deliverers[i % 3]!;
      d.outbox.enqueue(write(topic));
      d.delivery.kick();
      if (i % 10 === 0) deliverers[(i + 1) % 3]!.outbox.enqueue(write(topic));
    }
    await waitFor(() => deliverers[0]!.outbox.pendingCount() === 0, 15_000, 'the shared outbox to empty');

    expect(fixture.server.maxConcurrentPerTopic).toBe(1);
    expect(fixture.server.stored.size).toBe(90);
    expect(fixture.server.writeLog).toHaveLength(90);
    const delivered = deliverers.map((d) => d.counters.snapshot().outcomesDelivered);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(90);
    expect(delivered.filter((n) => n > 0).length).toBeGreaterThan(1); // they shared the work
    const deduplicated = deliverers.map((d) => d.counters.snapshot().outcomesDeduplicated);
    expect(deduplicated.reduce((a, b) => a + b, 0)).toBe(9);
  });
});
