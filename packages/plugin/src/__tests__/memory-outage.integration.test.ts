import { createServer, type Server, type Socket } from 'node:net';
import { activityInfo } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type ActivityInterceptorsFactory } from '@temporalio/worker';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import {
  openTestbed,
  silentLogger,
  startMemoryOverHttp,
  type MemoryOverHttp,
  type Testbed,
} from './helpers/testbed';
import * as activities from './outage-fixtures/activities';

// Fail-open under a memory outage, on a real dev server: a memory server that refuses connections,
// one that accepts them and never answers, and a real one stopped and restarted mid-run. Workflows
// finish as usual, no activity waits longer than the recall budget, and every outcome reaches the
// server once it is back (none twice), even across a worker restart.

const workflowsPath = require.resolve('./outage-fixtures/workflows');
const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'ThreeSteps', entities: { customer: 'args.0.customerId' } },
];
const BUDGET_MS = 100;

let bed: Testbed;
let env: TestWorkflowEnvironment;
let queue = 0;

beforeAll(async () => {
  bed = await openTestbed('outage');
  env = bed.env;
}, 120_000);
afterAll(async () => bed?.close());

// The bounds below are correctness bounds, not benchmarks: the black hole never answers and calls time
// out after 2 s, so an activity that waited for memory would take seconds, not the budget plus slack.

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

function pluginTo(url: string, outbox: string, extra: Partial<StompyPluginOptions> = {}): StompyPlugin {
  return new StompyPlugin({
    memory: { url, timeoutMs: 2_000 },
    outbox: { path: bed.file(outbox) },
    recall: { budgetMs: BUDGET_MS },
    rules: RULES,
    logger: silentLogger,
    ...extra,
  });
}

/** Runs `count` ThreeSteps workflows on a worker and returns their results and the measured delays. */
async function runWorkflows(plugin: StompyPlugin | undefined, count: number, prefix: string) {
  const taskQueue = `outage-${queue++}`;
  const meter = delayMeter();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities,
    interceptors: { activity: [meter.factory] },
    ...(plugin ? { plugins: [plugin] } : {}),
  });
  const results = await worker.runUntil(
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        env.client.workflow.execute('ThreeSteps', {
          taskQueue,
          workflowId: `${prefix}-${i}`,
          args: [{ customerId: `C${i % 3}` }],
        }),
      ),
    ),
  );
  return { results, delays: meter.delays };
}

/** A TCP server that accepts connections and never answers: the worst kind of outage. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/mcp`;
}

it('finishes every workflow and keeps each activity within the budget when the server refuses connections', async () => {
  const plugin = pluginTo(await closedPort(), 'refused-outbox.db', { shutdownFlushMs: 200 });
  const { results, delays } = await runWorkflows(plugin, 5, 'refused');
  expect(results).toHaveLength(5);
  expect(results[0]).toEqual(['C0:1', 'C0:2', 'C0:3']);
  expect(delays).toHaveLength(15);
  expect(Math.max(...delays)).toBeLessThan(BUDGET_MS + 500);
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 20, outcomesDelivered: 0, internalErrors: 0 });
});

it('keeps each activity within the budget when the server accepts connections and never answers', async () => {
  const hole = await blackHole();
  try {
    const plugin = pluginTo(hole.url, 'black-hole-outbox.db', { shutdownFlushMs: 200 });
    const { results, delays } = await runWorkflows(plugin, 5, 'black-hole');
    expect(results).toHaveLength(5);
    expect(Math.max(...delays)).toBeLessThan(BUDGET_MS + 500);
    // After a few misses recall stops waiting: most attempts pay nothing at all.
    const sorted = [...delays].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(BUDGET_MS);
    expect(plugin.counters().recallsOverBudget).toBeGreaterThanOrEqual(3);
  } finally {
    await hole.close();
  }
});

describe('with a real server that goes away', () => {
  let memory: MemoryOverHttp;

  function outcomeTopics(prefix: string): { topic: string; version: string }[] {
    return memory.deps.store
      .search({ query: '', tags: ['temporal'], limit: 100 })
      .results.filter((r) => r.content.includes(`(${prefix}-`))
      .map((r) => ({ topic: r.topic, version: r.version }));
  }

  beforeAll(async () => {
    memory = await startMemoryOverHttp(bed.file('memory.db'));
  });
  afterAll(async () => memory?.close());

  it('delivers every outcome once the server is back after stopping mid-run, none twice', async () => {
    const plugin = pluginTo(memory.url, 'restart-outbox.db', { shutdownFlushMs: 15_000 });
    const taskQueue = `outage-${queue++}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities,
      plugins: [plugin],
    });
    await worker.runUntil(async () => {
      const run = (i: number) =>
        env.client.workflow.execute('ThreeSteps', {
          taskQueue,
          workflowId: `restart-${i}`,
          args: [{ customerId: 'C9' }],
        });
      await Promise.all([0, 1, 2].map(run));
      await memory.stop();
      await Promise.all([3, 4, 5].map(run)); // recorded while the server is down
      await memory.start();
      await Promise.all([6, 7].map(run));
    }); // shutdown flushes (the circuit breaker's cool-down is within shutdownFlushMs)
    const stored = outcomeTopics('restart');
    expect(stored).toHaveLength(8 * 4);
    expect(new Set(stored.map((s) => s.topic)).size).toBe(32);
    expect(stored.every((s) => s.version === '1.0')).toBe(true);
    expect(plugin.counters()).toMatchObject({
      outcomesQueued: 32,
      outcomesDelivered: 32,
      outcomesDropped: 0,
    });
  });

  it('keeps outcomes queued across a worker restart and delivers them after it', async () => {
    await memory.stop();
    const first = pluginTo(memory.url, 'worker-restart-outbox.db', {
      shutdownFlushMs: 100,
    });
    await runWorkflows(first, 3, 'worker-restart');
    expect(first.counters()).toMatchObject({ outcomesQueued: 12, outcomesDelivered: 0 });

    await memory.start();
    const second = pluginTo(memory.url, 'worker-restart-outbox.db', {
      shutdownFlushMs: 10_000,
    });
    await runWorkflows(second, 1, 'after-restart');
    const stored = outcomeTopics('worker-restart');
    expect(stored).toHaveLength(12);
    expect(stored.every((s) => s.version === '1.0')).toBe(true);
    expect(outcomeTopics('after-restart')).toHaveLength(4);
  });
});
