import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import * as activities from './replay-fixtures/activities';

// Replay safety, proven on committed histories. The histories in __fixtures__/histories were recorded
// on a real dev server by this file with RECORD_HISTORIES=1 (without it, the same runs are compared
// with the committed histories), once with the plugin on the worker and once without. Replaying them checks that the plugin's sandbox code is deterministic (adding it to a
// running fleet, or removing it, never breaks a workflow) and that replay records nothing.

const workflowsPath = require.resolve('./replay-fixtures/workflows');
const FIXTURES = join(__dirname, '__fixtures__', 'histories');
const RULES: StompyPluginOptions['rules'] = [
  { workflow: /^Replay/, tags: ['replay'], entities: { customer: 'args.0.customerId' } },
  { activity: 'chargeCard', entities: ([customerId]) => ({ payer: String(customerId) }) },
];
const silent = pino({ level: 'silent' });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plugin(name: string): StompyPlugin {
  return new StompyPlugin({
    rules: RULES,
    memory: { dbPath: join(dir, `${name}-memory.db`) },
    outbox: { path: join(dir, `${name}-outbox.db`) },
    logger: silent,
  });
}

/** The sequence of event types of a history: what replay checks commands against. */
function eventTypes(history: { events?: { eventType?: unknown }[] | null }): unknown[] {
  return (history.events ?? []).map((e) => e.eventType);
}

/** The workflow id each fixture was recorded under (replay needs it: the child's id is derived from it). */
function workflowIdOf(file: string, recordedWith: string): string {
  if (file.startsWith('order-run')) return `order-${recordedWith}`;
  if (file.startsWith('shipment')) return `order-${recordedWith}-shipment-0`;
  return `failing-${recordedWith}`;
}

/** The committed histories: [file, history, workflow id]. */
function histories(recordedWith: 'with-plugin' | 'without-plugin'): [string, unknown, string][] {
  const folder = join(FIXTURES, recordedWith);
  if (!existsSync(folder))
    throw new Error(`missing history fixtures in ${folder}: record them with RECORD_HISTORIES=1`);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [
      f,
      historyFromJSON(JSON.parse(readFileSync(join(folder, f), 'utf8'))),
      workflowIdOf(f, recordedWith),
    ]);
}

const recording = process.env.RECORD_HISTORIES === '1';

describe('the history fixtures', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTestEnvironment();
  }, 120_000);
  afterAll(async () => env?.teardown());

  it.each(['with-plugin', 'without-plugin'] as const)(
    'match what the workflows do today (%s)',
    async (recordedWith) => {
      const taskQueue = `replay-${recordedWith}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath,
        activities,
        ...(recordedWith === 'with-plugin' ? { plugins: [plugin('record')] } : {}),
      });
      const handles: [string, WorkflowHandle][] = await worker.runUntil(async () => {
        const order = await env.client.workflow.start('ReplayOrderWorkflow', {
          taskQueue,
          workflowId: `order-${recordedWith}`,
          args: [{ customerId: 'C1', round: 0 }],
        });
        await order.result();
        const failing = await env.client.workflow.start('ReplayFailingWorkflow', {
          taskQueue,
          workflowId: `failing-${recordedWith}`,
          args: ['C2'],
        });
        await failing.result().catch(() => undefined);
        return [
          ['order-run-1', env.client.workflow.getHandle(order.workflowId, order.firstExecutionRunId)],
          ['order-run-2', env.client.workflow.getHandle(order.workflowId)],
          ['shipment-child', env.client.workflow.getHandle(`${order.workflowId}-shipment-0`)],
          ['failing', failing],
        ];
      });
      const folder = join(FIXTURES, recordedWith);
      for (const [name, handle] of handles) {
        const history = await handle.fetchHistory();
        if (recording) {
          mkdirSync(folder, { recursive: true });
          writeFileSync(join(folder, `${name}.json`), historyToJSON(history));
        } else {
          // A fixture workflow changed without re-recording would leave the replay tests proving nothing.
          const committed = historyFromJSON(JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')));
          expect(eventTypes(history)).toEqual(eventTypes(committed));
        }
      }
    },
  );
});

describe('replaying committed histories', () => {
  it.each(histories('with-plugin'))(
    '%s recorded with the plugin replays with it',
    async (_name, history, workflowId) => {
      await Worker.runReplayHistory({ workflowsPath, plugins: [plugin('replay')] }, history, workflowId);
    },
  );

  it.each(histories('with-plugin'))(
    '%s recorded with the plugin replays without it',
    async (_name, history, workflowId) => {
      await Worker.runReplayHistory({ workflowsPath }, history, workflowId);
    },
  );

  it.each(histories('without-plugin'))(
    '%s recorded without the plugin replays with it',
    async (_name, history, workflowId) => {
      await Worker.runReplayHistory({ workflowsPath, plugins: [plugin('fleet')] }, history, workflowId);
    },
  );

  it('records nothing, even with the live outcome sink wired into the replay worker', async () => {
    const live = plugin('live');
    // The sinks of a running worker, whose recorder writes to the outbox: replay must never call them.
    const sinks = live.workerSinks();
    expect(sinks.stompyOutcomes.workflowEnded.callDuringReplay).toBe(false);
    for (const [, history, workflowId] of [...histories('with-plugin'), ...histories('without-plugin')]) {
      await Worker.runReplayHistory({ workflowsPath, plugins: [live], sinks }, history, workflowId);
    }
    expect(live.counters()).toMatchObject({ outcomesQueued: 0, outcomesDeduplicated: 0, internalErrors: 0 });
    await live.run(async () => undefined); // closes the runtime the sinks opened
  });
});
