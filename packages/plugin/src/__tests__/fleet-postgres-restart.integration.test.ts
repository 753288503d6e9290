// The fleet's PostgreSQL stopped under load and started again: the memory servers stay up and answer
// errors while it is down, the runs go on (recall fails open, outcomes wait in the outboxes), the
// servers recover by themselves once it is back, and the outboxes then deliver every outcome once.
import type { PluginCounterValues } from '../index';
import { shipFails, type FleetOrderInput } from './fleet-fixtures/fleet-order';
import { FLEET_TOKEN, useFleet } from './helpers/fleet';
import { expectedOutcomes, storedOutcomes } from './helpers/fleet-records';
import { callMemoryTool, type ToolCallOutcome } from './helpers/memory-tool-call';
import { waitFor } from './helpers/wait-for';

const ORDERS = 30;
const PREFIX = 'pg-restart-';

const fleet = useFleet('fleet-pg-restart', { recallBudgetMs: 200 });

/** What every memory server answers to a read. */
function serversAnswer(): Promise<ToolCallOutcome[]> {
  return Promise.all(
    fleet.servers.map((server) => callMemoryTool(server.url, FLEET_TOKEN, 'context_dashboard', {}, 5_000)),
  );
}

it('loses and doubles nothing when PostgreSQL stops under load and starts again', async () => {
  let settled = 0;
  const results = Promise.all(
    Array.from({ length: ORDERS }, async (_, orderId) => {
      const handle = await fleet.env.client.workflow.start('FleetOrder', {
        taskQueue: fleet.taskQueue,
        workflowId: `${PREFIX}${orderId}`,
        args: [{ orderId, customerId: `C${orderId % 3}` } satisfies FleetOrderInput],
      });
      return handle
        .result()
        .then(
          () => 'shipped',
          () => 'failed',
        )
        .finally(() => settled++);
    }),
  );
  await waitFor(() => settled >= 5, 30_000, 'the first runs to end');
  await fleet.pg.stopServer();

  // While it is down the servers stay up (/healthz: they live) and refuse calls at once, saying the
  // database is unavailable and when to call again.
  const down = await serversAnswer();
  expect(down.map((answer) => answer.ok)).toEqual([false, false]);
  for (const answer of down) {
    expect(answer.ok ? '' : answer.error).toContain('"database_unavailable"');
    expect(answer.ok ? '' : answer.error).toContain('"retry_after_seconds":1');
  }
  for (const server of fleet.servers) {
    const health = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(health.status).toBe(200);
  }
  // The runs go on without memory; it stays down a while, so deliveries meet the outage more than once.
  const whileDown = settled;
  const downSince = Date.now();
  await waitFor(
    () => settled >= Math.min(ORDERS, whileDown + 5) && Date.now() - downSince >= 2_000,
    30_000,
    'runs to end while PostgreSQL is down',
  );

  await fleet.pg.start();
  // No one restarts the servers: their pools open new connections.
  await waitFor(
    async () => (await serversAnswer()).every((a) => a.ok),
    30_000,
    'the servers to answer again',
  );
  expect(await results).toEqual(
    Array.from({ length: ORDERS }, (_, i) => (shipFails(i) ? 'failed' : 'shipped')),
  );

  const flushed = await Promise.all(fleet.workers.map((w) => w.flush(40_000)));
  expect(flushed.map((f) => f.remaining)).toEqual([0, 0]);
  const stored = await storedOutcomes(fleet.databaseUrl, PREFIX);
  expect(stored.outcomes).toEqual(expectedOutcomes(PREFIX, ORDERS));
  expect(stored.doubled).toEqual([]);
  expect(stored.severalRuns).toEqual([]);
  expect(stored.facts).toBe(stored.outcomes.length);
  const quiet: Partial<PluginCounterValues> = { outcomesDropped: 0, internalErrors: 0 };
  for (const { counters } of flushed) expect(counters).toMatchObject(quiet);
  // The outage reached delivery: writes were refused and sent again later.
  expect(flushed.map((f) => f.counters.deliveryRetries).reduce((x, y) => x + y)).toBeGreaterThan(0);
  for (const server of fleet.servers) expect(server.child.exitCode).toBeNull();
}, 120_000);
