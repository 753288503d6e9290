import type { History } from '@temporalio/common/lib/proto-utils';
import type { ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { decodeKeys } from '../common/keys-header';
import { StompyPlugin, type StompyPluginOptions } from '../index';
import { KEYS_HEADER, manualWiring } from '../manual';
import { readContexts } from './helpers/memory-contents';
import {
  CASES,
  committed,
  committedAll,
  eventTypes,
  MODES,
  replay,
  runFixtures,
  workflowIdOf,
  workflowsPath,
  type Mode,
} from './helpers/replay-histories';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';

// Replay safety on committed histories. The fixture workflows (which import nothing from the plugin)
// ran on a real dev server once with the plugin on the worker and once without, and their histories
// were committed (see helpers/replay-histories.ts). To record them again after changing the fixture
// workflows: RECORD_HISTORIES=1 corepack pnpm jest <this file>.
// Every run of this file also runs the fixtures again and checks that the committed histories still
// match them, so a fixture changed without re-recording cannot leave these tests proving nothing.
//
// Replaying proves the plugin's sandbox code is deterministic: a history recorded with the plugin
// replays with it and without it (removing the plugin is safe), one recorded without it replays with
// it (adding the plugin to a running fleet is safe), and replay records nothing.

const PROJECT = 'replay';
const RULES: StompyPluginOptions['rules'] = [
  { workflow: /^Replay/, tags: ['orders'], entities: { customer: 'args.0.customerId' } },
  { activity: 'chargeCard', tags: ['payment'], entities: ([customerId]) => ({ payer: String(customerId) }) },
];

const bed = useTestbed('replay', { memory: true });
/** The plugin of the worker that ran the fixtures with the plugin (its outcomes are in memory). */
let livePlugin: StompyPlugin;
const liveHistories = new Map<string, History>();

function stompy(name: string): StompyPlugin {
  return new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file(`${name}-outbox.db`) },
    rules: RULES,
    logger: silentLogger,
  });
}

beforeAll(async () => {
  livePlugin = stompy('live');
  await runFixtures(bed, 'with-plugin', livePlugin, liveHistories);
  await runFixtures(bed, 'without-plugin', undefined, liveHistories);
}, 120_000);

/** A replay worker with the plugin's sandbox module and rules wired by hand, reporting to `sinks`. */
function spiedReplay(plugin: StompyPlugin, sinks: ReplayWorkerOptions['sinks']): ReplayWorkerOptions {
  const { interceptors, bundlerOptions } = manualWiring(plugin);
  return {
    workflowsPath,
    interceptors: { workflowModules: interceptors.workflowModules },
    bundlerOptions,
    sinks,
  };
}

describe('the committed histories', () => {
  it.each(MODES)('match what the fixture workflows do today (%s)', (mode) => {
    for (const name of CASES) {
      expect([name, eventTypes(liveHistories.get(`${name}.${mode}`)!)]).toEqual([
        name,
        eventTypes(committed(name, mode)),
      ]);
    }
  });

  it('have the same events with the plugin as without it: the plugin adds no command', () => {
    for (const name of CASES) {
      expect([name, eventTypes(committed(name, 'with-plugin'))]).toEqual([
        name,
        eventTypes(committed(name, 'without-plugin')),
      ]);
    }
  });

  it('carry the plugin’s keys header to activities, the child and the next run only when recorded with it', () => {
    const keysHeaders = (mode: Mode) =>
      CASES.flatMap((name) =>
        (committed(name, mode).events ?? []).flatMap((e) => {
          const header =
            e.activityTaskScheduledEventAttributes?.header ??
            e.startChildWorkflowExecutionInitiatedEventAttributes?.header ??
            e.workflowExecutionContinuedAsNewEventAttributes?.header;
          return header ? [decodeKeys(header.fields?.[KEYS_HEADER] ?? undefined)] : [];
        }),
      );
    const withPlugin = keysHeaders('with-plugin');
    // first run: chargeCard, verifyAddress, the child, continue-as-new; second run: the same three
    // commands; child: ship; rejected: chargeCard; approved: ship.
    expect(withPlugin).toHaveLength(10);
    for (const keys of withPlugin) expect(keys).toEqual({ tags: ['orders'], entities: { customer: 'C1' } });
    expect(keysHeaders('without-plugin').filter((k) => k !== undefined)).toEqual([]);
  });
});

