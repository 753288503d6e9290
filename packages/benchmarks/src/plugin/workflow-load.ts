import type { Client } from '@temporalio/client';

/** A batch of benchmark workflows for the client to run on one task queue. */
export interface WorkflowBatch {
  taskQueue: string;
  /** Prefix of the workflow ids, unique per batch. */
  idPrefix: string;
  count: number;
  /** Workflows running at once. */
  concurrency: number;
  /** The customer of workflow `i`. */
  customerOf: (i: number) => string;
}

/** Longest a benchmark workflow may run; the server fails it after that, so no batch hangs. */
const WORKFLOW_TIMEOUT = '2 minutes';

/** Runs the batch (`concurrency` workflows at a time, each waiting for its result) and resolves with its seconds. */
export async function runWorkflows(client: Client, batch: WorkflowBatch): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: batch.concurrency }, async () => {
      while (next < batch.count) {
        const i = next++;
        await client.workflow.execute('BenchWorkflow', {
          taskQueue: batch.taskQueue,
          workflowId: `${batch.idPrefix}-${i}`,
          args: [{ customerId: batch.customerOf(i) }],
          workflowExecutionTimeout: WORKFLOW_TIMEOUT,
        });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}
