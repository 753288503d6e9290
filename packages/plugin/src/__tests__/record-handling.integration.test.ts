import type { OutcomeFacts } from '@temporal-stompy/insights';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import * as activities from './helpers/activities/handling';
import { MemoryServerDouble, type ToolCall } from './helpers/memory-server-double';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import type { HandledPayment } from './helpers/workflows/handling';

// recordHandling and the outcome facts end to end, on a real Temporal dev server: an activity labels
// the handling it chose, a workflow rule gives the run a business time and a time zone its activity
// inherits, and a memory server that offers `outcome_insights` (a double, over Streamable HTTP, until
// our server's tool lands) receives each outcome's note and its keys and facts, handling included.

const RULES: StompyPluginOptions['rules'] = [
  {
    workflow: 'HandledCheckout',
    entities: { customer: 'args.0.customerId' },
    eventTime: 'args.0.placedAt',
    timeZone: 'Europe/Berlin',
  },
];
/** A Tuesday, 14:30 UTC: 15:30 in Berlin (UTC+1 in November), window 24 + 15. */
const PLACED_AT = '2026-11-24T14:30:00.000Z';

const bed = useTestbed('record-handling');
const server = new MemoryServerDouble();
server.offerInsights = true;
let entries: { topic: string; content: string; outcome: { keys: string[]; facts: OutcomeFacts } }[];

beforeAll(async () => {
  await server.listen();
  const plugin = new StompyPlugin({
    memory: { url: server.url },
    outbox: { path: bed.file('outbox.db') },
    recall: { enabled: false },
    rules: RULES,
    logger: silentLogger,
  });
  const taskQueue = bed.taskQueue('handling');
  const worker = await bed.worker({
    taskQueue,
    workflowsPath: require.resolve('./helpers/workflows/handling'),
    activities,
    plugin,
  });
  const payment = (customerId: string, useBackup: boolean): HandledPayment => ({
    customerId,
    placedAt: PLACED_AT,
    useBackup,
  });
  await worker.runUntil(async () => {
    const run = (workflowId: string, input: HandledPayment) =>
      bed.env.client.workflow.execute('HandledCheckout', { taskQueue, workflowId, args: [input] });
    expect(await run('handled-backup', payment('C7', true))).toBe('backup');
    expect(await run('handled-primary', payment('C8', false))).toBe('primary');
    expect(await plugin.flush(10_000)).toMatchObject({ remaining: 0 });
  });
  entries = server
    .writeCalls()
    .flatMap((call: ToolCall) =>
      call.tool === 'lock_context_batch' ? (call.args.contexts as typeof entries) : [],
    );
}, 120_000);

afterAll(() => server.close());

function entry(kind: 'act' | 'wf', workflowId: string) {
  const found = entries.find((e) => e.topic.startsWith(`temporal:${kind}:default:${workflowId}:`));
  if (!found)
    throw new Error(`no ${kind} outcome of ${workflowId} among ${entries.map((e) => e.topic).join(', ')}`);
  return found;
}

it("labels the attempt's note and facts with the handling it recorded", () => {
  const labelled = entry('act', 'handled-backup');
  expect(labelled.content).toContain('\nHandling: backup-gateway\n');
  expect(labelled.content).toContain('\nTime zone: Europe/Berlin\n');
  expect(labelled.outcome.keys).toEqual(['activity:chargeWithFallback', 'customer:C7']);
  expect(labelled.outcome.facts).toMatchObject({
    kind: 'activity',
    workflowType: 'HandledCheckout',
    activityType: 'chargeWithFallback',
    failed: false,
    handling: 'backup-gateway',
    eventTimeMs: Date.parse(PLACED_AT),
    timeZone: 'Europe/Berlin',
    window: 39,
    topic: labelled.topic,
  });
});

it('leaves an attempt that recorded no handling on the default path', () => {
  const plain = entry('act', 'handled-primary');
  expect(plain.content).not.toContain('Handling:');
  expect(plain.outcome.facts).not.toHaveProperty('handling');
  expect(plain.outcome.facts).toMatchObject({ timeZone: 'Europe/Berlin', window: 39 });
});

it("counts the workflow run under its type and entities, in its rule's time zone", () => {
  const run = entry('wf', 'handled-backup');
  expect(run.outcome.keys).toEqual(['workflow:HandledCheckout', 'customer:C7']);
  expect(run.outcome.facts).toMatchObject({
    kind: 'workflow',
    workflowType: 'HandledCheckout',
    failed: false,
    timeZone: 'Europe/Berlin',
    window: 39,
  });
  expect(run.outcome.facts).not.toHaveProperty('activityType');
});
