import type { Info as ActivityInfo } from '@temporalio/activity';
import { ActivityKeyExtractor } from '../activity-keys';
import type { ActivityTagRule } from '../tag-rules';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';

// An activity attempt's keys: the time zone it is counted in (its own rule's, else its workflow's),
// and an event time that is no time, which never costs the attempt its keys: it is left out (the
// attempt counts at its start), counted each time and logged once per rule.

const info = { activityType: 'chargePayment' } as ActivityInfo;
const WORKFLOW_KEYS = {
  tags: ['orders'],
  entities: { customer: 'C1' },
  eventTime: '2026-11-25T06:00:00.000Z',
  timeZone: 'Europe/Berlin',
};

function extractor(rules: ActivityTagRule[]) {
  const log = capturingLogger();
  const counters = new PluginCounters();
  return { keys: new ActivityKeyExtractor(rules, log.logger, counters), log, counters };
}

describe('time zones', () => {
  it("are inherited from the workflow's keys", () => {
    const { keys } = extractor([{ activity: 'chargePayment', tags: ['payment'] }]);
    expect(keys.keysFor(info, [], WORKFLOW_KEYS).keys.timeZone).toBe('Europe/Berlin');
  });

  it("of the activity's own rule win over the inherited one", () => {
    const { keys } = extractor([{ activity: /charge/, timeZone: 'America/New_York' }]);
    expect(keys.keysFor(info, [], WORKFLOW_KEYS).keys.timeZone).toBe('America/New_York');
    expect(keys.keysFor(info, [], undefined).keys.timeZone).toBe('America/New_York');
  });
});

describe('event times that are no time', () => {
  it.each([
    ['unparseable text', 'next tuesday', '"next tuesday"'],
    ['not finite', Number.POSITIVE_INFINITY, 'Infinity'],
    ['microseconds read as milliseconds (year 55,000)', 1.7e15, '1700000000000000'],
    ['before 1900', '1066-10-14T09:00:00Z', '"1066-10-14T09:00:00Z"'],
    ['an invalid Date', new Date(NaN), 'Invalid Date'],
  ])('%s: left out, counted per attempt, logged once per rule', (_name, value, shown) => {
    const { keys, log, counters } = extractor([
      { activity: 'chargePayment', tags: ['payment'], eventTime: () => value },
    ]);
    for (let i = 0; i < 3; i++) {
      const found = keys.keysFor(info, [], WORKFLOW_KEYS).keys;
      // The inherited event time stands; the rule's other keys still apply.
      expect(found).toMatchObject({ tags: ['orders', 'payment'], eventTime: WORKFLOW_KEYS.eventTime });
      expect(keys.keysFor(info, [], undefined).keys.eventTime).toBeUndefined();
    }
    expect(counters.snapshot().ruleErrors).toBe(6);
    const lines = log.lines.filter((l) => l.msg.includes('eventTime is not a usable time'));
    expect(lines).toEqual([
      expect.objectContaining({ rule: 'chargePayment', value: shown, activityType: 'chargePayment' }),
    ]);
  });

  it('are not an error when the rule finds nothing', () => {
    const { keys, counters } = extractor([{ activity: 'chargePayment', eventTime: 'args.0.placedAt' }]);
    expect(keys.keysFor(info, [{}], undefined).keys.eventTime).toBeUndefined();
    expect(counters.snapshot().ruleErrors).toBe(0);
  });
});
