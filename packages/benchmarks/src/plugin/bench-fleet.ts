import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '@temporal-stompy/testing';
import { BenchWorker } from './bench-worker';
import { startMemoryServer, type MemoryServerProcess } from '../shared/memory-server-process';
import type { Configuration } from './worker-protocol';

/** The dev server's environment: its client, address and namespace. */
export type BenchEnvironment = Awaited<ReturnType<typeof startTestEnvironment>>;

/** Everything a plugin benchmark runs on: a dev server, a memory server and one worker per configuration. */
export interface BenchFleet {
  env: BenchEnvironment;
  memory: MemoryServerProcess;
  workers: Map<Configuration, BenchWorker>;
  /** Stops the workers (gracefully, so a profile gets written), the memory server and the dev server. */
  stop(): Promise<void>;
}

/** How to start a fleet. */
export interface FleetOptions {
  configurations: readonly Configuration[];
  /** Activities each worker runs at once. */
  maxConcurrentActivities: number;
  /** Per configuration: Node flags of its worker process (e.g. `--cpu-prof`), and where it copies its workflow bundle. */
  workerOptions?: (configuration: Configuration) => { execArgv: string[]; workflowBundleFile?: string };
}

/** The task queue of a configuration's worker. */
export function taskQueueOf(configuration: Configuration): string {
  return `bench-${configuration}`;
}

/** The customer of warm workflow `i`: 20 customers, seen again and again, so their keys stay known. */
export function warmCustomer(i: number): string {
  return `W${i % 20}`;
}

/**
 * Starts a Temporal dev server, `stompy-memory serve` in its own process and a worker process per
 * configuration (one at a time, as each bundles the workflow code); stops what started if one fails.
 */
export async function startFleet(options: FleetOptions, log: (line: string) => void): Promise<BenchFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-bench-'));
  log('Starting a Temporal dev server and the HTTP memory server...');
  const env = await startTestEnvironment({ runtimeLogLevel: 'ERROR' });
  const workers = new Map<Configuration, BenchWorker>();
  let memory: MemoryServerProcess | undefined;
  const stop = async () => {
    for (const worker of workers.values())
      await worker.stop().catch((e: unknown) => log(`worker stop: ${String(e)}`));
    memory?.stop();
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    memory = await startMemoryServer(join(dir, 'http-memory.db'));
    for (const configuration of options.configurations) {
      log(`Starting the ${configuration} worker...`);
      const extra = options.workerOptions?.(configuration);
      const setup = {
        configuration,
        address: env.address,
        namespace: env.namespace ?? 'default',
        taskQueue: taskQueueOf(configuration),
        dir,
        memoryUrl: memory.url,
        maxConcurrentActivities: options.maxConcurrentActivities,
        workflowBundleFile: extra?.workflowBundleFile,
      };
      workers.set(configuration, await BenchWorker.start(setup, extra?.execArgv));
    }
    return { env, memory, workers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
