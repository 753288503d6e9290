import { StompyPlugin, type StompyPluginOptions } from '../index';
import { capturingLogger } from './helpers/capturing-logger';
import { QUIET_OK, runEchoes } from './helpers/failure-runs';
import { useTestbed } from './helpers/testbed';

// Tag rules that throw or return garbage never reach user code (rule 1): each bad rule is skipped,
// logged and counted, the good ones still apply, and the activity and its workflow run as they do
// without the plugin.

const bed = useTestbed('throwing-tag-rules', { memory: true });

it('skips each bad rule, logs and counts it, applies the good ones, and runs the activity as usual', async () => {
  const log = capturingLogger();
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const rules: StompyPluginOptions['rules'] = [
    {
      activity: 'describeInput',
      entities: () => {
        throw new Error('entities bug');
      },
    },
    {
      activity: (type) => {
        if (type) throw new Error('matcher bug');
        return false;
      },
    },
    {
      activity: 'describeInput',
      eventTime: () => {
        throw new Error('event time bug');
      },
    },
    { activity: 'describeInput', entities: () => 'not an object' as never },
    { activity: 'describeInput', entities: () => ['C9'] as never },
    { activity: 'describeInput', entities: () => ({ obj: circular as never, fine: 'kept?' }) },
    // Usable: BigInt and boolean values are key values; NaN and undefined mean "no value".
    {
      activity: 'describeInput',
      tags: ['good-rule'],
      entities: () => ({ big: 10n, flag: true, nan: NaN, none: undefined }),
    },
    // An event time far outside what a Date can hold (say nanoseconds taken for milliseconds) is no
    // event time, not an error that costs the rule its tags.
    { activity: 'describeInput', tags: ['far-future'], eventTime: () => 1.7e18 },
    // The same in the workflow sandbox, where a rule cannot log: the run keeps its other keys.
    { workflow: 'EchoWorkflow', entities: { customer: 'args.0.customerId' }, eventTime: 'args.0.payload' },
  ];
  const stompy = new StompyPlugin({
    memory: { url: bed.memory.url },
    outbox: { path: bed.file('rules-outbox.db') },
    rules,
    shutdownFlushMs: 15_000,
    logger: log.logger,
  });
  const payloads = [1.7e18, 1.7e18];
  const withPlugin = await runEchoes(bed, stompy, payloads);
  expect(withPlugin.results).toEqual((await runEchoes(bed, undefined, payloads)).results);

  // Per attempt: the throwing entities, matcher and event time, the three unusable returns and the
  // unusable event time; per run: the workflow rule's unusable event time.
  expect(stompy.counters()).toMatchObject({ ...QUIET_OK, ruleErrors: 7 * 2 + 2, outcomesDelivered: 4 });
  // An unusable event time is logged once per rule (throttled), naming the rule and the value.
  const eventTimeLines = (kind: string) =>
    log.lines.filter((l) => String(l.msg).includes(`${kind} tag rule's eventTime is not a usable time`));
  expect(eventTimeLines('activity')).toEqual([
    expect.objectContaining({ rule: 'describeInput', value: '1700000000000000000', occurrences: 1 }),
  ]);
  expect(eventTimeLines('workflow')).toEqual([
    expect.objectContaining({ rule: 'EchoWorkflow', value: '1700000000000000000', occurrences: 1 }),
  ]);
  expect(log.has('an activity tag rule threw')).toBe(true);
  expect(log.has('matcher threw')).toBe(true);
  const reasons = log.lines.map((l) => String((l.err as { message?: string } | undefined)?.message));
  expect(reasons).toEqual(expect.arrayContaining(['entities bug', 'event time bug', 'matcher bug']));
  expect(reasons.filter((r) => /entities must return an object/.test(r))).toHaveLength(2 * 2);
  expect(reasons.filter((r) => /entity 'obj'/.test(r))).toHaveLength(2);

  const stored = bed.memory.topics(`(${withPlugin.taskQueue}-0`);
  const activity = stored.find((s) => s.tags.includes('activity-outcome'));
  const workflow = stored.find((s) => s.tags.includes('workflow-outcome'));
  expect(activity?.tags).toEqual(
    expect.arrayContaining(['good-rule', 'big:10', 'flag:true', 'far-future', 'customer:C0']),
  );
  // Nothing from the skipped rules: no character-indexed garbage from the string, no 'fine:kept?'.
  expect(activity?.tags.filter((t) => /^(0|1|obj|fine|nan|none):/.test(t))).toEqual([]);
  expect(workflow?.tags).toContain('customer:C0');
});
