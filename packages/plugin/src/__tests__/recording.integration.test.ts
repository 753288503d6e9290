import { readFileSync } from 'node:fs';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { StompyPlugin, type PluginCounterValues, type StompyPluginOptions } from '../index';
import * as activities from './helpers/activities/recording';
import type { Payment } from './helpers/activities/recording';
import { readContexts, sqliteFileContains, withTags, type StoredContext } from './helpers/memory-contents';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import { waitFor } from './helpers/wait-for';
import { rejectOrder, type OrderInput } from './helpers/workflows/recording';

// Recording, end to end: unchanged workflow and activity code (the fixtures import nothing from the
// plugin) on a worker with the plugin, against a real memory server over Streamable HTTP on a real
// SQLite file. Eight workflow runs end every way a run can end (completed, failed, failed by a signal
// handler, cancelled, failed by a timeout scope of its own, continued as new, a child), and ten activity attempts include two retried failures, a local
// activity and a cancelled one: memory must hold exactly one context per run and per attempt, with the right tags and a
// readable note, and none of the arguments.

const PROJECT = 'recording';
const SECRET = 'tok_live_NEVER_STORE_ME_7731';
const RULES: StompyPluginOptions['rules'] = [
  {
    activity: 'chargeCard',
    tags: ['payment'],
    entities: ([payment]) => ({ order: (payment as Payment).orderId }),
  },
  { workflow: /^Rec/, tags: ['orders'], entities: { customer: 'args.0.customerId' } },
];

const bed = useTestbed('recording', { memory: true });
let plugin: StompyPlugin;
let contexts: StoredContext[];
let countersAfterRuns: PluginCounterValues;
let flushedRemaining: number;
/** The arguments of chargeCard as the history holds them (JSON text). */
let chargeArgsInHistory: string;
/** Workflow id to the run ids of its runs, in order. */
const runIds = new Map<string, string[]>();

beforeAll(async () => {
  const { env } = bed;
  plugin = new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file('outbox.db') },
    rules: RULES,
    logger: silentLogger,
  });
  const taskQueue = 'recording-runs';
  const worker = await bed.worker({
    taskQueue,
    workflowsPath: require.resolve('./helpers/workflows/recording'),
    activities,
    plugin,
  });
  const input = (orderId: string, customerId: string): OrderInput => ({
    orderId,
    customerId,
    cardToken: SECRET,
  });
  await worker.runUntil(async () => {
    const wf = env.client.workflow;
    const start = (
      type: string,
      workflowId: string,
      args: unknown[],
    ): Promise<WorkflowHandleWithFirstExecutionRunId> => wf.start(type, { taskQueue, workflowId, args });
    const [order, outOfStock, awaiting, batches, gaveUp, deciding] = await Promise.all([
      start('RecOrder', 'o1', [input('o1', 'C1')]),
      start('RecOutOfStock', 'o2', [input('o2', 'C2')]),
      start('RecAwaitingApproval', 'o3', [input('o3', 'C3')]),
      start('RecBatches', 'o4', [{ ...input('o4', 'C4'), batch: 0 }]),
      start('RecGaveUp', 'o5', [input('o5', 'C5')]),
      start('RecAwaitingDecision', 'o6', [input('o6', 'C6')]),
    ]);
    await deciding.signal(rejectOrder, 'address unknown');
    // Cancel once the approval wait is running on the worker (it has heartbeated), so it is an attempt.
    await waitFor(
      async () =>
        (await awaiting.describe()).raw.pendingActivities!.some(
          (a) => a.activityType?.name === 'awaitApproval' && a.lastHeartbeatTime,
        ),
      10_000,
      'the approval wait to heartbeat',
    );
    await awaiting.cancel();
    await Promise.all([
      order.result(),
      expect(outOfStock.result()).rejects.toMatchObject({ cause: { type: 'OutOfStock' } }),
      expect(awaiting.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } }),
      batches.result(),
      expect(gaveUp.result()).rejects.toMatchObject({ cause: { name: 'CancelledFailure' } }),
      expect(deciding.result()).rejects.toMatchObject({ cause: { type: 'OrderRejected' } }),
    ]);
    // How Temporal itself says the runs ended.
    expect((await gaveUp.describe()).status.name).toBe('FAILED');
    expect((await deciding.describe()).status.name).toBe('FAILED');
    expect((await awaiting.describe()).status.name).toBe('CANCELLED');
    for (const handle of [order, outOfStock, awaiting, gaveUp, deciding])
      runIds.set(handle.workflowId, [handle.firstExecutionRunId]);
    runIds.set('o1-shipment', [(await wf.getHandle('o1-shipment').describe()).runId]);
    runIds.set('o4', [batches.firstExecutionRunId, (await wf.getHandle('o4').describe()).runId]);
    const scheduled = (await order.fetchHistory()).events!.find(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'chargeCard',
    );
    const payloads = scheduled?.activityTaskScheduledEventAttributes?.input?.payloads ?? [];
    chargeArgsInHistory = payloads.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    flushedRemaining = (await plugin.flush(15_000)).remaining;
    countersAfterRuns = plugin.counters();
  });
  contexts = readContexts(bed.file('memory.db'), PROJECT);
}, 120_000);

