import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { StompyPlugin } from '../index';
import * as activities from './helpers/activities/workflow-memory';
import { readContexts } from './helpers/memory-contents';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import { waitFor } from './helpers/wait-for';
import type { MemoryDecision } from './helpers/workflows/workflow-memory';

// `recallInsights()` in workflow code, on a real dev server and a real memory server over HTTP: the
// plugin's local activity answers it, the answer is recorded in the history (so replay reads it back,
// whatever the memory holds by then), a worker without the plugin still completes the workflow, and
// the plugin's own activity is never remembered as an outcome. The history of one run is committed
// (__fixtures__/histories/recall-insights.json; RECORD_HISTORIES=1 writes it again).

const PROJECT = 'workflow-memory';
const workflowsPath = require.resolve('./helpers/workflows/workflow-memory');
const FIXTURE = join(__dirname, '__fixtures__', 'histories', 'recall-insights.json');
const bed = useTestbed('workflow-memory', { memory: true });

function plugin(name: string, url = bed.memory.url): StompyPlugin {
  return new StompyPlugin({
    memory: { url, project: PROJECT },
    outbox: { path: bed.file(`${name}-outbox.db`) },
    rules: [{ workflow: 'DecideWithMemory', entities: { customer: 'args.0' } }],
    logger: silentLogger,
  });
}

let runs = 0;
async function decide(taskQueue: string, customerId: string, local = true) {
  const handle = await bed.env.client.workflow.start('DecideWithMemory', {
    taskQueue,
    workflowId: `decide-${customerId}-${runs++}`,
    args: [customerId, local],
  });
  return { handle, result: (await handle.result()) as MemoryDecision };
}

let withPlugin: { handle: { fetchHistory(): Promise<History> }; result: MemoryDecision };

beforeAll(async () => {
  const stompy = plugin('live');
  await bed.runningWorker({ taskQueue: 'decide', workflowsPath, activities, plugin: stompy });
  withPlugin = await decide('decide', 'C1');
  await stompy.flush(10_000);
}, 120_000);

it('answers a workflow with what the memory knows of its entities and its type', () => {
  expect(withPlugin.result.memory).toMatchObject({
    keys: ['customer:C1', 'workflow:DecideWithMemory'],
    complete: true,
    risk: { level: 'low', reasons: [] },
  });
  expect(withPlugin.result.maximumAttempts).toBe(3);
});

it('records the answer in the history: a local activity marker, not a new call on replay', async () => {
  const history = await withPlugin.handle.fetchHistory();
  const markers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes);
  expect(markers).toHaveLength(1);
  // Replayed against a memory that cannot answer (nothing listens there): the same decisions.
  const unreachable = plugin('replay', 'http://127.0.0.1:9/mcp');
  await Worker.runReplayHistory({ workflowsPath, plugins: [unreachable] }, history);
  await Worker.runReplayHistory({ workflowsPath }, history);
});

it('never remembers its own activity as an outcome', () => {
  const stored = readContexts(bed.memory.dbPath, PROJECT).map((c) => c.content);
  expect(stored.some((content) => content.includes('Activity: noteDecision'))).toBe(true);
  expect(stored.some((content) => content.includes('stompy.recallInsights'))).toBe(false);
});

describe('on a worker without the plugin', () => {
  beforeAll(() => bed.runningWorker({ taskQueue: 'decide-bare', workflowsPath, activities }));

  it('decides without memory when asked through a regular activity ({ local: false })', async () => {
    const { result } = await decide('decide-bare', 'C2', false);
    expect(result).toEqual({
      memory: { keys: [], insights: {}, risk: { level: 'low', score: 0, reasons: [] }, complete: false },
      maximumAttempts: 3,
    });
  });

  it('holds a workflow that asks through a local activity until a worker with the plugin runs it', async () => {
    // As the SDK does for any local activity the worker lacks: its workflow task fails and is retried.
    const handle = await bed.env.client.workflow.start('DecideWithMemory', {
      taskQueue: 'decide-bare',
      workflowId: `decide-held-${runs++}`,
      args: ['C3'],
    });
    await waitFor(
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        return events.some((e) =>
          /not registered/.test(e.workflowTaskFailedEventAttributes?.failure?.message ?? ''),
        );
      },
      20_000,
      'a failed workflow task naming the missing local activity',
    );
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
  });
});

it('replays the committed history of a run with the plugin, with the plugin and without it', async () => {
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(join(__dirname, '__fixtures__', 'histories'), { recursive: true });
    writeFileSync(FIXTURE, `${historyToJSON(await withPlugin.handle.fetchHistory())}\n`);
  }
  if (!existsSync(FIXTURE)) throw new Error(`missing ${FIXTURE}: record it with RECORD_HISTORIES=1`);
  const history = historyFromJSON(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  await Worker.runReplayHistory({ workflowsPath, plugins: [plugin('fixture')] }, history);
  await Worker.runReplayHistory({ workflowsPath }, history);
});
