// Delivery to the REAL memory server (`@temporal-stompy/memory-server`, `createStompyServer`) on its own
// SQLite file, spoken to in-process over MCP exactly as the embedded default is. Its `hosted` profile
// emulates hosted Stompy: 60 calls per fixed minute and 20 per 10 seconds with `retry_after_seconds`,
// only Stompy's seven tools (extras when asked for), 100-character topics, the novelty gate. To play minutes of rate limiting in about a second, the server, the outbox
// and delivery share one clock that runs 100 times faster than real time (delivery's timers too).
import { join } from 'node:path';
import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import type { MemoryTarget } from '../../../mcp/memory-target';
import { McpSession } from '../../../mcp/mcp-session';
import { StompyClient } from '../../../mcp/stompy-client';
import type { DeliveryClock } from '../delivery-clock';
import type { OutboxDeliveryOptions } from '../delivery-settings';
import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import {
  deliveryHarness,
  tempDir,
  waitFor,
  write,
  type DeliveryHarness,
} from '../../../__tests__/helpers/outbox-test-kit';

const SPEED = 100;

/** A clock running SPEED times faster than real time; its timers fire SPEED times sooner. */
function fastClock(): DeliveryClock {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * SPEED,
    setTimeout: (callback, ms, keepAlive) => {
      const timer = setTimeout(callback, ms / SPEED);
      if (!keepAlive) timer.unref();
      return timer;
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

describe('OutboxDelivery to the real memory server', () => {
  let temp: ReturnType<typeof tempDir>;
  let deps: StompyServerDeps;
  let clock: DeliveryClock;
  const harnesses: DeliveryHarness[] = [];
  const serverLog = capturingLogger();

  function startServer(profile: 'local' | 'hosted', extraTools?: 'all'): { target(): MemoryTarget } {
    deps = createServerDeps(
      resolveConfig({
        dbPath: join(temp.dir, 'memory.db'),
        profile,
        logger: serverLog.logger,
        now: clock.now,
        ...(extraTools ? { extraTools } : {}),
      }),
    );
    return {
      target: () => ({
        kind: 'in-process',
        createServer: () => createStompyServer(deps),
        description: 'memory.db',
      }),
    };
  }

  function harness(server: { target(): MemoryTarget }, delivery: Partial<OutboxDeliveryOptions> = {}) {
    const h = deliveryHarness(server, join(temp.dir, 'outbox.db'), {
      outbox: { now: clock.now },
      delivery: { clock, callTimeoutMs: 5_000, ...delivery },
    });
    harnesses.push(h);
    return h;
  }

  /**
   * Reads back through a second, independent client, from the same file served by a second server
   * without a rate limit: reading back is not part of what a test paces. (Through the hosted server,
   * right after delivery has filled its sliding window, the read itself would be refused as soon as
   * the calls of the last minute were spread out, as they are on a loaded machine.)
   */
  async function readBack(topics: string[]) {
    const reader = createServerDeps(
      resolveConfig({ dbPath: join(temp.dir, 'memory.db'), profile: 'local', logger: serverLog.logger }),
    );
    const session = new McpSession(
      {
        kind: 'in-process',
        createServer: () => createStompyServer(reader),
        description: 'memory.db (reader)',
      },
      5_000,
      serverLog.logger,
    );
    try {
      return await new StompyClient(session, 'test-project').recallBatch(topics);
    } finally {
      await session.close();
      await reader.store.close();
    }
  }

  beforeEach(() => {
    temp = tempDir();
    clock = fastClock();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
    await deps.store.close();
    temp.remove();
  });

  it('delivers to the embedded (local) server, once per topic, across a restart', async () => {
    const server = startServer('local');
    const first = harness(server);
    for (let i = 0; i < 30; i++) first.outbox.enqueue(write(`local-${i}`));
    await first.close(); // the worker stops before delivering anything

    const second = harness(server);
    second.delivery.start();
    for (let i = 30; i < 40; i++) {
      second.outbox.enqueue(write(`local-${i}`));
      second.delivery.kick();
    }
    await waitFor(() => second.outbox.pendingCount() === 0, 10_000, 'delivery');
    expect(second.outbox.enqueue(write('local-3'))).toBe('duplicate');

    const topics = Array.from({ length: 40 }, (_, i) => `local-${i}`);
    const stored = await readBack(topics);
    expect([...stored.keys()].sort()).toEqual([...topics].sort());
    for (const context of stored.values()) expect(context.version).toBe('1.0'); // one version: nothing twice
    expect(stored.get('local-7')).toMatchObject({
      tags: ['temporal', 'activity-outcome'],
      priority: 'reference',
    });
  });

  it('honours the hosted profile’s rate limit (retry_after_seconds) and delivers everything exactly once', async () => {
    const server = startServer('hosted');
    // One write per call, as against hosted Stompy (which has no batch tool), and no client-side
    // limit: the server's refusals pace delivery.
    const h = harness(server, { batchSize: 1 });
    const topics = Array.from({ length: 130 }, (_, i) => `hosted-${i}`);
    const started = clock.now();
    for (const t of topics) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 20_000, 'delivery under the rate limit');

    // 130 calls at 60 per fixed minute span three minute windows: at least one whole minute passes.
    expect(clock.now() - started).toBeGreaterThan(60_000);
    expect(h.counters.snapshot()).toMatchObject({
      outcomesDelivered: 130,
      outcomesDropped: 0,
      circuitOpened: 0,
    });
    expect(h.counters.snapshot().deliveryRetries).toBeGreaterThan(0);
    expect(h.log.at('warn', 'rate limit').length).toBeGreaterThan(0);
    expect(h.log.at('warn', 'rate limit').every((l) => typeof l.retryAfterSeconds === 'number')).toBe(true);
    const stored = await readBack(topics);
    expect(stored.size).toBe(130);
    for (const context of stored.values()) expect(context.version).toBe('1.0');
  });

  it('stays under the hosted rate limit when maxCallsPerMinute is set below it', async () => {
    const server = startServer('hosted');
    const h = harness(server, { maxCallsPerMinute: 55, batchSize: 1 });
    for (let i = 0; i < 70; i++) h.outbox.enqueue(write(`paced-${i}`));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 20_000, 'paced delivery');
    expect(h.counters.snapshot()).toMatchObject({ outcomesDelivered: 70, deliveryRetries: 0 });
    expect(h.log.at('warn', 'rate limit')).toEqual([]);
  });

  it('dead-letters what the hosted server refuses as invalid, and takes a novelty refusal as already stored', async () => {
    const server = startServer('hosted');
    // An earlier attempt stored this write but its answer was lost: hosted Stompy's novelty gate refuses it now.
    const session = new McpSession(server.target(), 5_000, serverLog.logger);
    await new StompyClient(session, 'test-project').lockContext(write('already-there'));
    await session.close();

    const h = harness(server);
    h.outbox.enqueue(write('x'.repeat(101))); // hosted topics are at most 100 characters
    h.outbox.enqueue(write('already-there'));
    h.outbox.enqueue(write('fine'));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 10_000);

    expect(h.outbox.deadLetters().map((d) => [d.topic.length, d.reason.startsWith('invalid_input')])).toEqual(
      [[101, true]],
    );
    expect(h.counters.snapshot()).toMatchObject({ outcomesDelivered: 2, outcomesDropped: 1 });
    const stored = await readBack(['already-there', 'fine']);
    expect(stored.get('already-there')?.version).toBe('1.0');
    expect(stored.get('fine')?.version).toBe('1.0');
  });

  it("uses the server's lock_context_batch when tools/list offers it: 130 writes in 3 calls under a 60/min limit", async () => {
    // Hosted Stompy has no batch tool: the hosted profile offers ours only when asked for.
    const server = startServer('hosted', 'all');
    const h = harness(server);
    const topics = Array.from({ length: 130 }, (_, i) => `batched-${i}`);
    for (const t of topics) h.outbox.enqueue(write(t));
    h.delivery.start();
    await waitFor(() => h.outbox.pendingCount() === 0, 20_000, 'batched delivery');
    // Never refused for the rate limit, so never waited for a window. (Not measured as elapsed time:
    // a minute of the fast clock is 0.6 s, which a loaded machine can take for three calls.)
    expect(h.log.at('warn', 'rate limit')).toEqual([]);
    expect(h.counters.snapshot()).toMatchObject({
      outcomesDelivered: 130,
      outcomesDropped: 0,
      deliveryRetries: 0,
    });
    const stored = await readBack(topics);
    expect(stored.size).toBe(130);
  });
});
