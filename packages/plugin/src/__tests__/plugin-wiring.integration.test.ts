import { join } from 'node:path';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import { manualWiring } from '../manual';
import { capturingLogger } from './helpers/capturing-logger';
import { readContexts } from './helpers/memory-contents';
import { memoryOption, REMOTE_TRANSPORTS } from './helpers/memory-transports';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed, type TestWorkerOptions } from './helpers/testbed';
import * as activities from './wiring-fixtures/activities';

// How the plugin is wired into a worker: prebuilt bundles, a plugin also given to the connection,
// manual wiring without plugins, and each memory transport (Streamable HTTP, SSE, Streamable HTTP
// falling back to SSE, stdio) against a real memory server.

const workflowsPath = require.resolve('./wiring-fixtures/workflows');
const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'StockWorkflow', entities: { customer: 'args.0.customerId' } },
];

const bed = useTestbed('plugin-wiring', { memory: true });

function pluginFor(
  name: string,
  memory: StompyPluginOptions['memory'] = { url: bed.memory.url },
): StompyPlugin {
  return new StompyPlugin({
    memory,
    rules: RULES,
    outbox: { path: bed.file(`${name}-outbox.db`) },
    logger: silentLogger,
  });
}

/** A worker with the wiring fixtures on a task queue of its own (named after `prefix`), and its queue. */
async function fixtureWorker(
  prefix: string,
  options: Partial<TestWorkerOptions> = {},
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = bed.taskQueue(prefix);
  return { taskQueue, worker: await bed.worker({ taskQueue, workflowsPath, activities, ...options }) };
}

/** Runs one StockWorkflow for a customer on a worker. */
async function runOnce(
  { worker, taskQueue }: { worker: Worker; taskQueue: string },
  customerId: string,
  run = (fn: () => Promise<void>) => fn(),
): Promise<void> {
  await run(() =>
    worker.runUntil(
      bed.env.client.workflow.execute('StockWorkflow', {
        taskQueue,
        workflowId: `${taskQueue}-wf`,
        args: [{ customerId, sku: 'sku-1' }],
      }),
    ),
  );
}

/** The activity outcomes recorded for a customer (the tag can only come from the workflow's header). */
async function activityOutcomesOf(customerId: string): Promise<number> {
  const found = await bed.memory.deps.store.search({
    query: '',
    tags: ['activity-outcome', `customer:${customerId}`],
    limit: 50,
  });
  return found.total_found;
}

it('works with a prebuilt bundle built with bundleWorkflowCode({ plugins })', async () => {
  const plugin = pluginFor('bundle');
  const bundle = await bundleWorkflowCode({ workflowsPath, plugins: [plugin] });
  const taskQueue = bed.taskQueue('bundle');
  const worker = await bed.worker({ taskQueue, workflowBundle: bundle, activities, plugin });
  await runOnce({ worker, taskQueue }, 'B1');
  expect(await activityOutcomesOf('B1')).toBe(1);
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 2, outcomesDelivered: 2 });
});

it('registers once when also given to the connection', async () => {
  const plugin = pluginFor('twice');
  const connection = await NativeConnection.connect({ address: bed.env.address, plugins: [plugin] });
  try {
    await runOnce(await fixtureWorker('twice', { connection, plugin }), 'T1');
    // Registered twice, the interceptor would record each attempt twice (caught only by dedup).
    expect(plugin.counters()).toMatchObject({
      outcomesQueued: 2,
      outcomesDeduplicated: 0,
      outcomesDelivered: 2,
    });
    expect(await activityOutcomesOf('T1')).toBe(1);
  } finally {
    await connection.close();
  }
});

it('can be wired by hand without plugins', async () => {
  const stompy = pluginFor('manual');
  const wiring = manualWiring(stompy);
  const worker = await fixtureWorker('manual', {
    interceptors: wiring.interceptors,
    sinks: wiring.sinks,
    bundlerOptions: wiring.bundlerOptions,
  });
  await runOnce(worker, 'M1', (fn) => wiring.run(fn));
  expect(await activityOutcomesOf('M1')).toBe(1);
  expect(stompy.counters()).toMatchObject({ outcomesQueued: 2, outcomesDelivered: 2 });
});

