import { StompyPlugin, type StompyPluginOptions } from '@temporal-stompy/plugin';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type OrderServices } from './activities';

/** The task queue of the order workflow. */
export const TASK_QUEUE = 'orders';

/** The tag rules of the order worker: which customer each execution is about. */
export const ORDER_RULES: StompyPluginOptions['rules'] = [
  { workflow: 'OrderWorkflow', tags: ['orders'], entities: { customer: 'args.0.customerId' } },
  { activity: /payment/i, tags: ['payment'] },
];

/**
 * Creates the order worker. Compared with the worker the team had before, the only change is the
 * `plugins` line: the workflow and most activities are untouched.
 */
export async function createOrderWorker(
  connection: NativeConnection,
  services: OrderServices,
  plugin = new StompyPlugin({ rules: ORDER_RULES }),
  namespace = 'default',
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities(services),
    plugins: [plugin],
  });
}
