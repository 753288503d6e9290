// Runs a simulation's orders on a real worker, in business-time order, a few at a time, switching
// the worker to the new build partway, and collects what every attempt saw and how every order ended.
import type { StompyPlugin } from '@temporal-stompy/plugin';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { PREVIOUS_BUILD, REGRESSED_BUILD } from './injected-patterns';
import type { SimulatedOrderResult } from './order-workflow';
import { createSimulatedActivities, type AttemptObservation } from './simulated-activities';
import { weekOf, type SimulatedOrder, type SimulationOptions } from './simulation-plan';

/** Orders in flight at once. */
const CONCURRENCY = 24;

/**
 * The order workflow bundled once with `plugin`'s sandbox interceptors and workflow rules, for every
 * worker of a demo: bundling takes seconds of CPU, and each simulation starts two workers (one per
 * build). Plugins with the same rules may share it.
 */
export function bundleOrderWorkflow(plugin: StompyPlugin): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('./order-workflow'), plugins: [plugin] });
}

/** How a simulation went. */
export interface SimulationRun {
  readonly results: ReadonlyMap<string, SimulatedOrderResult | Error>;
  readonly observations: readonly AttemptObservation[];
  readonly seconds: number;
}

/**
 * Runs `orders` on workers with `plugin` (a worker of the previous build, then one of the regressed
 * build from `options.newBuildAtWeek` on), on task queue `taskQueue`, with the order workflow's
 * `workflowBundle` when given (see {@link bundleOrderWorkflow}), else bundled by each worker.
 */
export async function runSimulation(
  env: TestWorkflowEnvironment,
  plugin: StompyPlugin,
  workflowBundle: WorkflowBundleWithSourceMap | undefined,
  orders: readonly SimulatedOrder[],
  options: SimulationOptions,
  taskQueue: string,
  progress: (done: number) => void = () => undefined,
): Promise<SimulationRun> {
  const started = Date.now();
  const observations: AttemptObservation[] = [];
  const results = new Map<string, SimulatedOrderResult | Error>();
  const before = orders.filter((o) => weekOf(o.placedAt) < options.newBuildAtWeek);
  const after = orders.filter((o) => weekOf(o.placedAt) >= options.newBuildAtWeek);
  for (const [build, batch] of [
    [PREVIOUS_BUILD, before],
    [REGRESSED_BUILD, after],
  ] as const) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      buildId: build,
      ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('./order-workflow') }),
      activities: createSimulatedActivities({
        seed: options.seed,
        build,
        observe: (o) => observations.push(o),
      }),
      plugins: [plugin],
    });
    await worker.runUntil(async () => {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < batch.length) {
          const order = batch[next++];
          if (!order) return;
          results.set(order.orderId, await runOrder(env, order, taskQueue));
          progress(results.size);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    });
  }
  return { results, observations, seconds: (Date.now() - started) / 1000 };
}

async function runOrder(
  env: TestWorkflowEnvironment,
  order: SimulatedOrder,
  taskQueue: string,
): Promise<SimulatedOrderResult | Error> {
  try {
    return (await env.client.workflow.execute('OrderWorkflow', {
      taskQueue,
      workflowId: order.orderId,
      args: [order],
    })) as SimulatedOrderResult;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
