import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  CONTEXT_HEADER,
  decodeRecalledContext,
  recalledContext,
  StompyPlugin,
  type RecalledContext,
  type StompyPluginOptions,
} from '../index';
import { encodeKeys } from '../common/keys-header';
import { KEYS_HEADER } from '../common/headers';
import {
  openTestbed,
  silentLogger,
  startMemoryOverHttp,
  type MemoryOverHttp,
  type Testbed,
} from './helpers/testbed';
import { learningActivities } from './learning-fixtures/activities';

// Cross-execution learning on a real dev server and a real memory server over HTTP: what one run
// went through is what the next run for the same customer starts with.

const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'Checkout', entities: { customer: 'args.0.customerId' } },
  { activity: 'auditCharge', recall: false },
];

let bed: Testbed;
let env: TestWorkflowEnvironment;
let server: MemoryOverHttp;
let plugin: StompyPlugin;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'learning';

beforeAll(async () => {
  bed = await openTestbed('learning');
  env = bed.env;
  server = await startMemoryOverHttp(bed.file('memory.db'));
  plugin = new StompyPlugin({
    memory: { url: server.url },
    outbox: { path: bed.file('outbox.db') },
    rules: RULES,
    logger: silentLogger,
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./learning-fixtures/workflows'),
    activities: learningActivities,
    plugins: [plugin],
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await server?.close();
  await bed?.close();
});

let runs = 0;
function checkout(customerId: string, mode: 'charge' | 'advise' | 'audit'): Promise<unknown> {
  return env.client.workflow.execute('Checkout', {
    taskQueue,
    workflowId: `checkout-${runs++}`,
    args: [{ customerId, mode }],
  });
}

it('a later run for the same customer reads the issue an earlier run recorded', async () => {
  await expect(checkout('C1', 'charge')).rejects.toThrow();
  const memory = (await checkout('C1', 'advise')) as RecalledContext;
  expect(memory.keys).toEqual(['customer:C1', 'activity:adviseCharge']);
  expect(memory.complete).toBe(true);
  const customer = memory.summaries['customer:C1'];
  expect(customer).toMatchObject({
    failures: 2, // the charge attempt and its workflow run
    commonIssues: [{ type: 'CardDeclined', count: 2 }],
    lastFailure: { type: 'CardDeclined', message: 'card of C1 declined' },
  });
  expect(customer?.runsSeen).toBeGreaterThanOrEqual(2);
  expect(memory.memories.some((m) => m.content.includes('Issues: CardDeclined: card of C1 declined'))).toBe(
    true,
  );
});

it('a worker that recorded nothing itself learns it from the memory server', async () => {
  await plugin.flush(5_000);
  const other = new StompyPlugin({
    memory: { url: server.url },
    outbox: { path: bed.file('other-outbox.db') },
    rules: RULES,
    logger: silentLogger,
  });
  const otherQueue = 'learning-other-worker';
  const otherWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: otherQueue,
    workflowsPath: require.resolve('./learning-fixtures/workflows'),
    activities: learningActivities,
    plugins: [other],
  });
  const memory = (await otherWorker.runUntil(
    env.client.workflow.execute('Checkout', {
      taskQueue: otherQueue,
      workflowId: `checkout-${runs++}`,
      args: [{ customerId: 'C1', mode: 'advise' }],
    }),
  )) as RecalledContext;
  expect(memory.summaries['customer:C1']?.commonIssues).toEqual([{ type: 'CardDeclined', count: 2 }]);
});

it('another customer does not see it', async () => {
  await checkout('C2', 'charge');
  const memory = (await checkout('C2', 'advise')) as RecalledContext;
  expect(memory.summaries['customer:C2']).toMatchObject({ failures: 0, commonIssues: [] });
  expect(memory.memories.every((m) => !m.content.includes('CardDeclined'))).toBe(true);
});

it('gives nothing to an activity whose rule says recall: false, and nothing outside an activity', async () => {
  expect(await checkout('C1', 'audit')).toBeNull();
  expect(recalledContext()).toBeUndefined();
});

it('puts the same memory in the stompy-context header for the interceptors after it', async () => {
  // The activity function never sees headers (and MockActivityEnvironment.run passes none), so this
  // calls the plugin's interceptor directly with a header from a workflow, and captures what it passes on.
  const mock = new MockActivityEnvironment({ activityType: 'adviseCharge', activityId: 'h1' });
  const factory = plugin.activityInterceptors(mock.context);
  let passedOn: Record<string, unknown> = {};
  let insideActivity: RecalledContext | undefined;
  const result = await factory.inbound!.execute!(
    { args: [], headers: { [KEYS_HEADER]: encodeKeys({ tags: [], entities: { customer: 'C1' } }) } },
    async (input) => {
      passedOn = input.headers;
      insideActivity = recalledContext();
      return 'ok';
    },
  );
  expect(result).toBe('ok');
  const header = decodeRecalledContext(passedOn[CONTEXT_HEADER] as never);
  expect(header?.summaries['customer:C1']?.commonIssues[0]).toEqual({ type: 'CardDeclined', count: 2 });
  expect(header?.memories.map((m) => m.topic)).toEqual(insideActivity?.memories.map((m) => m.topic));
});
