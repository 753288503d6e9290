import { WorkflowUpdateStage } from '@temporalio/client';
import { StompyPlugin } from '../index';
import { readContexts, withTags, type StoredContext } from './helpers/memory-contents';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import { restart } from './helpers/workflows/endings';

// Runs that end from somewhere other than the main function: an update handler that continues as new,
// an error type the worker lists in `workflowFailureErrorTypes`, and one the workflow's definition lists
// in `failureExceptionTypes`, thrown from an update handler. Each run is recorded once, with the
// status and issue Temporal's own history gives it.

const PROJECT = 'endings';
const bed = useTestbed('run-endings', { memory: true });
let runs: StoredContext[];
/** How Temporal says each workflow's runs ended, oldest first: [status, failure type of the last]. */
const temporalSays = new Map<string, string[]>();

beforeAll(async () => {
  const plugin = new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file('outbox.db') },
    logger: silentLogger,
  });
  const taskQueue = 'run-endings';
  const worker = await bed.worker({
    taskQueue,
    workflowsPath: require.resolve('./helpers/workflows/endings'),
    workflowFailureErrorTypes: { '*': [], EndListedByWorker: ['InsufficientStock'] },
    plugin,
  });
  await worker.runUntil(async () => {
    const wf = bed.env.client.workflow;
    const [restartable, byWorker, byDefinition] = await Promise.all([
      wf.start('EndRestartable', { taskQueue, workflowId: 'restartable', args: [0] }),
      wf.start('EndListedByWorker', { taskQueue, workflowId: 'by-worker', args: ['sku-7'] }),
      wf.start('EndListedByDefinition', { taskQueue, workflowId: 'by-definition' }),
    ]);
    await restartable.startUpdate(restart, { waitForStage: WorkflowUpdateStage.ACCEPTED });
    await byDefinition.startUpdate(restart, { waitForStage: WorkflowUpdateStage.ACCEPTED });
    await Promise.all([
      expect(restartable.result()).resolves.toBe('generation 1'),
      expect(byWorker.result()).rejects.toMatchObject({ cause: { type: 'InsufficientStock' } }),
      expect(byDefinition.result()).rejects.toMatchObject({ cause: { type: 'PaymentDeclined' } }),
    ]);
    for (const id of ['restartable', 'by-worker', 'by-definition']) {
      const statuses: string[] = [];
      for await (const execution of wf.list({ query: `WorkflowId = '${id}'` })) {
        statuses.unshift(execution.status.name);
      }
      temporalSays.set(id, statuses);
    }
    expect((await plugin.flush(15_000)).remaining).toBe(0);
  });
  runs = withTags(readContexts(bed.file('memory.db'), PROJECT), 'workflow-outcome');
}, 120_000);

/** The recorded runs of a workflow id: their status tag and Issues line, oldest first. */
function recorded(workflowId: string): [string | undefined, string | undefined][] {
  return runs
    .filter((c) => c.content.startsWith(`Workflow: `) && c.content.includes(`(${workflowId}, run `))
    .map((c) => [c.tags.find((t) => t.startsWith('status:')), /^Issues: (.*)$/m.exec(c.content)?.[1]]);
}

it('records a run that an update handler continued as new, then the run after it', () => {
  expect(temporalSays.get('restartable')).toEqual(['CONTINUED_AS_NEW', 'COMPLETED']);
  expect(recorded('restartable')).toEqual([
    ['status:continued_as_new', 'none'],
    ['status:completed', 'none'],
  ]);
});

it('records a run failed by an error type listed in the worker’s workflowFailureErrorTypes', () => {
  expect(temporalSays.get('by-worker')).toEqual(['FAILED']);
  expect(recorded('by-worker')).toEqual([
    ['status:failed', 'InsufficientStock: no sku-7 left in any warehouse'],
  ]);
});

it('records a run failed from an update handler by a type in the definition’s failureExceptionTypes', () => {
  expect(temporalSays.get('by-definition')).toEqual(['FAILED']);
  expect(recorded('by-definition')).toEqual([
    ['status:failed', 'PaymentDeclined: card declined while restarting'],
  ]);
});

it('records each run once, and nothing else', () => {
  expect(runs).toHaveLength(4);
  expect(new Set(runs.map((c) => c.topic)).size).toBe(4);
});
