import { StompyPlugin, type StompyPluginOptions } from '../index';
import { capturingLogger, type CapturedLogs } from './helpers/capturing-logger';
import { onFailureWorker, QUIET_OK, runEchoes } from './helpers/failure-runs';
import { useTestbed } from './helpers/testbed';

// What passes between workflows and activities is untouched by the plugin (rule 1): huge and odd
// arguments, results Temporal itself converts or cannot serialize, and failures that are not Errors
// reach the workflow exactly as they do without the plugin, with raw capture on; every outcome is
// recorded, none twice, and nothing is logged as an error.

// Temporal's default blob limit is 2 MB: raise it so a multi-MB argument reaches the worker.
const bed = useTestbed('arguments-and-results', {
  memory: true,
  environment: {
    server: {
      extraArgs: [
        '--dynamic-config-value',
        'limit.blobSize.error=8388608',
        '--dynamic-config-value',
        'limit.blobSize.warn=8388608',
      ],
    },
  },
});

const PAYLOADS = [
  'x'.repeat(3 * 1024 * 1024), // a 3 MB argument
  { nested: { deeper: { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: `v${i}` })) } } },
  { unicode: '\u{1F600} ünïcödé \u0000 null byte', empty: '', lone: '\uD800' },
  null,
];

/** A plugin capturing raw args and results, with its outbox at `<name>-outbox.db`, logging to `log`. */
function capturingPlugin(name: string, log: CapturedLogs, rules: StompyPluginOptions['rules'] = []) {
  return new StompyPlugin({
    memory: { url: bed.memory.url },
    outbox: { path: bed.file(`${name}-outbox.db`) },
    capture: { args: true, result: true },
    rules,
    shutdownFlushMs: 15_000,
    logger: log.logger,
  });
}

it('passes a 3 MB string, deep nesting, odd Unicode and null through unchanged, with raw capture on', async () => {
  const log = capturingLogger();
  const stompy = capturingPlugin('capture', log, [
    { workflow: 'EchoWorkflow', entities: { customer: 'args.0.customerId', payload: 'args.0.payload' } },
  ]);
  const withPlugin = await runEchoes(bed, stompy, PAYLOADS);
  expect(withPlugin.results).toEqual((await runEchoes(bed, undefined, PAYLOADS)).results);
  expect(stompy.counters()).toMatchObject({
    ...QUIET_OK,
    outcomesQueued: 8,
    outcomesDelivered: 8,
    ruleErrors: 0,
  });
  expect(log.errors()).toEqual([]);
  const stored = bed.memory.topics(`(${withPlugin.taskQueue}-`);
  expect(stored).toHaveLength(8);
  expect(stored.filter((s) => s.versions !== 1 || bed.memory.writes.get(s.topic) !== 1)).toEqual([]);
  // Raw capture is cut at maxChars (2,000): the 3 MB argument becomes a few KB of memory, and the
  // 3 MB string as an entity is cut to a bounded tag.
  expect(Math.max(...stored.map((s) => s.content.length))).toBeLessThan(8_000);
  expect(Math.max(...stored.flatMap((s) => s.tags.map((t) => t.length)))).toBeLessThanOrEqual(100);
});

// Results Temporal's own JSON converter turns into something else or cannot serialize at all, and
// failures that are not Error instances: the workflow sees exactly what it sees without the plugin
// (a serialization failure is Temporal's error, reported by Temporal, not ours). Left out because
// Temporal 1.24 itself cannot survive them, with or without the plugin: a function as a result (the
// workflow task then fails on every attempt, so the run never ends) and an Error whose cause is
// itself (the failure converter overflows the stack and the worker dies).
const RESULTS = ['bigint', 'circular', 'toJSON-throws', 'map', 'class', 'date', 'undefined'];
const FAILURES = ['string', 'undefined', 'object'];

/** A workflow's ending as data: its result, or its failure's chain of (name, type, message). */
async function ending(run: Promise<unknown>): Promise<unknown> {
  try {
    return { result: await run };
  } catch (error) {
    const chain: unknown[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      chain.push({ name: e.name, message: e.message, type: (e as { type?: unknown }).type });
    }
    return { failed: chain };
  }
}

/** Runs OddResult for every kind of result and OddFailure for every kind of failure, at once. */
function runOddEndings(stompy: StompyPlugin | undefined) {
  return onFailureWorker(bed, stompy, async (taskQueue) => {
    const run = (workflow: string, kind: string) =>
      ending(
        bed.env.client.workflow.execute(workflow, {
          taskQueue,
          workflowId: `${taskQueue}-${workflow}-${kind}`,
          args: [kind],
        }),
      );
    return {
      taskQueue,
      endings: await Promise.all([
        ...RESULTS.map((kind) => run('OddResult', kind)),
        ...FAILURES.map((kind) => run('OddFailure', kind)),
      ]),
    };
  });
}

it('ends workflows whose activities return non-JSON results or throw non-Errors exactly as without the plugin', async () => {
  const log = capturingLogger();
  const stompy = capturingPlugin('odd', log);
  const withPlugin = await runOddEndings(stompy);
  const without = await runOddEndings(undefined);
  expect(withPlugin.endings).toEqual(without.endings);
  // Sanity: the kinds really are odd (a BigInt cannot be converted; a Map becomes {}).
  expect(JSON.stringify(without.endings[RESULTS.indexOf('bigint')])).toMatch(/Unable to convert/);
  expect(without.endings[RESULTS.indexOf('map')]).toEqual({ result: {} });
  const n = RESULTS.length + FAILURES.length;
  expect(stompy.counters()).toMatchObject({ ...QUIET_OK, outcomesQueued: 2 * n, outcomesDelivered: 2 * n });
  expect(log.errors()).toEqual([]);
  // Every failed attempt is recorded as an issue with a type, even when what was thrown was
  // `undefined` or a plain object.
  const failedActivities = bed.memory
    .topics(`(${withPlugin.taskQueue}-OddFailure-`)
    .filter((s) => s.tags.includes('activity-outcome'));
  expect(failedActivities).toHaveLength(FAILURES.length);
  for (const stored of failedActivities) {
    expect(stored.tags).toEqual(expect.arrayContaining(['status:failed', 'issue']));
    expect(stored.content).not.toMatch(/^Issues: none$/m);
  }
});
