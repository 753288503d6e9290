import { MockActivityEnvironment } from '@temporalio/testing';
import { encodeKeys } from '../common/keys-header';
import { recalledContext, StompyPlugin, type RecalledContext, type StompyPluginOptions } from '../index';
import { CONTEXT_HEADER, decodeRecalledContext, KEYS_HEADER, manualWiring } from '../manual';
import * as activities from './helpers/activities/learning';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import type { CheckoutStep } from './helpers/workflows/learning';

// Cross-execution learning on a real dev server and a real memory server over HTTP: the issue one
// run of a customer went through is what the next run of that customer starts with, read through
// `recalledContext()` in an activity whose own args do not name the customer (the workflow rule
// extracts it; the workflow's header carries it to the activity).

const PROJECT = 'learning';
const RULES: StompyPluginOptions['rules'] = [
  { workflow: 'LearnCheckout', entities: { customer: 'args.0.customerId' } },
  { activity: 'auditPayment', recall: false },
];
const workflowsPath = require.resolve('./helpers/workflows/learning');

const bed = useTestbed('learning', { memory: true });
/** The plugin of the worker that runs the first runs (it recorded them itself). */
let plugin: StompyPlugin;
/** The plugin of a second worker that never saw those runs: it only has what the memory server has. */
let fresh: StompyPlugin;
/** Run id of the first run for C1, the one that failed. */
let declinedRunId: string;

beforeAll(async () => {
  plugin = new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file('outbox.db') },
    rules: RULES,
    logger: silentLogger,
  });
  fresh = new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file('fresh-outbox.db') },
    rules: RULES,
    // Always ask the server, so a recall during an outage has only stale memory to offer.
    recall: { cacheTtlMs: 0 },
    shutdownFlushMs: 2_000,
    logger: silentLogger,
  });
  await Promise.all([
    bed.runningWorker({ taskQueue: 'learning', workflowsPath, activities, plugin }),
    bed.runningWorker({ taskQueue: 'learning-fresh', workflowsPath, activities, plugin: fresh }),
  ]);
}, 120_000);

let runs = 0;
function checkout(
  customerId: string,
  step: CheckoutStep['step'],
  taskQueue = 'learning',
): Promise<RecalledContext | null> {
  return bed.env.client.workflow.execute('LearnCheckout', {
    taskQueue,
    workflowId: `learn-${customerId}-${step}-${runs++}`,
    args: [{ customerId, step } satisfies CheckoutStep],
  });
}

/** What memory says about C1 after its declined run: the attempt and the run, both CardDeclined. */
const C1_DECLINED = {
  key: 'customer:C1',
  runs: 2,
  failures: 2,
  commonIssues: [{ type: 'CardDeclined', count: 2 }],
  lastFailure: { type: 'CardDeclined', message: 'card of C1 declined' },
};

it('a second run for C1 reads, through recalledContext(), the CardDeclined issue of the first', async () => {
  const first = bed.env.client.workflow.start('LearnCheckout', {
    taskQueue: 'learning',
    workflowId: 'learn-C1-declined',
    args: [{ customerId: 'C1', step: 'charge' } satisfies CheckoutStep],
  });
  declinedRunId = (await first).firstExecutionRunId;
  await expect((await first).result()).rejects.toMatchObject({ cause: { cause: { type: 'CardDeclined' } } });

  const context = await checkout('C1', 'review');
  expect(context).not.toBeNull();
  expect(context?.keys).toEqual(['customer:C1', 'activity:reviewRisk']);
  expect(context?.complete).toBe(true);
  expect(context?.insights['customer:C1']).toMatchObject(C1_DECLINED);
  // The memories are run 1's outcomes: its failed charge attempt and its failed run.
  const fromRun1 = context?.memories.filter((m) =>
    m.content.startsWith(`Workflow: LearnCheckout (learn-C1-declined, run ${declinedRunId})`),
  );
  expect(
    fromRun1?.map((m) => (m.content.includes('Activity: chargeCard') ? 'attempt' : 'run')).sort(),
  ).toEqual(['attempt', 'run']);
  for (const m of fromRun1 ?? []) {
    expect(m.content).toContain('Issues: CardDeclined: card of C1 declined (non-retryable)');
    expect(m.tags).toEqual(expect.arrayContaining(['customer:C1', 'issue', 'issue:CardDeclined']));
  }
});

