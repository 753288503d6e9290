import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryAndWorkflowId, WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { StompyPlugin } from '../../index';
import * as activities from './activities/replay';
import type { Testbed } from './testbed';
import { decide, type ReplayOrderInput } from './workflows/replay';

// The committed histories of the replay tests, and how they are made: the fixture workflows
// (workflows/replay.ts, which import nothing from the plugin) run on a real dev server with the plugin
// on the worker and without it, and their histories are committed in
// __fixtures__/histories/replay-<case>.<with|without>-plugin.json (written again when
// RECORD_HISTORIES=1). Also: replaying histories and collecting what failed.

const FIXTURES = join(__dirname, '..', '__fixtures__', 'histories');
const RECORDING = process.env.RECORD_HISTORIES === '1';

/** The fixture workflows. */
export const workflowsPath = require.resolve('./workflows/replay');

export const MODES = ['with-plugin', 'without-plugin'] as const;
export type Mode = (typeof MODES)[number];
export const CASES = [
  'order-first-run',
  'order-second-run',
  'shipment-child',
  'rejected',
  'approved-by-signal',
  'declined-by-signal',
] as const;
export type Case = (typeof CASES)[number];

/** The workflow id a case ran under (the child's id is derived from the order id, so it must match). */
export function workflowIdOf(name: Case, mode: Mode): string {
  if (name === 'shipment-child') return `order-${mode}-shipment-0`;
  if (name === 'order-first-run' || name === 'order-second-run') return `order-${mode}`;
  return `${name}-${mode}`;
}

function fixtureFile(name: Case, mode: Mode): string {
  return join(FIXTURES, `replay-${name}.${mode}.json`);
}

export function committed(name: Case, mode: Mode): History {
  const file = fixtureFile(name, mode);
  if (!existsSync(file))
    throw new Error(`missing history fixture ${file}: record it with RECORD_HISTORIES=1`);
  return historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
}

export function committedAll(mode: Mode): HistoryAndWorkflowId[] {
  return CASES.map((name) => ({ workflowId: workflowIdOf(name, mode), history: committed(name, mode) }));
}

/** What replay checks commands against: the sequence of event types. */
export function eventTypes(history: History): unknown[] {
  return (history.events ?? []).map((e) => e.eventType);
}

/**
 * Runs the fixture workflows on a worker (with `plugin` or without it) and fetches their histories
 * into `histories` (by `<case>.<mode>`); commits them when RECORD_HISTORIES=1.
 */
export async function runFixtures(
  bed: Pick<Testbed, 'env' | 'worker'>,
  mode: Mode,
  plugin: StompyPlugin | undefined,
  histories: Map<string, History>,
): Promise<void> {
  const taskQueue = `replay-${mode}`;
  const worker = await bed.worker({
    taskQueue,
    workflowsPath,
    activities,
    plugin,
  });
  const wf = bed.env.client.workflow;
  const handles: [Case, WorkflowHandle][] = await worker.runUntil(async () => {
    const input: ReplayOrderInput = { orderId: `order-${mode}`, customerId: 'C1', round: 0 };
    const order = await wf.start('ReplayOrder', {
      taskQueue,
      workflowId: workflowIdOf('order-first-run', mode),
      args: [input],
    });
    const rejected = await wf.start('ReplayRejected', {
      taskQueue,
      workflowId: workflowIdOf('rejected', mode),
      args: [{ ...input, orderId: `rejected-${mode}` }],
    });
    // Signal-with-start puts the signal in the first workflow task, so the history does not depend
    // on when the signal arrives.
    const decided = (name: Case, decision: 'approve' | 'reject') => {
      const workflowId = workflowIdOf(name, mode);
      return wf.signalWithStart('ReplayApproval', {
        taskQueue,
        workflowId,
        args: [{ ...input, orderId: workflowId }],
        signal: decide,
        signalArgs: [decision],
      });
    };
    const approved = await decided('approved-by-signal', 'approve');
    const declined = await decided('declined-by-signal', 'reject');
    await expect(order.result()).resolves.toBe(
      `charged C1 ${input.orderId.length * 100}; address unverified; shipped ${input.orderId}`,
    );
    await expect(rejected.result()).rejects.toMatchObject({ cause: { type: 'OrderRejected' } });
    await expect(approved.result()).resolves.toBe(`shipped ${approved.workflowId}`);
    await expect(declined.result()).rejects.toMatchObject({ cause: { type: 'Declined' } });
    return [
      ['order-first-run', wf.getHandle(order.workflowId, order.firstExecutionRunId)],
      ['order-second-run', wf.getHandle(order.workflowId)],
      ['shipment-child', wf.getHandle(workflowIdOf('shipment-child', mode))],
      ['rejected', rejected],
      ['approved-by-signal', approved],
      ['declined-by-signal', declined],
    ];
  });
  for (const [name, handle] of handles) {
    const history = await handle.fetchHistory();
    histories.set(`${name}.${mode}`, history);
    if (RECORDING) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(fixtureFile(name, mode), `${historyToJSON(history)}\n`);
    }
  }
}

/** Replays histories and returns the error of each that failed, by workflow id. */
export async function replay(options: ReplayWorkerOptions, histories: HistoryAndWorkflowId[]) {
  const failures: Record<string, unknown> = {};
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(options, histories)) {
    replayed += 1;
    if (result.error) failures[`${result.workflowId} ${result.runId}`] = result.error;
  }
  expect(replayed).toBe(histories.length);
  return failures;
}