/** The contexts tagged `tag`, from the memory server's own search (what a recall would see). */
async function searched(...tags: string[]) {
  return (await bed.memory.deps.store.search({ query: '', tags, limit: 100, project: PROJECT })).results;
}

function firstLine(content: string): string {
  return content.split('\n')[0] ?? '';
}

function runId(workflowId: string, run = 0): string {
  const id = runIds.get(workflowId)?.[run];
  if (!id) throw new Error(`no run ${run} of ${workflowId}`);
  return id;
}

it('keeps the fixtures free of the plugin: workflow and activity code is unchanged', () => {
  for (const fixture of ['./helpers/workflows/recording', './helpers/activities/recording']) {
    const source = readFileSync(require.resolve(fixture), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.every((i) => i?.startsWith('@temporalio/') || i === '../activities/recording')).toBe(true);
  }
});

it('delivers every outcome once, within the flush', () => {
  expect(flushedRemaining).toBe(0);
  expect(countersAfterRuns).toMatchObject({
    outcomesQueued: 18,
    outcomesDelivered: 18,
    outcomesDeduplicated: 0,
    outcomesDropped: 0,
    ruleErrors: 0,
    internalErrors: 0,
  });
  // Nothing was written twice: one version per topic, and 18 topics.
  expect(contexts).toHaveLength(18);
  expect(new Set(contexts.map((c) => c.topic)).size).toBe(18);
  expect(contexts.every((c) => c.version === '1.0')).toBe(true);
});

it('holds exactly one outcome per workflow run, eight runs, each with how it ended', async () => {
  expect(await searched('workflow-outcome')).toHaveLength(8);
  const runs = withTags(contexts, 'workflow-outcome');
  const statusOf = (c: StoredContext) => c.tags.filter((t) => t.startsWith('status:'));
  expect(Object.fromEntries(runs.map((c) => [firstLine(c.content), statusOf(c)]))).toEqual({
    [`Workflow: RecOrder (o1, run ${runId('o1')})`]: ['status:completed'],
    [`Workflow: RecShipment (o1-shipment, run ${runId('o1-shipment')})`]: ['status:completed'],
    [`Workflow: RecOutOfStock (o2, run ${runId('o2')})`]: ['status:failed'],
    [`Workflow: RecAwaitingApproval (o3, run ${runId('o3')})`]: ['status:cancelled'],
    [`Workflow: RecBatches (o4, run ${runId('o4', 0)})`]: ['status:continued_as_new'],
    [`Workflow: RecBatches (o4, run ${runId('o4', 1)})`]: ['status:completed'],
    // Its own timeout scope cancelled it, but nobody asked the run to cancel: Temporal fails it.
    [`Workflow: RecGaveUp (o5, run ${runId('o5')})`]: ['status:failed'],
    // A signal handler that throws fails the run, though the main function never returned.
    [`Workflow: RecAwaitingDecision (o6, run ${runId('o6')})`]: ['status:failed'],
  });
  const [child] = withTags(runs, 'workflow:RecShipment');
  expect(child?.content).toContain(`Parent: o1 (run ${runId('o1')})`);
  const [outOfStock] = withTags(runs, 'workflow:RecOutOfStock');
  expect(outOfStock?.priority).toBe('important');
  expect(outOfStock?.content).toMatch(/^Issues: OutOfStock: no stock left for o2 \(non-retryable\)$/m);
  const [rejected] = withTags(runs, 'workflow:RecAwaitingDecision');
  expect(rejected?.content).toMatch(
    /^Issues: OrderRejected: o6 rejected: address unknown \(non-retryable\)$/m,
  );
});

it('holds every activity attempt, each retried failure under its own topic', async () => {
  expect(await searched('activity-outcome')).toHaveLength(10);
  const charges = withTags(contexts, 'activity:chargeCard');
  expect(charges).toHaveLength(3);
  const byAttempt = new Map(charges.map((c) => [/attempt (\d+)$/m.exec(c.content)?.[1], c]));
  expect([...byAttempt.keys()].sort()).toEqual(['1', '2', '3']);
  for (const attempt of ['1', '2']) {
    const charge = byAttempt.get(attempt);
    expect(charge?.tags).toEqual(expect.arrayContaining(['status:failed', 'issue', 'issue:GatewayTimeout']));
    expect(charge?.content).toMatch(
      new RegExp(`^Issues: GatewayTimeout: gateway timed out \\(attempt ${attempt}\\)$`, 'm'),
    );
    expect(charge?.topic).toMatch(new RegExp(`:${attempt}$`));
  }
  expect(byAttempt.get('3')?.tags).toContain('status:completed');
  expect(byAttempt.get('3')?.tags).not.toContain('issue');
  const [local] = withTags(contexts, 'activity:quote');
  expect(local?.content).toMatch(/^Activity: quote \(local\), attempt 1$/m);
  expect(local?.topic).toMatch(/:la[^:]+:1$/);
});

