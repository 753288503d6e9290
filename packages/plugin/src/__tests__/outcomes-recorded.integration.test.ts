import { Worker } from '@temporalio/worker';
import { StompyPlugin } from '../index';
import {
  openTestbed,
  silentLogger,
  startMemoryOverHttp,
  type MemoryOverHttp,
  type Testbed,
} from './helpers/testbed';
import * as activities from './recording-fixtures/activities';
import type { OrderInput } from './recording-fixtures/workflows';

// Unchanged workflow and activity code (the fixtures import nothing from the plugin) on a worker
// with the plugin, against a real memory server over Streamable HTTP: every run and every attempt
// is recorded exactly once, with the right tags, entities and content, and no raw arguments.

const SECRET = 'sk_live_DO_NOT_STORE_42';

let bed: Testbed;
let memory: MemoryOverHttp;
let plugin: StompyPlugin;

beforeAll(async () => {
  bed = await openTestbed('outcomes-recorded');
  memory = await startMemoryOverHttp(bed.file('memory.db'));
  const env = bed.env;
  plugin = new StompyPlugin({
    memory: { url: memory.url, project: 'orders' },
    outbox: { path: bed.file('outbox.db') },
    logger: silentLogger,
    rules: [
      {
        workflow: /^Recorded(Order|Declined|Batches|Cancelled)$/,
        tags: ['orders'],
        entities: { customer: 'args.0.customerId' },
      },
      { activity: 'flakyCharge', tags: ['payment'], entities: ([orderId]) => ({ order: String(orderId) }) },
    ],
  });
  const taskQueue = 'outcomes-recorded';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./recording-fixtures/workflows'),
    activities,
    plugins: [plugin],
  });
  const input = (orderId: string, customerId: string): OrderInput => ({
    orderId,
    customerId,
    secret: SECRET,
  });
  await worker.runUntil(async () => {
    const wf = env.client.workflow;
    await wf.execute('RecordedOrder', { taskQueue, workflowId: 'o1', args: [input('o1', 'C1')] });
    await expect(
      wf.execute('RecordedDeclined', { taskQueue, workflowId: 'o2', args: [input('o2', 'C2')] }),
    ).rejects.toThrow();
    await wf.execute('RecordedBatches', {
      taskQueue,
      workflowId: 'o3',
      args: [{ ...input('o3', 'C3'), batch: 0 }],
    });
    const cancelled = await wf.start('RecordedCancelled', {
      taskQueue,
      workflowId: 'o4',
      args: [input('o4', 'C4')],
    });
    await waitUntil(async () => (await cancelled.fetchHistory()).events!.length >= 5);
    await cancelled.cancel();
    await expect(cancelled.result()).rejects.toThrow();
  }); // worker shutdown flushes the outbox
}, 120_000);

afterAll(async () => {
  await memory?.close();
  await bed?.close();
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
}

/** Contexts in the `orders` project carrying every given tag. */
function tagged(...tags: string[]) {
  return memory.deps.store.search({ query: '', tags, limit: 100, project: 'orders' }).results;
}

it('records each of the 6 workflow runs exactly once, with how it ended', () => {
  expect(tagged('workflow-outcome')).toHaveLength(6);
  expect(tagged('workflow-outcome', 'status:completed').map((r) => r.content.split('\n')[0])).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Workflow: RecordedOrder \(o1,/),
      expect.stringMatching(/^Workflow: RecordedNotification \(o1-notify,/),
      expect.stringMatching(/^Workflow: RecordedBatches \(o3,/),
    ]),
  );
  expect(tagged('workflow-outcome', 'status:completed')).toHaveLength(3);
  expect(tagged('workflow-outcome', 'status:continued_as_new')).toHaveLength(1);
  expect(tagged('workflow-outcome', 'status:cancelled')).toHaveLength(1);
  const [declined] = tagged('workflow-outcome', 'status:failed');
  expect(declined?.metadata.tags).toEqual(
    expect.arrayContaining(['issue', 'issue:CardDeclined', 'customer:C2', 'orders']),
  );
  expect(declined?.metadata.priority).toBe('important');
});

it('records every activity attempt, retried failures and local activities included', () => {
  expect(tagged('activity-outcome')).toHaveLength(9);
  const charges = tagged('activity:flakyCharge');
  expect(charges).toHaveLength(3);
  expect(tagged('activity:flakyCharge', 'issue:GatewayTimeout')).toHaveLength(2);
  for (const charge of charges) {
    expect(charge.metadata.tags).toEqual(
      expect.arrayContaining(['payment', 'order:o1', 'customer:C1', 'orders']),
    );
  }
  const [local] = tagged('activity:quote');
  expect(local?.content).toContain('Activity: quote (local), attempt 1');
});

it('gives activities their workflow’s entities, in children too, though their args do not carry them', () => {
  const [notify] = tagged('activity:notify');
  expect(notify?.metadata.tags).toEqual(
    expect.arrayContaining(['customer:C1', 'workflow:RecordedNotification']),
  );
  expect(notify?.content).toContain('Customer: C1');
  expect(tagged('customer:C3', 'activity-outcome')).toHaveLength(2); // across continue-as-new
});

it('writes notes people and search understand, and never raw arguments', () => {
  const all = memory.deps.store.search({ query: '', limit: 100, project: 'orders' }).results;
  expect(all).toHaveLength(15);
  for (const { content } of all) {
    expect(content).toMatch(/^Workflow: /);
    expect(content).toMatch(/^Success: (yes|no)$/m);
    expect(content).toMatch(/^Issues: /m);
    expect(content).toMatch(/^Duration: \d+ ms$/m);
    expect(content).not.toContain(SECRET);
  }
  expect(plugin.counters()).toMatchObject({
    outcomesQueued: 15,
    outcomesDelivered: 15,
    outcomesDeduplicated: 0,
    outcomesDropped: 0,
    internalErrors: 0,
    ruleErrors: 0,
  });
});
