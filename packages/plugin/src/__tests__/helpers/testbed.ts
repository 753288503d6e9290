import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { StompyPlugin } from '../../index';
import { startMemoryOverHttp, type MemoryOverHttp, type MemoryOverHttpOptions } from './memory-over-http';

// What an integration test file runs on: a real Temporal dev server, a temp folder, and workers with the
// plugin on that server's connection; `useTestbed` also starts a real memory server over HTTP.

/** A worker's options, with the plugin under test given as `plugin` (left out: the same worker without it). */
export type TestWorkerOptions = Omit<WorkerOptions, 'plugins'> & { plugin?: StompyPlugin | undefined };

/** A real Temporal dev server and a temp folder, for one integration test file. */
export interface Testbed {
  readonly env: TestWorkflowEnvironment;
  /** A path in the test file's temp folder. */
  file(name: string): string;
  /** A task queue of the test file not used before: `<prefix>-<n>`. */
  taskQueue(prefix: string): string;
  /** A worker on the dev server's connection (unless given another) with `plugin` when given. */
  worker(options: TestWorkerOptions): Promise<Worker>;
  /** Such a worker, already running; it is shut down before the testbed closes. */
  runningWorker(options: TestWorkerOptions): Promise<Worker>;
  /** Shuts down the running workers and waits until they have stopped (closing does it too). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a dev server and makes a temp folder (`useTestbed` does, for a whole test file). */
async function openTestbed(
  name: string,
  options: Parameters<typeof startTestEnvironment>[0] = {},
): Promise<Testbed> {
  const env = await startTestEnvironment(options);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const running: Promise<void>[] = [];
  const stopping: Worker[] = [];
  let queues = 0;
  const stopWorkers = async (): Promise<void> => {
    for (const started of stopping.splice(0)) started.shutdown();
    await Promise.all(running.splice(0));
  };
  const worker = ({ plugin, ...options }: TestWorkerOptions): Promise<Worker> =>
    Worker.create({
      connection: env.nativeConnection,
      ...options,
      ...(plugin ? { plugins: [plugin] } : {}),
    });
  return {
    env,
    file: (file) => join(dir, file),
    taskQueue: (prefix) => `${prefix}-${queues++}`,
    worker,
    runningWorker: async (options) => {
      const started = await worker(options);
      running.push(started.run());
      stopping.push(started);
      return started;
    },
    stopWorkers,
    close: async () => {
      await stopWorkers();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A testbed opened for a whole test file, with its memory server when asked for. */
export interface FileTestbed extends Omit<Testbed, 'stopWorkers' | 'close'> {
  /** The real memory server over HTTP on `memory.db` in the temp folder. */
  readonly memory: MemoryOverHttp;
}

/**
 * Registers the hooks that open a testbed (its dev server started with `environment`) before the
 * file's tests, with `memory` a memory server on its `memory.db` too, and close both after them.
 * Call it at the top of the file, before the file's own `beforeAll`, which then runs with them open.
 */
export function useTestbed(
  name: string,
  options: {
    environment?: Parameters<typeof startTestEnvironment>[0];
    memory?: MemoryOverHttpOptions | true;
  } = {},
): FileTestbed {
  let bed: Testbed | undefined;
  let memory: MemoryOverHttp | undefined;
  beforeAll(async () => {
    bed = await openTestbed(name, options.environment);
    if (options.memory) {
      memory = await startMemoryOverHttp(
        bed.file('memory.db'),
        options.memory === true ? {} : options.memory,
      );
    }
  }, 120_000);
  afterAll(async () => {
    // Workers stop first: their plugins deliver what is left while the memory server still runs.
    await bed?.stopWorkers();
    await memory?.close();
    await bed?.close();
  });
  const open = (): Testbed => {
    if (!bed) throw new Error(`useTestbed('${name}'): the testbed is open only in hooks and tests`);
    return bed;
  };
  return {
    get env() {
      return open().env;
    },
    file: (file) => open().file(file),
    taskQueue: (prefix) => open().taskQueue(prefix),
    worker: (workerOptions) => open().worker(workerOptions),
    runningWorker: (workerOptions) => open().runningWorker(workerOptions),
    get memory() {
      if (!memory) throw new Error(`useTestbed('${name}'): no memory server (pass { memory: true })`);
      return memory;
    },
  };
}
