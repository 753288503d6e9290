// OutboxDelivery.backlog(): the real outbox file, the plugin's real MCP client and a server double
// (memory-server-double.ts), on a clock the test moves by hand (the outbox's enqueue times and
// delivery's rate window share it; timers stay real, so flushes return on their own).
import { knownBacklog } from '../../../__tests__/helpers/backlogs';
import { deliveryFixture, write } from '../../../__tests__/helpers/outbox-test-kit';
import { OutboxDelivery } from '../outbox-delivery';
import { systemClock } from '../delivery-clock';

describe('OutboxDelivery.backlog', () => {
  const fixture = deliveryFixture('outbox.db');
  let now: number;
  beforeEach(() => (now = 1_700_000_000_000));

  function harness() {
    const clock = { ...systemClock, now: () => now };
    return fixture.harness({ delivery: { clock }, outbox: { now: () => now } });
  }

  it('reports pending outcomes, their age, the rate and the drain time as delivery goes', async () => {
    const h = harness();
    expect(h.delivery.backlog()).toEqual(knownBacklog());

    for (let i = 0; i < 30; i++) h.outbox.enqueue(write(`first-${i}`));
    now += 30_000;
    // Pending and nothing delivered yet: not draining, no estimate.
    expect(h.delivery.backlog()).toMatchObject({
      pending: 30,
      oldestAgeMs: 30_000,
      deliveredPerMinute: 0,
      estimatedDrainMs: undefined,
    });

    expect(await h.delivery.flush(5_000)).toEqual({ delivered: 30, remaining: 0 });
    now += 60_000;
    for (let i = 0; i < 20; i++) h.outbox.enqueue(write(`second-${i}`));
    now += 10_000;
    // 30 delivered in the 100 s since the rate was first read (its window is younger than 5 minutes):
    // 18 a minute, 20 pending.
    const backlog = h.delivery.backlog();
    expect(backlog).toMatchObject({ known: true, pending: 20, oldestAgeMs: 10_000, circuit: 'closed' });
    if (!backlog.known) throw new Error('unreachable');
    expect(backlog.pendingBytes).toBe(h.outbox.stats().pendingBytes);
    expect(backlog.deliveredPerMinute).toBeCloseTo(18, 6);
    expect(backlog.estimatedDrainMs).toBe(Math.round((20 / 18) * 60_000));

    // Five minutes later nothing was delivered in the window: not draining.
    now += 300_000;
    expect(h.delivery.backlog()).toMatchObject({
      pending: 20,
      oldestAgeMs: 310_000,
      deliveredPerMinute: 0,
      estimatedDrainMs: undefined,
    });

    expect(await h.delivery.flush(5_000)).toEqual({ delivered: 20, remaining: 0 });
    expect(h.delivery.backlog()).toMatchObject({ pending: 0, oldestAgeMs: undefined, estimatedDrainMs: 0 });
    expect(h.counters.snapshot().internalErrors).toBe(0);
  });

  it('shows the open circuit and the outcomes waiting while the server is down', async () => {
    const h = fixture.harness({ delivery: { circuitFailureThreshold: 1, circuitCoolDownMs: 60_000 } });
    await fixture.server.goDown();
    for (let i = 0; i < 5; i++) h.outbox.enqueue(write(`down-${i}`));
    await h.delivery.flush(300);
    expect(h.delivery.backlog()).toMatchObject({
      known: true,
      pending: 5,
      circuit: 'open',
      deliveredPerMinute: 0,
      estimatedDrainMs: undefined,
    });
  });

  it('counts dead letters', async () => {
    const h = harness();
    h.outbox.enqueue(write('refused'));
    h.outbox.claim(1);
    h.outbox.drop('refused', 'invalid_input');
    expect(h.delivery.backlog()).toMatchObject({ pending: 0, deadLetters: 1, estimatedDrainMs: 0 });
  });

  it('says unknown, logs and counts when the outbox cannot be read, and never throws', () => {
    const h = harness();
    const failing = new OutboxDelivery({
      outbox: {
        ...h.outbox,
        pendingCount: () => h.outbox.pendingCount(),
        backlog: () => {
          throw new Error('SQLITE_BUSY: database is locked');
        },
      } as unknown as ConstructorParameters<typeof OutboxDelivery>[0]['outbox'],
      client: {} as ConstructorParameters<typeof OutboxDelivery>[0]['client'],
      logger: h.log.logger,
      counters: h.counters,
    });
    expect(failing.backlog()).toEqual({
      known: false,
      reason: 'the outbox could not be read: SQLITE_BUSY: database is locked',
    });
    expect(h.counters.snapshot().internalErrors).toBe(1);
    expect(h.log.at('error', 'reading the backlog')).toHaveLength(1);
  });
});