describe('replaying the committed histories', () => {
  it('recorded with the plugin, with it', async () => {
    expect(
      await replay({ workflowsPath, plugins: [stompy('replay-with')] }, committedAll('with-plugin')),
    ).toEqual({});
  });

  it('recorded with the plugin, without it (removing the plugin is safe)', async () => {
    expect(await replay({ workflowsPath }, committedAll('with-plugin'))).toEqual({});
  });

  it('recorded without the plugin, with it (adding the plugin to a running fleet is safe)', async () => {
    expect(
      await replay({ workflowsPath, plugins: [stompy('fleet')] }, committedAll('without-plugin')),
    ).toEqual({});
  });

  it('runs the plugin’s sandbox code, with the bundled rules, while replaying', async () => {
    // The plugin's sandbox module and bundled rules, wired by hand with a sink of the plugin's name
    // that asks to be called during replay, sees every run end: the plugin's interceptor ran, and the
    // workflow rules reached the replay bundle. Without the module nothing calls it.
    const seen: unknown[] = [];
    const spy = {
      stompyOutcomes: {
        workflowEnded: {
          callDuringReplay: true,
          fn: (_info: unknown, report: { workflowType: string; status: string; keys: unknown }) => {
            seen.push([report.workflowType, report.status, report.keys]);
          },
        },
      },
    };
    const keys = (customer?: string) => ({ tags: ['orders'], entities: customer ? { customer } : {} });
    expect(await replay(spiedReplay(stompy('spy'), spy), committedAll('with-plugin'))).toEqual({});
    expect(seen).toEqual([
      ['ReplayOrder', 'continued_as_new', keys('C1')],
      ['ReplayOrder', 'completed', keys('C1')], // from the continue-as-new header and its own args
      ['ReplayShipment', 'completed', keys('C1')], // only from its parent's header
      ['ReplayRejected', 'failed', keys('C1')],
      ['ReplayApproval', 'completed', keys('C1')],
      ['ReplayApproval', 'failed', keys('C1')], // failed by its signal handler
    ]);
    seen.length = 0;
    expect(await replay(spiedReplay(stompy('spy-fleet'), spy), committedAll('without-plugin'))).toEqual({});
    // Recorded without the plugin: no header, so the child knows no customer.
    expect(seen).toEqual([
      ['ReplayOrder', 'continued_as_new', keys('C1')],
      ['ReplayOrder', 'completed', keys('C1')],
      ['ReplayShipment', 'completed', keys()],
      ['ReplayRejected', 'failed', keys('C1')],
      ['ReplayApproval', 'completed', keys('C1')],
      ['ReplayApproval', 'failed', keys('C1')],
    ]);
    seen.length = 0;
    expect(await replay({ workflowsPath, sinks: spy }, committedAll('with-plugin'))).toEqual({});
    expect(seen).toEqual([]);
  });

  it('fails on a nondeterministic change to the workflow, so the replays above can fail', async () => {
    const history = committed('order-first-run', 'with-plugin');
    const failures = await replay(
      { workflowsPath: require.resolve('./helpers/workflows/replay-drifted'), plugins: [stompy('drifted')] },
      [{ workflowId: workflowIdOf('order-first-run', 'with-plugin'), history }],
    );
    expect(Object.values(failures)).toEqual([expect.any(DeterminismViolationError)]);
  });

  it('records nothing, even through the sinks of a plugin that records live', async () => {
    // The live run recorded (so these sinks and this memory do record when a workflow really ends).
    await livePlugin.flush(10_000);
    const before = livePlugin.counters();
    const contextsBefore = readContexts(bed.file('memory.db'), PROJECT);
    // 7 runs (two of the order, two children, the rejected one, two decided by signal) and 12 attempts.
    expect(before).toMatchObject({ outcomesQueued: 19, outcomesDelivered: 19 });
    expect(contextsBefore).toHaveLength(before.outcomesQueued);

    const unused = stompy('unused');
    const live = manualWiring(livePlugin);
    await live.run(async () => {
      // The sinks of a running worker, whose recorder writes to the outbox that delivery reads.
      const { sinks } = live;
      expect(sinks.stompyOutcomes.workflowEnded.callDuringReplay).toBe(false);
      for (const mode of MODES) {
        expect(await replay({ workflowsPath, plugins: [livePlugin], sinks }, committedAll(mode))).toEqual({});
        expect(await replay({ workflowsPath, plugins: [unused] }, committedAll(mode))).toEqual({});
      }
      await livePlugin.flush(5_000);
    });

    expect(livePlugin.counters()).toEqual(before);
    expect(unused.counters()).toMatchObject({ outcomesQueued: 0, outcomesDelivered: 0, internalErrors: 0 });
    expect(readContexts(bed.file('memory.db'), PROJECT)).toEqual(contextsBefore);
  });
});
