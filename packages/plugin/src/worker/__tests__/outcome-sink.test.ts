import type { WorkflowInfo } from '@temporalio/workflow';
import pino from 'pino';
import type { Outcome, WorkflowRunReport } from '../../common/outcome';
import { PluginCounters } from '../../support/plugin-counters';
import { createOutcomeSinks } from '../outcome-sink';

// The worker side of the outcome sink: the worker awaits it before it completes the workflow task,
// so the task that ends a run completes once the recorder has the run's outcome in the outbox (the
// recorder waits the recall budget at the most: see outcome-recorder.test.ts).

const REPORT: WorkflowRunReport = {
  namespace: 'default',
  taskQueue: 'q',
  workflowId: 'wf-1',
  runId: 'run-1',
  workflowType: 'OrderWorkflow',
  status: 'completed',
  startedAtMs: 1_000,
  endedAtMs: 2_000,
  attempt: 1,
  keys: { tags: [], entities: { customer: 'C1' } },
};
const info = {} as WorkflowInfo;

function sinkWith(record: (outcome: Outcome) => Promise<void>) {
  const counters = new PluginCounters();
  const sinks = createOutcomeSinks({
    recorder: { record },
    workerVersion: 'build-7',
    logger: pino({ level: 'silent' }),
    counters,
  });
  return { fn: sinks.stompyOutcomes.workflowEnded.fn, counters };
}

it('completes once the outcome is recorded, with the worker version on it', async () => {
  const recorded: Outcome[] = [];
  const { fn } = sinkWith(async (outcome) => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    recorded.push(outcome);
  });
  await fn(info, REPORT);
  expect(recorded).toMatchObject([{ kind: 'workflow', status: 'completed', workerVersion: 'build-7' }]);
});

it('never throws, even when the recorder does', async () => {
  const throwing = sinkWith(() => {
    throw new Error('recorder bug');
  });
  await expect(throwing.fn(info, REPORT)).resolves.toBeUndefined();
  expect(throwing.counters.snapshot().internalErrors).toBe(1);
});