it('a worker that never saw run 1 reads it from the memory server', async () => {
  expect((await plugin.flush(10_000)).remaining).toBe(0);
  const { results: stored } = await bed.memory.deps.store.search({
    query: '',
    tags: ['customer:C1', 'issue:CardDeclined'],
    limit: 10,
    project: PROJECT,
  });
  expect(stored).toHaveLength(2);

  const context = await checkout('C1', 'review', 'learning-fresh');
  expect(context?.complete).toBe(true);
  // Run 1's two failures, and run 2's review attempt and run, which the first worker recorded too.
  expect(context?.insights['customer:C1']).toMatchObject({ ...C1_DECLINED, runs: 4 });
  expect(context?.memories.map((m) => m.topic)).toEqual(expect.arrayContaining(stored.map((s) => s.topic)));
  expect(fresh.counters().recallsFailed).toBe(0);
});

it('says complete: false when the server cannot be reached, and answers from what it had', async () => {
  await bed.memory.stop();
  try {
    const context = await checkout('C1', 'review', 'learning-fresh');
    expect(context?.complete).toBe(false);
    // Stale, but still the lesson of run 1.
    expect(context?.insights['customer:C1']?.commonIssues[0]).toEqual({ type: 'CardDeclined', count: 2 });
    expect(fresh.counters().recallsFailed + fresh.counters().recallsOverBudget).toBeGreaterThan(0);
  } finally {
    await bed.memory.start();
  }
});

it('a run for C2 does not see C1’s issue', async () => {
  expect(await checkout('C2', 'charge')).toBe('charged C2');
  const context = await checkout('C2', 'review');
  expect(context?.keys).toEqual(['customer:C2', 'activity:reviewRisk']);
  const c2 = context?.insights['customer:C2'];
  // The server's exact insights, as of the fetch before C2's charge (cached since: a success does
  // not make them stale); the memories already hold the charge this worker just recorded.
  expect(c2).toMatchObject({ exact: true, failures: 0, commonIssues: [] });
  expect(c2?.lastFailure).toBeUndefined();
  expect(context?.insights['customer:C1']).toBeUndefined();
  expect(Object.values(context?.insights ?? {}).flatMap((s) => s.commonIssues)).toEqual([]);
  expect(
    context?.memories.filter(
      (m) => m.tags.includes('issue:CardDeclined') || m.content.includes('CardDeclined'),
    ),
  ).toEqual([]);
  expect(context?.memories.some((m) => m.content.includes('Customer: C2'))).toBe(true);
});

it('gives nothing outside an activity, nor to an activity whose rule says recall: false', async () => {
  expect(recalledContext()).toBeUndefined();
  expect(await checkout('C1', 'audit')).toBeNull();
});

describe('the stompy-context header', () => {
  // The activity function never sees headers and MockActivityEnvironment.run passes none, so these
  // call the plugin's interceptor directly, with the keys header a workflow would send, and a `next`
  // that captures what the interceptor passes on to the interceptors after it and the activity.
  async function executeThroughInterceptor(activityType: string) {
    const { context } = new MockActivityEnvironment({ activityType, activityId: `${activityType}-direct` });
    const keysHeader = encodeKeys({ tags: [], entities: { customer: 'C1' } });
    let headers: Record<string, unknown> = {};
    let inside: RecalledContext | undefined;
    let result: unknown;
    const wiring = manualWiring(plugin);
    await wiring.run(async () => {
      result = await wiring.interceptors.activity[0]!(context).inbound!.execute!(
        { args: [], headers: { [KEYS_HEADER]: keysHeader } },
        async (input) => {
          headers = input.headers;
          inside = recalledContext();
          return 'done';
        },
      );
    });
    expect(result).toBe('done');
    return { headers, inside, keysHeader };
  }

  it('carries the recalled memory, the same as recalledContext() in the activity', async () => {
    const { headers, inside, keysHeader } = await executeThroughInterceptor('reviewRisk');
    expect(headers[KEYS_HEADER]).toBe(keysHeader);
    const decoded = decodeRecalledContext(
      headers[CONTEXT_HEADER] as Parameters<typeof decodeRecalledContext>[0],
    );
    expect(decoded).toBeDefined();
    expect(decoded?.insights['customer:C1']?.commonIssues[0]).toEqual({ type: 'CardDeclined', count: 2 });
    expect(decoded?.insights['customer:C1']?.lastFailure?.type).toBe('CardDeclined');
    // A JSON round trip of what the activity saw (the header is JSON: undefined fields drop out).
    expect(decoded).toEqual(JSON.parse(JSON.stringify(inside)));
  });

  it('is absent for an activity whose rule says recall: false', async () => {
    const { headers, inside } = await executeThroughInterceptor('auditPayment');
    expect(Object.keys(headers)).toEqual([KEYS_HEADER]);
    expect(inside).toBeUndefined();
  });
});
