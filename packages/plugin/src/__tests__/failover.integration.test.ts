import { StompyPlugin, type KnownDeliveryBacklog, type PluginCounterValues } from '../index';
import { capturingLogger } from './helpers/capturing-logger';
import { onFailureWorker } from './helpers/failure-runs';
import { startMemoryFleet, type MemoryFleet } from './helpers/memory-fleet';
import { useTestbed } from './helpers/testbed';
import { waitFor } from './helpers/wait-for';

// A worker given two memory servers of one fleet (two real servers over HTTP in front of one store),
// on a real Temporal dev server. The first server closes mid-run: workflows return what they return,
// the worker goes on through the second, and every outcome (recorded before, during and after the
// switch) is stored exactly once. Failover is logged and counted, never thrown.

const bed = useTestbed('failover');
const TOKEN = 'failover-token';

let fleet: MemoryFleet;
beforeAll(async () => {
  fleet = await startMemoryFleet(bed.file('fleet.db'), 2, { token: TOKEN });
});
afterAll(async () => {
  await fleet?.close();
});

it('loses and doubles nothing when the first memory server closes mid-run', async () => {
  const log = capturingLogger('info');
  const [first, second] = fleet.members as [MemoryFleet['members'][0], MemoryFleet['members'][0]];
  const stompy = new StompyPlugin({
    memory: { url: [first.url, second.url], token: TOKEN, timeoutMs: 4_000 },
    outbox: { path: bed.file('outbox.db') },
    recall: { budgetMs: 100 },
    rules: [{ workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } }],
    logger: log.logger,
    shutdownFlushMs: 2_000,
  });
  const results = await onFailureWorker(bed, stompy, async (taskQueue) => {
    const run = (i: number): Promise<string[]> =>
      bed.env.client.workflow.execute<(input: { customerId: string }) => Promise<string[]>>('ThreeSteps', {
        taskQueue,
        workflowId: `fleet-${i}`,
        args: [{ customerId: `C${i % 3}` }],
      });
    const before = await Promise.all([0, 1, 2].map(run));
    await waitFor(() => stompy.counters().outcomesDelivered === 12, 20_000, 'outcomes through the first');
    // Close the first server while the next runs are under way.
    const running = Promise.all([3, 4, 5, 6, 7].map(run));
    await waitFor(() => stompy.counters().outcomesQueued > 14, 20_000, 'the next runs to record outcomes');
    await first.stop();
    const after = await running;
    await waitFor(() => stompy.counters().outcomesDelivered === 32, 40_000, 'every outcome delivered');
    const backlog = (await stompy.backlog()) as KnownDeliveryBacklog;
    expect(backlog.memoryServers?.map((s) => [s.url, s.current])).toEqual([
      [first.url, false],
      [second.url, true],
    ]);
    return [...before, ...after];
  });

  expect(results).toHaveLength(8);
  expect(results[3]).toEqual(['C0:1', 'C0:2', 'C0:3']);
  const stored = fleet.topics('(fleet-');
  expect(stored).toHaveLength(8 * 4);
  expect(stored.filter((s) => s.versions !== 1)).toEqual([]);
  expect(stompy.counters()).toMatchObject<Partial<PluginCounterValues>>({
    outcomesQueued: 32,
    outcomesDelivered: 32,
    outcomesDropped: 0,
    internalErrors: 0,
    memoryFailovers: 1,
  });
  expect(second.answered()).toBeGreaterThan(0);
  expect(log.has('failing over to the next one')).toBe(true);
  expect(log.errors()).toEqual([]);
  expect(JSON.stringify(log.lines)).not.toContain(TOKEN);
}, 90_000);