it.each(REMOTE_TRANSPORTS)('records over $name', async (transport) => {
  const plugin = pluginFor(`transport-${transport.name}`, memoryOption(transport.target(bed.memory)));
  const worker = await fixtureWorker('transport', { plugin });
  const customer = `X${worker.taskQueue.replace(/\D/g, '')}`;
  await runOnce(worker, customer);
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 2, outcomesDelivered: 2, outcomesDropped: 0 });
  expect(await activityOutcomesOf(customer)).toBe(1);
});

it('records the runs of a worker created while another ran and run after it stopped', async () => {
  const plugin = pluginFor('sequence');
  const workerA = await fixtureWorker('sequence-a', { plugin });
  const workerB = await fixtureWorker('sequence-b', { plugin });
  await runOnce(workerA, 'S1'); // the plugin's runtime closes when A stops
  await runOnce(workerB, 'S2');
  expect(plugin.counters()).toMatchObject({
    outcomesQueued: 4,
    outcomesDelivered: 4,
    outcomesDropped: 0,
    internalErrors: 0,
  });
});

it("stamps each worker's own version on its outcomes when one plugin serves several", async () => {
  const plugin = pluginFor('versions');
  const old = await fixtureWorker('versions', { plugin, buildId: 'build-1' });
  const next = await fixtureWorker('versions', {
    plugin,
    workerDeploymentOptions: {
      version: { deploymentName: 'orders', buildId: 'build-2' },
      useWorkerVersioning: false,
    },
  });
  // Both run at once, on one runtime.
  await Promise.all([runOnce(old, 'V1'), runOnce(next, 'V2')]);
  await plugin.flush(10_000);
  const workerLines = async (customerId: string) =>
    (
      await bed.memory.deps.store.search({ query: '', tags: [`customer:${customerId}`], limit: 50 })
    ).results.map((hit) => /^Worker: (.*)$/m.exec(hit.content)?.[1]);
  expect(await workerLines('V1')).toEqual(['build-1', 'build-1']);
  expect(await workerLines('V2')).toEqual(['orders:build-2', 'orders:build-2']);
});

it('starts the worker even when its files cannot be opened, and says so', async () => {
  const log = capturingLogger('warn');
  // A path under a regular file can never be created, whoever runs the test.
  const impossible = join(__filename, 'nope');
  const plugin = new StompyPlugin({
    memory: { dbPath: join(impossible, 'memory.db') },
    outbox: { path: join(impossible, 'outbox.db') },
    rules: RULES,
    logger: log.logger,
  });
  await runOnce(await fixtureWorker('unopenable', { plugin }), 'U1');
  // Nothing is delivered into memory that would vanish at exit: the outcomes stay queued.
  expect(plugin.counters()).toMatchObject({ internalErrors: 2, outcomesQueued: 2, outcomesDelivered: 0 });
  expect(log.errors()).toEqual([
    expect.stringContaining('cannot open the embedded memory file'),
    expect.stringContaining('cannot open the outbox file'),
  ]);
});

it('keeps outcomes in the outbox while the embedded memory file cannot be opened, and delivers them once it can', async () => {
  const outbox = bed.file('held-outbox.db');
  const dbPath = bed.file('held-memory.db');
  const run = async (memoryDbPath: string, customer: string) => {
    const plugin = new StompyPlugin({
      memory: { dbPath: memoryDbPath },
      outbox: { path: outbox },
      rules: RULES,
      logger: silentLogger,
    });
    await runOnce(await fixtureWorker('held', { plugin }), customer);
    return plugin.counters();
  };
  expect(await run(join(__filename, 'nope', 'memory.db'), 'H1')).toMatchObject({
    outcomesQueued: 2,
    outcomesDelivered: 0,
  });
  // The next worker opens the file: it delivers its own outcomes and the two that waited.
  expect(await run(dbPath, 'H2')).toMatchObject({ outcomesQueued: 2, outcomesDelivered: 4 });
  const customers = readContexts(dbPath, 'default').map((c) => /^Customer: (\w+)$/m.exec(c.content)?.[1]);
  expect(customers.sort()).toEqual(['H1', 'H1', 'H2', 'H2']);
});