it('tags every outcome with its kind, status, issue, rule tags and entities, inherited ones included', async () => {
  const run = (workflow: string, status: string, customer: string, ...more: string[]) => [
    'temporal',
    'workflow-outcome',
    `status:${status}`,
    `workflow:${workflow}`,
    'orders',
    `customer:${customer}`,
    ...more,
  ];
  const attempt = (
    workflow: string,
    activity: string,
    status: string,
    customer: string,
    ...more: string[]
  ) => [
    'temporal',
    'activity-outcome',
    `status:${status}`,
    `workflow:${workflow}`,
    `activity:${activity}`,
    'orders',
    `customer:${customer}`,
    ...more,
  ];
  const gatewayTimeout = ['issue', 'issue:GatewayTimeout', 'payment', 'order:o1'];
  const expected = [
    run('RecOrder', 'completed', 'C1'),
    run('RecShipment', 'completed', 'C1'), // a child: inherits the customer from its parent's header
    run('RecOutOfStock', 'failed', 'C2', 'issue', 'issue:OutOfStock'),
    run('RecAwaitingApproval', 'cancelled', 'C3', 'issue', 'issue:CancelledFailure'),
    run('RecBatches', 'continued_as_new', 'C4'),
    run('RecBatches', 'completed', 'C4'), // the next run inherits the customer too
    run('RecGaveUp', 'failed', 'C5', 'issue', 'issue:CancelledFailure'),
    run('RecAwaitingDecision', 'failed', 'C6', 'issue', 'issue:OrderRejected'),
    attempt('RecOrder', 'quote', 'completed', 'C1'),
    attempt('RecOrder', 'chargeCard', 'failed', 'C1', ...gatewayTimeout),
    attempt('RecOrder', 'chargeCard', 'failed', 'C1', ...gatewayTimeout),
    attempt('RecOrder', 'chargeCard', 'completed', 'C1', 'payment', 'order:o1'),
    // Activities whose args carry no customer inherit it from their workflow.
    attempt('RecShipment', 'ship', 'completed', 'C1'),
    attempt('RecOutOfStock', 'reserveStock', 'completed', 'C2'),
    attempt('RecAwaitingApproval', 'reserveStock', 'completed', 'C3'),
    attempt('RecAwaitingApproval', 'awaitApproval', 'cancelled', 'C3', 'issue', 'issue:CancelledFailure'),
    attempt('RecBatches', 'reserveStock', 'completed', 'C4'),
    attempt('RecBatches', 'reserveStock', 'completed', 'C4'),
  ];
  const asText = (tags: readonly string[]) => [...tags].sort().join(' ');
  expect(contexts.map((c) => asText(c.tags)).sort()).toEqual(expected.map(asText).sort());
  // The server's tag filter finds them the way recall asks for them.
  expect(await searched('customer:C1')).toHaveLength(7);
  expect(await searched('customer:C4', 'activity-outcome')).toHaveLength(2);
});

it('writes a note that reads like the product page: Workflow, Customer, Success, Issues, Duration', () => {
  for (const { content, tags } of contexts) {
    const customer = tags.find((t) => t.startsWith('customer:'))?.slice('customer:'.length);
    const failed = tags.includes('issue');
    expect(content).toMatch(/^Workflow: Rec\w+ \([\w-]+, run [0-9a-f-]{36}\)\n/);
    expect(content).toMatch(new RegExp(`^Customer: ${customer}$`, 'm'));
    expect(content).toMatch(new RegExp(`^Success: ${failed ? 'no' : 'yes'}$`, 'm'));
    // `Type: message`, or the type alone when the failure has no message; never a dangling colon.
    expect(content).toMatch(failed ? /^Issues: \w+(: \S.*)?$/m : /^Issues: none$/m);
    expect(content).not.toMatch(/^Issues: .*: ?$/m);
    expect(content).toMatch(/^Duration: \d+ ms$/m);
  }
});

it('never records raw arguments: the secret in every input is nowhere in memory or the outbox', () => {
  for (const { topic, content, tags } of contexts) {
    expect(`${topic}\n${content}\n${tags.join(',')}`).not.toContain(SECRET);
  }
  expect(sqliteFileContains(bed.file('memory.db'), SECRET)).toBe(false);
  expect(sqliteFileContains(bed.file('outbox.db'), SECRET)).toBe(false);
  // Not vacuous: the secret did travel in the activity arguments the plugin saw.
  expect(chargeArgsInHistory).toContain(SECRET);
});
