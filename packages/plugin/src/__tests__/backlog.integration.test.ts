import { StompyPlugin, type DeliveryBacklog, type StompyPluginOptions } from '../index';
import { capturingLogger } from './helpers/capturing-logger';
import { onFailureWorker } from './helpers/failure-runs';
import { useTestbed } from './helpers/testbed';
import { waitFor } from './helpers/wait-for';

// StompyPlugin.backlog() on a real Temporal dev server, through the plugin's real memory thread, with
// a real memory server over HTTP that stops and comes back on the same port and file: the outcomes
// recorded while it is down show as pending and not draining; once they are delivered, none is
// pending and the drain time is 0. Without a running worker, it says unknown and why.

const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } },
];

const bed = useTestbed('backlog', { memory: true });

it('reports pending outcomes while the memory server is unreachable, and 0 once they drained', async () => {
  const log = capturingLogger();
  const stompy = new StompyPlugin({
    memory: { url: bed.memory.url, timeoutMs: 2_000 },
    outbox: { path: bed.file('outbox.db') },
    recall: { budgetMs: 100 },
    rules: RULES,
    logger: log.logger,
    shutdownFlushMs: 200,
  });
  expect(await stompy.backlog()).toEqual({ known: false, reason: 'no worker with this plugin is running' });

  let during: DeliveryBacklog | undefined;
  let after: DeliveryBacklog | undefined;
  await onFailureWorker(bed, stompy, async (taskQueue) => {
    await bed.memory.stop();
    await Promise.all(
      [0, 1, 2].map((i) =>
        bed.env.client.workflow.execute('ThreeSteps', {
          taskQueue,
          workflowId: `backlog-${i}`,
          args: [{ customerId: `C${i}` }],
        }),
      ),
    );
    await waitFor(() => stompy.counters().outcomesQueued === 12, 10_000, 'the outcomes recorded');
    during = await stompy.backlog();

    await bed.memory.start();
    // Backoff is a few seconds at most; if the circuit opened during the outage, its cool-down is 30 s.
    await waitFor(() => stompy.counters().outcomesDelivered === 12, 45_000, 'the backlog delivered');
    after = await stompy.backlog();
  });

  expect(during).toMatchObject({
    known: true,
    pending: 12,
    deadLetters: 0,
    deliveredPerMinute: 0,
    estimatedDrainMs: undefined, // not draining
  });
  if (!during?.known) throw new Error('unreachable');
  expect(during.pendingBytes).toBeGreaterThan(0);
  expect(during.oldestAgeMs).toBeGreaterThanOrEqual(0);
  expect(after).toMatchObject({
    known: true,
    pending: 0,
    pendingBytes: 0,
    oldestAgeMs: undefined,
    estimatedDrainMs: 0,
    circuit: 'closed',
  });
  if (!after?.known) throw new Error('unreachable');
  expect(after.deliveredPerMinute).toBeGreaterThan(0);
  // The worker stopped: no runtime to ask.
  expect(await stompy.backlog()).toMatchObject({ known: false });
  expect(stompy.counters()).toMatchObject({ outcomesDropped: 0, internalErrors: 0 });
  expect(log.errors()).toEqual([]);
}, 90_000);
