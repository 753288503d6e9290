import { activityInfo } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { StompyPlugin, type PluginCounterValues, type StompyPluginOptions } from '../index';
import * as activities from './helpers/failure-activities';
import { capturingLogger, type CapturedLogs } from './helpers/capturing-logger';
import { onFailureWorker } from './helpers/failure-runs';
import { closedPortUrl, startBlackHole } from './helpers/failure-servers';
import { readOutboxFile, type OutboxFileContents } from './helpers/outbox-file';
import { useTestbed } from './helpers/testbed';
import { waitFor } from './helpers/wait-for';

// Rule 1 under a memory outage, on a real Temporal dev server: the memory server refuses connections,
// accepts them and never answers, or stops mid-run and comes back. Workflows return what they return
// without the plugin, no activity waits longer than the recall budget, every outcome reaches the server
// once it is back and none twice, and a worker stopped with outcomes queued leaves them in its outbox
// file for the next worker. Every failure is logged and counted, never thrown.

const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } },
];
const BUDGET_MS = 100;
/**
 * Slack over the budget for one attempt: the budget is a timer on a loaded 2-core machine running a
 * dev server and a worker. An activity that waited for memory would wait the call timeout (seconds).
 */
const MARGIN_MS = 75;
/** Calls time out after this long: far above the budget, so waiting on the network shows at once. */
const CALL_TIMEOUT_MS = 4_000;

const bed = useTestbed('outage', { memory: true });

/** Measures, outside the plugin's interceptor, how long each attempt waited before its function ran. */
function delayMeter(): { factory: ActivityInterceptorsFactory; delays: number[] } {
  const delays: number[] = [];
  const factory: ActivityInterceptorsFactory = () => ({
    inbound: {
      async execute(input, next) {
        const before = performance.now();
        const result = await next(input);
        const info = activityInfo();
        const started = activities.startedAt.get(
          `${info.workflowExecution?.workflowId ?? ''}/${info.activityId}`,
        );
        if (started !== undefined) delays.push(started - before);
        return result;
      },
    },
  });
  return { factory, delays };
}

function plugin(url: string, outbox: string, log: CapturedLogs, extra: Partial<StompyPluginOptions> = {}) {
  return new StompyPlugin({
    memory: { url, timeoutMs: CALL_TIMEOUT_MS },
    outbox: { path: bed.file(outbox) },
    recall: { budgetMs: BUDGET_MS },
    rules: RULES,
    logger: log.logger,
    shutdownFlushMs: 200,
    ...extra,
  });
}

interface Run {
  results: string[][];
  delays: number[];
  /** From the last workflow's result to the worker having stopped (the plugin's shutdown flush included). */
  shutdownMs: number;
}

