// End to end on a real Temporal dev server: a worker bundles a workflow, the workflow calls an activity,
// the client gets the result.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { startTestEnvironment } from '../dev-server';
import * as activities from './fixtures/activities';
import type { greetingWorkflow } from './fixtures/workflows';

// Dev-server start plus webpack bundling of the workflow take 10-20 s on 2 cores; a cold CLI build is
// done earlier, by jest's globalSetup.
const STARTUP_TIMEOUT_MS = 180_000;

describe('a real Temporal dev server', () => {
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment();
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await env?.teardown();
  }, 60_000);

  test(
    'runs a workflow that calls an activity, end to end',
    async () => {
      const testEnv = env!;
      const taskQueue = `testing-${randomUUID()}`;
      const worker = await Worker.create({
        connection: testEnv.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/workflows'),
        activities,
      });

      const handle = await testEnv.client.workflow.start<typeof greetingWorkflow>('greetingWorkflow', {
        taskQueue,
        workflowId: `greeting-${randomUUID()}`,
        args: ['Stompy'],
      });
      const result = await worker.runUntil(handle.result());

      expect(result).toBe('Hello, Stompy! (activity greet, attempt 1) (from the workflow)');
      const history = await handle.fetchHistory();
      const completed = (history.events ?? []).filter((event) => event.activityTaskCompletedEventAttributes);
      expect(completed).toHaveLength(1);
    },
    STARTUP_TIMEOUT_MS,
  );
});
