/**
 * Entry of a benchmark worker process (forked by `BenchWorker`): one Temporal worker of one
 * configuration, in its own process as in production, so the benchmark measures the worker's CPU
 * alone. It polls from `start` to `shutdown`; `measure` and `report` bracket a round; `status` reads
 * the plugin's counters and backlog (bench:hosted polls it while the outbox drains).
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { serveRequests } from '../shared/forked-child';
import * as activities from './bench-activities';
import { LatencyProbe } from './latency-probe';
import { waitForDelivery } from './recording-drain';
import { WorkerMeter } from './worker-meter';
import { configurePlugins, type ConfiguredPlugin } from './worker-plugins';
import type { PluginStatus, WorkerAnswer, WorkerCost, WorkerRequest, WorkerSetup } from './worker-protocol';

/** Longest a round's end waits for the plugin to deliver what the round recorded. */
const DRAIN_TIMEOUT_MS = 30_000;
/** Longest the plugin's memory thread may take to report its backlog. */
const BACKLOG_TIMEOUT_MS = 10_000;

interface RunningWorker {
  worker: Worker;
  running: Promise<void>;
  configured: ConfiguredPlugin;
  probe: LatencyProbe;
  meter: WorkerMeter;
  countersAtStart: Record<string, number>;
}

let current: RunningWorker | undefined;

async function start(setup: WorkerSetup): Promise<void> {
  if (current) throw new Error('this process already runs a worker');
  const logger = new DefaultLogger('WARN');
  Runtime.install({ logger });
  const connection = await NativeConnection.connect({ address: setup.address });
  const configured = configurePlugins(setup);
  const probe = new LatencyProbe();
  // Bundled here rather than by Worker.create, so a profile can read the code the workflow thread ran.
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./bench-workflows'),
    plugins: configured.plugins,
    logger,
  });
  if (setup.workflowBundleFile) writeFileSync(setup.workflowBundleFile, workflowBundle.code);
  const worker = await Worker.create({
    connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    workflowBundle,
    activities,
    interceptors: { activity: [probe.factory] },
    maxConcurrentActivityTaskExecutions: setup.maxConcurrentActivities,
    plugins: configured.plugins,
  });
  const running = worker.run();
  current = { worker, running, configured, probe, meter: new WorkerMeter(), countersAtStart: {} };
}

function counters(configured: ConfiguredPlugin): Record<string, number> {
  return configured.stompy ? { ...configured.stompy.counters() } : {};
}

async function measure(probeActivity: string | undefined): Promise<void> {
  const w = running();
  await w.configured.takeSpanCount?.(); // forget the spans of earlier stretches
  w.probe.restart(probeActivity);
  w.countersAtStart = counters(w.configured);
  w.meter.start();
}

async function report(): Promise<WorkerCost> {
  const w = running();
  const drainStarted = performance.now();
  if (w.configured.stompy) await waitForDelivery(w.configured.stompy, DRAIN_TIMEOUT_MS);
  const spans = await w.configured.takeSpanCount?.();
  const drainMs = performance.now() - drainStarted;
  const stretch = w.meter.stop();
  const now = counters(w.configured);
  const delta = Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (w.countersAtStart[k] ?? 0)]));
  return {
    ...stretch,
    drainMs,
    probeMs: w.probe.taken(),
    ...(w.configured.stompy ? { counters: delta } : {}),
    ...(spans === undefined ? {} : { spans }),
  };
}

async function status(): Promise<PluginStatus> {
  const stompy = running().configured.stompy;
  if (!stompy) throw new Error('this worker has no StompyPlugin');
  return { counters: stompy.counters(), backlog: await stompy.backlog(BACKLOG_TIMEOUT_MS) };
}

async function shutdown(): Promise<void> {
  const w = current;
  if (!w) return;
  current = undefined;
  w.worker.shutdown();
  await w.running; // the parent's request timeout bounds this
}

function running(): RunningWorker {
  if (!current) throw new Error('no worker is running in this process');
  return current;
}

serveRequests<WorkerRequest, WorkerAnswer>(async (request) => {
  switch (request.kind) {
    case 'start':
      await start(request.setup);
      return undefined;
    case 'measure':
      await measure(request.probeActivity);
      return undefined;
    case 'report':
      return report();
    case 'status':
      return status();
    case 'shutdown':
      await shutdown();
      return undefined;
  }
});
