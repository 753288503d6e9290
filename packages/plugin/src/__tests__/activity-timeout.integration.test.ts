import { StompyPlugin } from '../index';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import * as activities from './timeout-fixtures/activities';

// An attempt that overran its timeout is recorded as timed out, as the worker sees it: the worker
// times local activities itself and cancels an overrunning attempt with the reason TIMED_OUT. (A
// remote activity's timeout is seen by the server; the worker learns of it only if the activity
// heartbeats.) The plugin also reaches a memory server that requires a bearer token.

const TOKEN = 'plugin-token-1e4';
const bed = useTestbed('activity-timeout', { memory: { token: TOKEN } });

it('records a local activity attempt that overran its timeout as timed_out, through a token-protected server', async () => {
  const plugin = new StompyPlugin({
    memory: { url: bed.memory.url, token: TOKEN },
    outbox: { path: bed.file('outbox.db') },
    logger: silentLogger,
  });
  const taskQueue = 'activity-timeout';
  const worker = await bed.worker({
    taskQueue,
    workflowsPath: require.resolve('./timeout-fixtures/workflows'),
    activities,
    plugin,
  });
  const result: string = await worker.runUntil(
    bed.env.client.workflow.execute<() => Promise<string>>('TimeoutWorkflow', {
      taskQueue,
      workflowId: 'timeout-1',
    }),
  );
  expect(result).toBe('done on attempt 2');
  const { results: attempts } = await bed.memory.deps.store.search({
    query: '',
    tags: ['activity:slowOnce'],
    limit: 10,
  });
  expect(attempts.map((a) => a.metadata.tags.find((t) => t.startsWith('status:'))).sort()).toEqual([
    'status:completed',
    'status:timed_out',
  ]);
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 3, outcomesDelivered: 3, internalErrors: 0 });
});
