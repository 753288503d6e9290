// The test's side of the fleet worker processes (fleet-fixtures/fleet-worker.ts): compiles the fixture,
// bundles the fleet workflows once, forks a worker with its own outbox, and talks to it over IPC.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { StompyPlugin, type PluginCounterValues } from '../../index';
import { FLEET_RULES, type AttemptReport } from '../fleet-fixtures/fleet-order';
import type { FleetWorkerCommand, FleetWorkerMessage } from '../fleet-fixtures/fleet-worker';
import { compileSources } from './compiled-sources';
import { silentLogger } from './silent-logger';
import { within } from './within';

const PLUGIN_ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(__dirname, '..', 'fleet-fixtures');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Prepares `dir` for fleet workers: the fixtures compiled to JavaScript and the fleet workflows
 * bundled with the plugin (once for every worker; each would bundle on its own otherwise).
 * Returns the worker script and the bundle's path.
 */
export async function prepareFleetWorkers(dir: string): Promise<{ script: string; bundlePath: string }> {
  compileSources(join(dir, 'fleet-fixtures'), FIXTURES);
  const bundler = new StompyPlugin({
    memory: { url: 'http://127.0.0.1:9/mcp' },
    rules: FLEET_RULES,
    logger: silentLogger,
  });
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(FIXTURES, 'workflows.ts'),
    plugins: [bundler],
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const bundlePath = join(dir, 'fleet-workflows-bundle.js');
  writeFileSync(bundlePath, code);
  return { script: join(dir, 'fleet-fixtures', 'fleet-worker.js'), bundlePath };
}

/** Where and how a fleet worker runs. */
export interface FleetWorkerOptions {
  readonly name: string;
  readonly script: string;
  readonly bundlePath: string;
  readonly temporalAddress: string;
  readonly taskQueue: string;
  /** Its memory servers, in its order of preference. */
  readonly memoryUrls: readonly string[];
  readonly token: string;
  readonly outboxPath: string;
  readonly recallBudgetMs: number;
}

/** A running fleet worker process. */
export interface FleetWorkerProcess {
  readonly name: string;
  /** The task queue only this worker polls (the shared one is polled by all). */
  readonly ownTaskQueue: string;
  /** Every activity attempt it ran, in order. */
  readonly attempts: AttemptReport[];
  /** Delivers its outbox now, waiting at most `timeoutMs`: what is left, and its counters. */
  flush(timeoutMs: number): Promise<{ remaining: number; counters: PluginCounterValues }>;
  /** Shuts its workers down (the plugin delivers what it can) and resolves with its last counters. */
  stop(): Promise<PluginCounterValues>;
  /** SIGKILL, when it is still running. */
  kill(): void;
}

/** Forks a fleet worker and resolves once both its workers poll. */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorkerProcess> {
  const ownTaskQueue = `${options.taskQueue}-${options.name}`;
  const child = fork(options.script, [], {
    cwd: PLUGIN_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      STOMPY_PLUGIN: join(PLUGIN_ROOT, 'dist', 'index.js'),
      NODE_PATH: join(PLUGIN_ROOT, 'node_modules'),
      TEMPORAL_ADDRESS: options.temporalAddress,
      FLEET_WORKER_NAME: options.name,
      FLEET_TASK_QUEUE: options.taskQueue,
      FLEET_OWN_TASK_QUEUE: ownTaskQueue,
      FLEET_BUNDLE_PATH: options.bundlePath,
      FLEET_MEMORY_URLS: JSON.stringify(options.memoryUrls),
      STOMPY_MEMORY_TOKEN: options.token,
      FLEET_OUTBOX_PATH: options.outboxPath,
      FLEET_RECALL_BUDGET_MS: String(options.recallBudgetMs),
    },
  });
  const attempts: AttemptReport[] = [];
  const flushes = new Map<number, (answer: { remaining: number; counters: PluginCounterValues }) => void>();
  let flushIds = 0;
  let ready!: () => void;
  let stopped!: (counters: PluginCounterValues) => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const isStopped = new Promise<PluginCounterValues>((resolve) => (stopped = resolve));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.on('message', (message: FleetWorkerMessage) => {
    if (message.type === 'ready') ready();
    else if (message.type === 'attempt') attempts.push(message);
    else if (message.type === 'flushed') flushes.get(message.id)?.(message);
    else stopped(message.counters);
  });
  const command = (message: FleetWorkerCommand): void => {
    if (child.connected) child.send(message);
  };
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  // Messages sent just before the exit may arrive just after it: give them a moment.
  const exitedEarly = exited.then(async (code) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    throw new Error(`fleet worker ${options.name} exited (${String(code)})`);
  });
  exitedEarly.catch(() => undefined);
  try {
    await within(
      Promise.race([isReady, exitedEarly]),
      READY_TIMEOUT_MS,
      `fleet worker ${options.name} to poll`,
    );
  } catch (error) {
    kill();
    throw error;
  }
  return {
    name: options.name,
    ownTaskQueue,
    attempts,
    flush: (timeoutMs) => {
      const id = flushIds++;
      const answered = new Promise<{ remaining: number; counters: PluginCounterValues }>((resolve) =>
        flushes.set(id, resolve),
      );
      command({ type: 'flush', id, timeoutMs });
      return within(
        Promise.race([answered, exitedEarly]),
        timeoutMs + 5_000,
        `fleet worker ${options.name} to flush`,
      );
    },
    stop: async () => {
      command({ type: 'stop' });
      try {
        return await within(
          Promise.race([isStopped, exitedEarly]),
          STOP_TIMEOUT_MS,
          `fleet worker ${options.name} to stop`,
        );
      } finally {
        kill();
      }
    },
    kill,
  };
}
