import type { PluginCounterValues, RecalledContext, StompyPlugin } from '../../index';
import * as activities from './failure-activities';
import type { Testbed, TestWorkerOptions } from './testbed';

// Runs of the failure fixtures (failure-workflows.ts, failure-activities.ts) for the tests of bad
// inputs: each on a new worker, with the plugin under test or without it for comparison, on a task
// queue of its own whose name prefixes the workflow ids (and so the first line of their outcomes).

const workflowsPath = require.resolve('./failure-workflows');

/** What a testbed offers these runs (a file's `useTestbed` or an opened one). */
export type FailureTestbed = Pick<Testbed, 'env' | 'worker' | 'taskQueue'>;

/** Counters of a plugin that lost nothing and hit no bug of its own. */
export const QUIET_OK: Partial<PluginCounterValues> = { outcomesDropped: 0, internalErrors: 0 };

/**
 * Runs `fn` with a new worker of the failure fixtures (with `plugin` when given, and any other worker
 * options) on its own task queue.
 */
export async function onFailureWorker<T>(
  bed: FailureTestbed,
  plugin: StompyPlugin | undefined,
  fn: (taskQueue: string) => Promise<T>,
  options: Partial<TestWorkerOptions> = {},
): Promise<T> {
  const taskQueue = bed.taskQueue('failures');
  const worker = await bed.worker({ taskQueue, workflowsPath, activities, plugin, ...options });
  return worker.runUntil(fn(taskQueue));
}

/** Runs EchoWorkflow once per payload, one after the other; returns the results and the task queue. */
export function runEchoes(
  bed: FailureTestbed,
  plugin: StompyPlugin | undefined,
  payloads: unknown[],
): Promise<{ results: string[]; taskQueue: string }> {
  return onFailureWorker(bed, plugin, async (taskQueue) => {
    const results: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      results.push(
        await bed.env.client.workflow.execute<
          (input: { customerId: string; payload: unknown }) => Promise<string>
        >('EchoWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-${i}`,
          args: [{ customerId: `C${i}`, payload }],
        }),
      );
    }
    return { results, taskQueue };
  });
}

/** Runs ThreeSteps for customer C1 on a worker with `plugin`; returns its result and what each attempt recalled. */
export async function runThreeSteps(
  bed: FailureTestbed,
  plugin: StompyPlugin,
): Promise<{ results: string[]; recalled: (RecalledContext | undefined)[] }> {
  const { results, taskQueue } = await onFailureWorker(bed, plugin, async (taskQueue) => ({
    taskQueue,
    results: await bed.env.client.workflow.execute<(input: { customerId: string }) => Promise<string[]>>(
      'ThreeSteps',
      { taskQueue, workflowId: `${taskQueue}-0`, args: [{ customerId: 'C1' }] },
    ),
  }));
  const recalled = [...activities.recalled.entries()]
    .filter(([key]) => key.startsWith(`${taskQueue}-0/`))
    .map(([, context]) => context);
  return { results, recalled };
}
