import { DefaultLogger, Runtime } from '@temporalio/worker';
import { StompyPlugin } from '../index';
import { freePort } from './helpers/failure-servers';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import * as activities from './timeout-fixtures/activities';

// The plugin's counters are metrics of Temporal's runtime: with the runtime's Prometheus exporter,
// they are scraped from the same /metrics as the SDK's own (custom metrics carry no runtime prefix).

let metricsUrl: string;

// The runtime is installed before the testbed opens its dev server (hooks run in the order given).
beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
  });
});
const bed = useTestbed('metrics', { environment: { runtimeLogLevel: false } });

/** The value of every sample of a metric in a Prometheus text exposition, summed over its labels. */
function sampleSum(exposition: string, metric: string): number | undefined {
  const samples = [...exposition.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))];
  return samples.length === 0 ? undefined : samples.reduce((sum, m) => sum + Number(m[1]), 0);
}

it('publishes the counters beside the SDK’s metrics on the runtime’s Prometheus endpoint', async () => {
  const plugin = new StompyPlugin({
    memory: { dbPath: bed.file('memory.db') },
    outbox: { path: bed.file('outbox.db') },
    logger: silentLogger,
  });
  const taskQueue = 'metrics';
  const worker = await bed.worker({
    taskQueue,
    workflowsPath: require.resolve('./timeout-fixtures/workflows'),
    activities,
    plugin,
  });
  await worker.runUntil(async () => {
    await bed.env.client.workflow.execute('TimeoutWorkflow', { taskQueue, workflowId: 'metrics-1' });
    expect((await plugin.flush(15_000)).remaining).toBe(0);
  });
  // A run and two attempts of its local activity (the first timed out).
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 3, outcomesDelivered: 3 });
  let exposition = '';
  for (let i = 0; i < 50 && sampleSum(exposition, 'stompy_outcomes_delivered') !== 3; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    exposition = await (await fetch(metricsUrl)).text();
  }
  expect(sampleSum(exposition, 'stompy_outcomes_queued')).toBe(3);
  expect(sampleSum(exposition, 'stompy_outcomes_delivered')).toBe(3);
  expect(sampleSum(exposition, 'stompy_recalls_served')).toBeGreaterThanOrEqual(1);
  // Beside the SDK's own.
  expect(exposition).toMatch(/^temporal_workflow_completed/m);
  // The backlog gauges, set from the report the memory thread sends when delivery starts (then every
  // 10 s). Embedded memory takes outcomes straight into its file: nothing waits in the outbox.
  expect(sampleSum(exposition, 'stompy_outbox_pending')).toBe(0);
  expect(sampleSum(exposition, 'stompy_outbox_drain_seconds')).toBe(0);
}, 60_000);
