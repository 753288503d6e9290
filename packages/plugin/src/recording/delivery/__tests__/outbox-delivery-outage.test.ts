// Memory-server outages seen by delivery: backoff, the circuit breaker, answers lost after the write
// was stored, and a flush that must return by its deadline while the server hangs. Real outbox file,
// real MCP client; the server is a test double (see memory-server-double.ts for why).
import { deliveryFixture, sleep, waitFor, write } from '../../../__tests__/helpers/outbox-test-kit';

describe('OutboxDelivery through outages', () => {
  const fixture = deliveryFixture('outbox.db');
  const { harness } = fixture;

  it('backs off, opens the circuit once, and when the server is back delivers everything exactly once', async () => {
    const h = harness({ delivery: { circuitFailureThreshold: 3, circuitCoolDownMs: 100 } });
    for (let i = 0; i < 30; i++) h.outbox.enqueue(write(`early-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0);

    // The server goes away mid-run, while outcomes keep coming.
    await fixture.server.goDown();
    for (let i = 0; i < 40; i++) {
      h.outbox.enqueue(write(`during-${i}`));
      h.delivery.kick();
    }
    await waitFor(() => h.delivery.circuitState() !== 'closed', 5_000, 'the circuit to open');
    await sleep(450); // a few cool-downs and failed probes
    expect(h.counters.snapshot().circuitOpened).toBe(1);
    expect(h.log.at('warn', 'circuit open')).toHaveLength(1); // once per transition, not per entry or probe
    // Not one warning per entry (40 of them): threshold - 1 retry warnings and the opening.
    expect(h.log.at('warn', 'unavailable').length).toBeLessThanOrEqual(3);
    expect(h.outbox.pendingCount()).toBe(40);

    await fixture.server.comeBack();
    for (let i = 0; i < 5; i++) h.outbox.enqueue(write(`after-${i}`));
    h.delivery.kick();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000, 'the backlog');
    expect(h.delivery.circuitState()).toBe('closed');
    expect(fixture.server.stored.size).toBe(75);
    expect(fixture.server.writeLog).toHaveLength(75); // nothing twice
    expect(h.counters.snapshot()).toMatchObject({
      outcomesQueued: 75,
      outcomesDelivered: 75,
      outcomesDropped: 0,
      circuitOpened: 1,
    });
    expect(h.log.at('info', 'circuit closed')).toHaveLength(1);
  });

  it('does not write twice when the server stored a write but its answer was lost (timeout)', async () => {
    fixture.server.mode = 'store-then-hang';
    const h = harness({ delivery: { circuitFailureThreshold: 100 } });
    for (let i = 0; i < 10; i++) h.outbox.enqueue(write(`lost-${i}`));
    h.delivery.start();
    await waitFor(() => fixture.server.stored.size === 10, 5_000, 'the writes to be stored');
    await waitFor(() => h.counters.snapshot().deliveryRetries >= 10, 5_000, 'the timeouts');
    expect(h.outbox.pendingCount()).toBe(10); // the worker could not know they arrived

    await fixture.server.comeBack();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000, 'the retries');
    expect(fixture.server.writeLog).toHaveLength(10); // checked with recall_batch, not written again
    expect(fixture.server.calls.some((c) => c.tool === 'recall_batch')).toBe(true);
    expect(h.counters.snapshot().outcomesDelivered).toBe(10);
  });

  it('flush returns by its deadline while the server hangs, and the rest stays queued', async () => {
    fixture.server.mode = 'hang';
    const h = harness({ delivery: { callTimeoutMs: 5_000 } });
    for (let i = 0; i < 5; i++) h.outbox.enqueue(write(`stuck-${i}`));
    h.delivery.start();
    await sleep(50); // a call is now hanging in the background

    const started = Date.now();
    const result = await h.delivery.flush(300);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
    expect(result).toEqual({ delivered: 0, remaining: 5 });
    expect(h.log.at('warn', 'flush ran out of time')).toHaveLength(1);

    // stop() waits for the hanging call no longer than the call timeout (the double is released here).
    await fixture.server.comeBack();
    await h.close();
    const after = harness();
    expect(after.outbox.pendingCount()).toBe(5);
    await expect(after.delivery.flush(5_000)).resolves.toEqual({ delivered: 5, remaining: 0 });
    for (let i = 0; i < 5; i++) expect(fixture.server.writeCount(`stuck-${i}`)).toBe(1);
  });

  it('flush with the circuit open returns at once instead of waiting for the cool-down', async () => {
    await fixture.server.goDown();
    const h = harness({ delivery: { circuitFailureThreshold: 1, circuitCoolDownMs: 60_000 } });
    h.outbox.enqueue(write('w'));
    h.delivery.start();
    await waitFor(() => h.delivery.circuitState() === 'open');
    const started = Date.now();
    await expect(h.delivery.flush(2_000)).resolves.toEqual({ delivered: 0, remaining: 1 });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
