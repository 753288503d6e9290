import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostedPlan } from '@temporal-stompy/memory-server';
import { startTestEnvironment, withTimeout } from '@temporal-stompy/testing';
import { BenchWorker } from '../plugin/bench-worker';
import { outboxPathOf } from '../plugin/worker-plugins';
import type { WorkerSetup } from '../plugin/worker-protocol';
import { startHostedEmulation, type HostedEmulation } from './hosted-emulation';

/** Longest the dev server may take to start or stop, and a memory server to close. */
const STOP_TIMEOUT_MS = 120_000;

/** One plan's share of a run: its hosted emulation, and a worker whose plugin talks to it alone. */
export interface PlanLane {
  plan: HostedPlan;
  server: HostedEmulation;
  worker: BenchWorker;
  taskQueue: string;
  /** The worker's outbox file, read back by the checks. */
  outboxPath: string;
}

/** A Temporal dev server and one lane per plan. */
export interface HostedFleet {
  env: Awaited<ReturnType<typeof startTestEnvironment>>;
  lanes: PlanLane[];
  /** Stops the workers, the emulations and the dev server, and removes the run's folder. */
  stop(): Promise<void>;
}

/**
 * Starts one Temporal dev server and, per plan, the hosted emulation in this process and a worker
 * process (`hosted` configuration: the StompyPlugin configured as a user of that plan configures it,
 * its outbox in the run's folder) on a task queue of its own; stops what started if one fails.
 */
export async function startHostedFleet(
  plans: readonly HostedPlan[],
  maxConcurrentActivities: number,
  log: (line: string) => void,
): Promise<HostedFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'hosted-bench-'));
  log('Starting a Temporal dev server...');
  const env = await withTimeout(
    startTestEnvironment({ runtimeLogLevel: 'ERROR' }),
    STOP_TIMEOUT_MS,
    'starting the Temporal dev server',
  );
  const servers: HostedEmulation[] = [];
  const lanes: PlanLane[] = [];
  const stop = async () => {
    for (const lane of lanes)
      await lane.worker.stop().catch((e: unknown) => log(`worker stop: ${String(e)}`));
    for (const server of servers) {
      await withTimeout(server.close(), STOP_TIMEOUT_MS, `stopping the ${server.plan} server`).catch(
        (e: unknown) => log(`server stop: ${String(e)}`),
      );
    }
    await withTimeout(env.teardown(), STOP_TIMEOUT_MS, 'stopping the Temporal dev server');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const plan of plans) {
      const server = await startHostedEmulation(plan, dir);
      servers.push(server);
      log(
        `Starting the ${plan} worker (${server.limits.perMinute}/min, ${server.limits.burstPer10s} per 10 s)...`,
      );
      const setup: WorkerSetup = {
        configuration: 'hosted',
        address: env.address,
        namespace: env.namespace ?? 'default',
        taskQueue: `hosted-${plan}`,
        dir,
        memoryUrl: server.url,
        hosted: {
          token: server.token,
          maxCallsPerMinute: server.limits.perMinute,
          burst: server.limits.burstPer10s,
        },
        maxConcurrentActivities,
      };
      const worker = await BenchWorker.start(setup);
      lanes.push({ plan, server, worker, taskQueue: setup.taskQueue, outboxPath: outboxPathOf(setup) });
    }
    return { env, lanes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
