import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpSession } from '../../mcp/mcp-session';
import { StompyClient, type ContextWrite } from '../../mcp/stompy-client';
import { OutboxDelivery } from '../../recording/delivery/outbox-delivery';
import type { OutboxDeliveryOptions } from '../../recording/delivery/delivery-settings';
import { OutcomeOutbox } from '../../recording/outbox/outcome-outbox';
import type { OutcomeOutboxOptions } from '../../recording/outbox/outbox-types';
import { PluginCounters } from '../../support/plugin-counters';
import type { MemoryTarget } from '../../mcp/memory-target';
import { MemoryServerDouble } from './memory-server-double';
import { capturingLogger, type CapturedLogs } from './capturing-logger';

/** A fresh temp folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stompy-outbox-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An outcome-like write. */
export function write(topic: string, content = `Workflow: order ${topic}\nSuccess: yes`): ContextWrite {
  return { topic, content, tags: ['temporal', 'activity-outcome'], priority: 'reference' };
}

export { waitFor } from './wait-for';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Everything a delivery test needs: a real outbox file, the plugin's real MCP client, a server double. */
export interface DeliveryHarness {
  server: { target(): MemoryTarget };
  outbox: OutcomeOutbox;
  delivery: OutboxDelivery;
  session: McpSession;
  counters: PluginCounters;
  log: CapturedLogs;
  path: string;
  /** Stops delivery, closes the outbox and the connection (not the server). */
  close(): Promise<void>;
}

/** Test defaults: short timeouts and backoffs so outages play out in a fraction of a second. */
export const FAST: Partial<OutboxDeliveryOptions> = {
  callTimeoutMs: 1_000,
  backoffInitialMs: 10,
  backoffMaxMs: 50,
  circuitFailureThreshold: 3,
  circuitCoolDownMs: 100,
  idlePollMs: 50,
  kickDebounceMs: 1,
  // Of the per-outcome path against servers without a batch tool; the packs and digests that are
  // the default there have their own tests (aggregate-delivery*.test.ts).
  aggregate: false,
};

/** Builds an outbox on `path` and a delivery to `server` through McpSession + StompyClient (in-process MCP). */
export function deliveryHarness(
  server: { target(): MemoryTarget },
  path: string,
  options: {
    delivery?: Partial<OutboxDeliveryOptions>;
    outbox?: Partial<OutcomeOutboxOptions>;
    counters?: PluginCounters;
  } = {},
): DeliveryHarness {
  const log = capturingLogger();
  const counters = options.counters ?? new PluginCounters();
  const outbox = new OutcomeOutbox({ path, logger: log.logger, counters, ...options.outbox });
  const session = new McpSession(server.target(), 5_000, log.logger);
  const client = new StompyClient(session, 'test-project');
  const delivery = new OutboxDelivery({
    outbox,
    client,
    logger: log.logger,
    counters,
    ...FAST,
    ...options.delivery,
  });
  let closed = false;
  return {
    server,
    outbox,
    delivery,
    session,
    counters,
    log,
    path,
    async close() {
      if (closed) return;
      closed = true;
      await delivery.stop();
      outbox.close();
      await session.close();
    },
  };
}

/** What {@link deliveryFixture} gives each test: the server double of the test, and harnesses on one outbox file. */
export interface DeliveryFixture {
  /** The test's memory server double (a new one per test). */
  readonly server: MemoryServerDouble;
  /** A delivery harness on the test's outbox file; closed after the test. */
  harness(options?: Parameters<typeof deliveryHarness>[2]): DeliveryHarness;
}

/**
 * Registers the setup every delivery test file shares: per test, a temp folder, a new server double,
 * and harnesses on `<temp>/<fileName>` that are closed (then the server, then the folder) afterwards.
 */
export function deliveryFixture(fileName = 'outbox.db'): DeliveryFixture {
  let temp: ReturnType<typeof tempDir> | undefined;
  let server: MemoryServerDouble | undefined;
  const harnesses: DeliveryHarness[] = [];
  beforeEach(() => {
    temp = tempDir();
    server = new MemoryServerDouble();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
    await server?.close();
    temp?.remove();
  });
  return {
    get server(): MemoryServerDouble {
      if (!server) throw new Error('deliveryFixture: the server exists only inside a test');
      return server;
    },
    harness(options = {}) {
      if (!temp || !server) throw new Error('deliveryFixture: harnesses exist only inside a test');
      const h = deliveryHarness(server, join(temp.dir, fileName), options);
      harnesses.push(h);
      return h;
    },
  };
}
