import type { CpuProfile, ProfileNode } from '../cpu-profile';
import { summariseProfiles } from '../cpu-profile-summary';

const PLUGIN = 'file:///repo/packages/plugin/dist/worker/outbox.js';
const SQLITE =
  '/repo/node_modules/.pnpm/better-sqlite3@12.6.2/node_modules/better-sqlite3/lib/methods/transaction.js';
const SDK = '/repo/node_modules/@temporalio/worker/lib/worker.js';

function node(
  id: number,
  functionName: string,
  url: string,
  lineNumber: number,
  children: number[] = [],
): ProfileNode {
  return { id, callFrame: { functionName, url, lineNumber, columnNumber: 0 }, children };
}

/**
 * A tiny main thread: the plugin's outbox (with a native call and better-sqlite3 under it) and the SDK
 * (with a native call) under Node's task queue, plus idle and GC samples. Sample `i` counts for
 * `timeDeltas[i + 1]` µs.
 */
const profile: CpuProfile = {
  nodes: [
    node(1, '(root)', '', -1, [2, 6, 7]),
    node(2, 'processTicksAndRejections', 'node:internal/process/task_queues', 94, [3, 8]),
    node(3, 'recordOutcome', PLUGIN, 10, [4, 5]),
    node(4, 'run', '', -1),
    node(5, 'sqliteTransaction', SQLITE, 51),
    node(6, '(idle)', '', -1),
    node(7, '(garbage collector)', '', -1),
    node(8, 'handleActivation', SDK, 1009, [9]),
    node(9, 'postMessage', '', -1),
  ],
  startTime: 1000,
  endTime: 4000,
  samples: [3, 4, 5, 9, 6, 7, 8, 3],
  timeDeltas: [0, 100, 200, 300, 400, 500, 600, 700],
};

describe('summariseProfiles', () => {
  const summary = summariseProfiles([profile]);

  it('counts busy time without idle samples', () => {
    expect(summary.busyUs).toBe(2300);
  });

  it('lists functions by self time, with their file and line', () => {
    expect(summary.items[0]).toEqual({
      functionName: 'handleActivation',
      location: '@temporalio/worker/lib/worker.js:1010',
      category: 'Temporal SDK',
      selfUs: 700,
    });
    expect(summary.items.map((i) => i.selfUs)).toEqual([700, 600, 400, 300, 200, 100]);
  });

  it('charges native code to the JavaScript that called it', () => {
    expect(summary.items).toContainEqual({
      functionName: 'run',
      location: 'native, called by recordOutcome (packages/plugin/dist/worker/outbox.js:11)',
      category: 'StompyPlugin',
      selfUs: 200,
    });
    expect(summary.items.find((i) => i.functionName === 'postMessage')?.category).toBe('Temporal SDK');
  });

  it('adds self time up per category', () => {
    expect(summary.categories).toEqual([
      { category: 'Temporal SDK', selfUs: 1100 },
      { category: 'garbage collector', selfUs: 600 },
      { category: 'StompyPlugin', selfUs: 300 },
      { category: 'better-sqlite3', selfUs: 300 },
    ]);
  });

  it('counts the time with the plugin anywhere on the stack', () => {
    expect(summary.throughPluginUs).toBe(600);
  });

  it('keeps only the samples inside a window', () => {
    // Samples at 1100 (run), 1300 (sqlite), 1600 (postMessage), 2000 (idle), 2500 (GC).
    const windowed = summariseProfiles([profile], { window: { startUs: 1100, endUs: 2500 } });
    expect(windowed.busyUs).toBe(200 + 300 + 400 + 600);
  });

  it('adds several threads up and uses the locator for sources', () => {
    const located = summariseProfiles([profile, profile], {
      locate: (frame) =>
        frame.url === PLUGIN ? { file: '/repo/packages/plugin/src/worker/outbox.ts', line: 42 } : undefined,
    });
    expect(located.busyUs).toBe(4600);
    expect(located.items.find((i) => i.functionName === 'recordOutcome')?.location).toBe(
      'packages/plugin/src/worker/outbox.ts:42',
    );
  });
});
