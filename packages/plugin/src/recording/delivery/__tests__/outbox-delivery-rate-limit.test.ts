// Rate limits in delivery: the client-side token bucket (hosted Stompy allows 60 calls a minute on
// the free plan) and the server's own rate-limit refusals with retry_after_seconds. Real outbox file,
// real MCP client; the server is a test double (see memory-server-double.ts for why).
import { deliveryFixture, waitFor, write } from '../../../__tests__/helpers/outbox-test-kit';

describe('OutboxDelivery rate limits', () => {
  const fixture = deliveryFixture('outbox.db');
  const { harness } = fixture;

  function gaps(times: number[]): number[] {
    return times.slice(1).map((t, i) => t - times[i]!);
  }

  it('spaces calls to honour maxCallsPerMinute', async () => {
    fixture.server.offerBatch = false; // one call per entry makes the limit visible
    const h = harness({ delivery: { maxCallsPerMinute: 600 } }); // one call per 100 ms
    for (let i = 0; i < 6; i++) h.outbox.enqueue(write(`paced-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 5_000);
    const times = fixture.server.writeCalls().map((c) => c.at);
    expect(times).toHaveLength(6);
    // Times are taken by the server, so each gap may lose a few ms of transport jitter, not more.
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(80);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(480);
  });

  it('counts a batch as one call', async () => {
    const h = harness({ delivery: { maxCallsPerMinute: 60, batchSize: 50 } });
    for (let i = 0; i < 40; i++) h.outbox.enqueue(write(`batched-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 5_000);
    expect(fixture.server.writeCalls()).toHaveLength(1);
  });

  it('waits out the server’s retry_after_seconds before calling again, then delivers each write once', async () => {
    fixture.server.rateLimitNext = 1;
    fixture.server.retryAfterSeconds = 0.4;
    const h = harness();
    for (let i = 0; i < 3; i++) h.outbox.enqueue(write(`limited-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 5_000);

    const calls = fixture.server.writeCalls();
    expect(calls.map((c) => c.tool)).toEqual(['lock_context_batch', 'lock_context_batch']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(390);
    expect(fixture.server.writeLog.sort()).toEqual(['limited-0', 'limited-1', 'limited-2']);
    expect(h.counters.snapshot()).toMatchObject({
      deliveryRetries: 3,
      outcomesDelivered: 3,
      outcomesDropped: 0,
      circuitOpened: 0,
    });
    expect(h.log.at('warn', 'rate limit')).toEqual([
      expect.objectContaining({ retryAfterSeconds: 0.4, entries: 3 }),
    ]);
  });

  it('backs off exponentially (full jitter, capped) on rate-limit refusals without retry_after, and never drops them', async () => {
    fixture.server.offerBatch = false;
    fixture.server.rateLimitNext = 4;
    fixture.server.retryAfterSeconds = undefined;
    // The jitter draws its maximum, so the delays are the caps: 100, 200, 400, then capped at 400 ms.
    const h = harness({ delivery: { backoffInitialMs: 100, backoffMaxMs: 400, random: () => 0.999 } });
    h.outbox.enqueue(write('patient'));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 5_000);

    const delays = gaps(fixture.server.writeCalls().map((c) => c.at));
    expect(delays).toHaveLength(4);
    [100, 200, 400, 400].forEach((expected, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(expected - 10);
      expect(delays[i]).toBeLessThan(expected + 150);
    });
    expect(fixture.server.writeCount('patient')).toBe(1);
    expect(h.counters.snapshot()).toMatchObject({ deliveryRetries: 4, outcomesDropped: 0 });
  });
});
