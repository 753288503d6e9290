// A fleet, as docs/fleet.md runs one: one Temporal dev server, one PostgreSQL, two `stompy-memory
// serve` processes on it and two worker processes with the plugin, each with its own outbox and
// both servers. What one worker records, the other recalls; a memory server killed with SIGKILL in
// the middle of the load loses and doubles nothing and slows no activity beyond the recall budget;
// insights are the same through either server.
import type { WorkflowHandle } from '@temporalio/client';
import type { PluginCounterValues, RecalledContext } from '../index';
import { expectedAttempts, shipFails, type FleetOrderInput } from './fleet-fixtures/fleet-order';
import { FLEET_TOKEN, useFleet } from './helpers/fleet';
import { expectedOutcomes, storedOutcomes } from './helpers/fleet-records';
import { callMemoryTool } from './helpers/memory-tool-call';

const ORDERS = 40;
const RECALL_BUDGET_MS = 200;
/** What a loaded 2-core machine may add to the budget (timers fire late, the event loop is busy). */
const RECALL_SLACK_MS = 1_500;
const customerOf = (orderId: number): string => `C${orderId % 5}`;

const fleet = useFleet('fleet', { recallBudgetMs: RECALL_BUDGET_MS });

/**
 * What FleetReview's activity recalled about `customerId` on the worker of `taskQueue`. A worker's
 * first recall also opens its connection to a memory server: when that runs out of the budget, the
 * activity gets what the cache has (fail open) and the answer, when it comes, fills the cache. So
 * this runs the review again (at most 5 times) until a recall finished within the budget.
 */
async function reviewOn(taskQueue: string, customerId: string): Promise<RecalledContext | null> {
  for (let run = 1; ; run++) {
    const recalled = await fleet.env.client.workflow.execute<
      (input: { customerId: string }) => Promise<RecalledContext | null>
    >('FleetReview', { taskQueue, workflowId: `fleet-review-${customerId}-${run}`, args: [{ customerId }] });
    if (recalled?.complete === true || run === 5) return recalled;
  }
}

it('an activity on worker b recalls what worker a recorded', async () => {
  const [a, b] = fleet.workers;
  const seed = fleet.env.client.workflow.execute('FleetOrder', {
    taskQueue: a.ownTaskQueue,
    workflowId: 'fleet-seed',
    args: [{ orderId: 9, customerId: 'R' } satisfies FleetOrderInput],
  });
  await expect(seed).rejects.toThrow('Workflow execution failed');
  expect((await a.flush(20_000)).remaining).toBe(0);
  const recalled = await reviewOn(b.ownTaskQueue, 'R');

  expect(a.attempts.filter((x) => x.workflowId === 'fleet-seed')).toHaveLength(3);
  expect(b.attempts.filter((x) => x.workflowId === 'fleet-seed')).toHaveLength(0);
  expect(a.attempts.filter((x) => x.workflowId.startsWith('fleet-review-'))).toEqual([]);
  expect(recalled?.complete).toBe(true);
  // Worker b never saw the seed run: it knows of it only through the memory servers.
  expect(recalled?.insights['customer:R']).toMatchObject({ runs: 4, failures: 2 });
  expect(recalled?.memories.some((m) => m.content.includes('(fleet-seed, run '))).toBe(true);
});

it(`runs ${ORDERS} orders over both workers, memory server a killed mid-run: each outcome stored once, no recall over budget`, async () => {
  const [serverA] = fleet.servers;
  const handles: WorkflowHandle[] = await Promise.all(
    Array.from({ length: ORDERS }, (_, orderId) =>
      fleet.env.client.workflow.start('FleetOrder', {
        taskQueue: fleet.taskQueue,
        workflowId: `fleet-load-${orderId}`,
        args: [{ orderId, customerId: customerOf(orderId) } satisfies FleetOrderInput],
      }),
    ),
  );
  let settled = 0;
  let killed: Promise<void> | undefined;
  const results = await Promise.all(
    handles.map((handle) =>
      handle
        .result()
        .then(
          () => 'shipped',
          () => 'failed',
        )
        .finally(() => {
          // A quarter of the runs are done, the others under way: kill memory server a.
          if (++settled === ORDERS / 4) killed = serverA.kill('SIGKILL');
        }),
    ),
  );
  await killed;
  expect(serverA.child.signalCode).toBe('SIGKILL');
  expect(results).toEqual(Array.from({ length: ORDERS }, (_, i) => (shipFails(i) ? 'failed' : 'shipped')));

  const flushed = await Promise.all(fleet.workers.map((w) => w.flush(30_000)));
  expect(flushed.map((f) => f.remaining)).toEqual([0, 0]);
  const stored = await storedOutcomes(fleet.databaseUrl, 'fleet-load-');
  expect(stored.outcomes).toEqual(expectedOutcomes('fleet-load-', ORDERS));
  expect(stored.doubled).toEqual([]);
  expect(stored.severalRuns).toEqual([]);
  expect(stored.facts).toBe(stored.outcomes.length);

  const attempts = fleet.workers.flatMap((w) =>
    w.attempts.filter((x) => x.workflowId.startsWith('fleet-load-')),
  );
  const expectedCount = Array.from({ length: ORDERS }, (_, i) => expectedAttempts(i).length).reduce(
    (x, y) => x + y,
  );
  expect(attempts).toHaveLength(expectedCount);
  // Both workers took part in the load.
  for (const worker of fleet.workers)
    expect(worker.attempts.filter((x) => x.workflowId.startsWith('fleet-load-')).length).toBeGreaterThan(0);
  const slowest = Math.max(...attempts.map((x) => x.recallMs));
  expect({
    slowest,
    overBudget: attempts.filter((x) => !(x.recallMs <= RECALL_BUDGET_MS + RECALL_SLACK_MS)),
  }).toEqual({
    slowest,
    overBudget: [],
  });
  const quiet: Partial<PluginCounterValues> = { outcomesDropped: 0, internalErrors: 0 };
  for (const { counters } of flushed) expect(counters).toMatchObject(quiet);
  // Worker a preferred server a: it failed over to b.
  expect(flushed[0]?.counters.memoryFailovers).toBeGreaterThanOrEqual(1);
}, 90_000);

it('computes the same insights through either server, exactly', async () => {
  // Server a was killed: a new one on the same database stands in for it.
  const standIn = await fleet.startServer();
  const keys = [0, 1, 2, 3, 4].map((c) => `customer:C${c}`);
  keys.push('activity:charge', 'activity:ship', 'workflow:FleetOrder');
  const [viaA, viaB] = await Promise.all([
    callMemoryTool(standIn.url, FLEET_TOKEN, 'outcome_insights', { keys }),
    callMemoryTool(fleet.servers[1].url, FLEET_TOKEN, 'outcome_insights', { keys }),
  ]);
  expect(viaA.ok).toBe(true);
  expect(viaA).toEqual(viaB);
  // And they are the exact counts: customer C0 had orders 0, 5, ..., 35 (three attempts and a run
  // each) and a second charge attempt for orders 0 and 20, after a failed first one.
  const insights = (viaA as { json: { insights: { key: string; runs: number; failures: number }[] } }).json
    .insights;
  expect(insights.find((i) => i.key === 'customer:C0')).toMatchObject({ runs: 8 * 4 + 2, failures: 2 });
});