/** Runs `count` ThreeSteps workflows at once on a new worker (with `stompy` when given), then stops it. */
async function runWorkflows(
  stompy: StompyPlugin | undefined,
  count: number,
  prefix: string,
  during: (run: (i: number) => Promise<string[]>) => Promise<void> = async () => undefined,
): Promise<Run> {
  const meter = delayMeter();
  let doneAt = 0;
  const results = await onFailureWorker(
    bed,
    stompy,
    async (taskQueue) => {
      const run = (i: number): Promise<string[]> =>
        bed.env.client.workflow.execute<(input: { customerId: string }) => Promise<string[]>>('ThreeSteps', {
          taskQueue,
          workflowId: `${prefix}-${i}`,
          args: [{ customerId: `C${i % 3}` }],
        });
      const all = await Promise.all(Array.from({ length: count }, (_, i) => run(i)));
      await during(run);
      doneAt = performance.now();
      return all;
    },
    { interceptors: { activity: [meter.factory] } },
  );
  return { results, delays: meter.delays, shutdownMs: performance.now() - doneAt };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** What an outbox file holds, read through a new outbox on the same file (as the next worker would). */
function outboxFile(name: string): OutboxFileContents {
  return readOutboxFile(bed.file(name));
}

/** Six ThreeSteps runs: 6 workflow outcomes and 18 activity outcomes. */
const RUNS = 6;
const OUTCOMES = RUNS * 4;
let baseline: Run;

beforeAll(async () => {
  baseline = await runWorkflows(undefined, RUNS, 'baseline');
}, 60_000);

it('without the plugin: the baseline the outage runs are compared with', () => {
  expect(baseline.results).toHaveLength(RUNS);
  expect(baseline.results[0]).toEqual(['C0:1', 'C0:2', 'C0:3']);
  expect(baseline.delays).toHaveLength(RUNS * 3);
});

it('with the server refusing connections: same results, no attempt waits beyond the budget, outcomes wait in the outbox', async () => {
  const log = capturingLogger();
  const stompy = plugin(await closedPortUrl(), 'refused-outbox.db', log);
  const run = await runWorkflows(stompy, RUNS, 'refused');

  expect(run.results).toEqual(baseline.results);
  expect(run.delays).toHaveLength(RUNS * 3);
  expect(Math.max(...run.delays)).toBeLessThan(BUDGET_MS + MARGIN_MS);
  // A refused connection fails in a millisecond or two: recall gives up long before the budget.
  expect(median(run.delays) - median(baseline.delays)).toBeLessThan(25);
  expect(stompy.counters()).toMatchObject<Partial<PluginCounterValues>>({
    outcomesQueued: OUTCOMES,
    outcomesDelivered: 0,
    outcomesDropped: 0,
    internalErrors: 0,
    ruleErrors: 0,
  });
  expect(stompy.counters().recallsFailed).toBeGreaterThan(0);
  expect(log.has('stompy recall: failed')).toBe(true);
  expect(log.has('memory server unavailable')).toBe(true);
  expect(log.errors()).toEqual([]);
  // Shutdown gave up on delivery within shutdownFlushMs and left everything in the file.
  expect(run.shutdownMs - baseline.shutdownMs).toBeLessThan(200 + 500);
  expect(outboxFile('refused-outbox.db')).toEqual({ pending: OUTCOMES, deadLetters: [] });
});

it('with a server that accepts connections and never answers: no attempt waits beyond the budget, and shutdown is not held up', async () => {
  const hole = await startBlackHole();
  try {
    const log = capturingLogger();
    const stompy = plugin(hole.url, 'black-hole-outbox.db', log);
    const run = await runWorkflows(stompy, RUNS, 'black-hole');

    expect(run.results).toEqual(baseline.results);
    expect(hole.connections()).toBeGreaterThan(0); // the plugin did try
    expect(run.delays).toHaveLength(RUNS * 3);
    expect(Math.max(...run.delays)).toBeLessThan(BUDGET_MS + MARGIN_MS);
    // The first attempts pay the budget; after a few misses in a row recall stops waiting at all.
    expect(stompy.counters().recallsOverBudget).toBeGreaterThanOrEqual(3);
    expect(median(run.delays) - median(baseline.delays)).toBeLessThan(25);
    expect(log.has('stompy recall: ran out of budget')).toBe(true);
    // Connects and calls hang until their 4 s timeout; the worker must still stop within
    // shutdownFlushMs (200 ms) plus slack, not wait out the connections and calls in flight.
    expect(run.shutdownMs - baseline.shutdownMs).toBeLessThan(200 + 500);
    expect(stompy.counters()).toMatchObject<Partial<PluginCounterValues>>({
      outcomesQueued: OUTCOMES,
      outcomesDelivered: 0,
      outcomesDropped: 0,
      internalErrors: 0,
    });
    expect(log.errors()).toEqual([]);
    expect(outboxFile('black-hole-outbox.db')).toEqual({ pending: OUTCOMES, deadLetters: [] });
  } finally {
    await hole.close();
  }
});

describe('a real memory server that stops and comes back on the same port and file', () => {
  /** Every outcome of runs named `<prefix>-*` is stored as one version of its topic, written once. */
  function expectStoredOnce(prefix: string, count: number): void {
    const stored = bed.memory.topics(`(${prefix}-`);
    expect(stored).toHaveLength(count);
    expect(stored.filter((s) => s.versions !== 1)).toEqual([]);
    expect(stored.filter((s) => bed.memory.writes.get(s.topic) !== 1)).toEqual([]);
  }

  it('delivers every outcome once the server is back after stopping mid-run, none twice', async () => {
    const log = capturingLogger();
    const stompy = plugin(bed.memory.url, 'restart-outbox.db', log);
    await runWorkflows(stompy, 3, 'restart', async (run) => {
      await bed.memory.stop();
      await Promise.all([3, 4, 5].map(run)); // recorded while the server is down
      await bed.memory.start();
      await Promise.all([6, 7].map(run));
      // Delivery resumes by itself while the worker runs (not only at shutdown). Backoff is at most a
      // few seconds; if the circuit happened to open during the outage, its cool-down is 30 s.
      await waitFor(() => stompy.counters().outcomesDelivered === 32, 40_000, 'every outcome delivered');
    });
    expectStoredOnce('restart', 8 * 4);
    expect(stompy.counters()).toMatchObject<Partial<PluginCounterValues>>({
      outcomesQueued: 32,
      outcomesDelivered: 32,
      outcomesDropped: 0,
      internalErrors: 0,
    });
    expect(log.has('memory server unavailable')).toBe(true);
    expect(log.errors()).toEqual([]);
    expect(outboxFile('restart-outbox.db')).toEqual({ pending: 0, deadLetters: [] });
  }, 55_000);

  it('keeps the outcomes of a worker stopped during an outage in its outbox file; the next worker delivers them all, once', async () => {
    await bed.memory.stop();
    const log = capturingLogger();
    const first = plugin(bed.memory.url, 'worker-restart-outbox.db', log, { shutdownFlushMs: 100 });
    const stopped = await runWorkflows(first, 3, 'worker-restart');
    expect(stopped.results).toHaveLength(3);
    expect(first.counters()).toMatchObject({ outcomesQueued: 12, outcomesDelivered: 0, outcomesDropped: 0 });
    expect(outboxFile('worker-restart-outbox.db')).toEqual({ pending: 12, deadLetters: [] });
    expect(bed.memory.topics('(worker-restart-')).toEqual([]);

    await bed.memory.start();
    const second = plugin(bed.memory.url, 'worker-restart-outbox.db', capturingLogger());
    await runWorkflows(second, 1, 'after-restart', async () => {
      await waitFor(
        () => second.counters().outcomesDelivered === 16,
        20_000,
        'the queued outcomes delivered',
      );
    });
    expectStoredOnce('worker-restart', 12);
    expectStoredOnce('after-restart', 4);
    expect(second.counters()).toMatchObject({
      outcomesQueued: 4,
      outcomesDelivered: 16,
      outcomesDropped: 0,
      internalErrors: 0,
    });
    expect(outboxFile('worker-restart-outbox.db')).toEqual({ pending: 0, deadLetters: [] });
  }, 45_000);
});
