import { hourOfWeek, outcomeFactsProblem } from '@temporal-stompy/insights';
import type { Outcome } from '../../common/outcome';
import { countedKeys, countedOutcome, MAX_COUNTED_KEYS } from '../counted-outcome';
import { outcomeFacts, outcomeFactsFromNote } from '../outcome-facts';
import { outcomeNote } from '../outcome-note';
import { activityOutcome } from '../../__tests__/helpers/sample-outcome';

// The facts insights count, built from an outcome and rebuilt from its note: the two must agree for
// every way an outcome can look (so insights computed from recalled notes against plain Stompy equal
// those a counting server computes from the facts sent), and the keys an outcome is counted under.

const STARTED = Date.UTC(2026, 10, 25, 6, 0, 0); // a Wednesday, 06:00 UTC

function workflowOutcome(overrides: Partial<Outcome> = {}): Outcome {
  const { activity: _activity, ...outcome } = activityOutcome();
  return { ...outcome, kind: 'workflow', status: 'completed', error: undefined, ...overrides };
}

const OUTCOMES: Record<string, Outcome> = {
  'a failed attempt': activityOutcome(),
  'a labelled attempt in Berlin with a business time': activityOutcome({
    handling: 'backup-gateway',
    timeZone: 'Europe/Berlin',
    workerVersion: 'orders:build-7',
    keys: { tags: [], entities: { customer: 'C9' }, eventTime: '2026-11-24T14:30:00.000Z' },
  }),
  'a local attempt whose event time is garbage': activityOutcome({
    activity: { activityId: '7', activityType: 'reserveStock', attempt: 1, local: true },
    keys: { tags: [], entities: {}, eventTime: 'next tuesday' },
  }),
  'a completed workflow run in New York': workflowOutcome({ timeZone: 'America/New_York' }),
  'a run continued as new': workflowOutcome({ status: 'continued_as_new' }),
  'a timed-out attempt with a long, many-line message': activityOutcome({
    status: 'timed_out',
    error: {
      type: 'TimeoutFailure',
      message: `line one\n\n  line two ${'x'.repeat(480)}`,
      nonRetryable: true,
    },
  }),
  'a failure of no type and no message': activityOutcome({
    error: { type: '', message: '', nonRetryable: false },
  }),
  'a cancelled run in UTC spelled out': workflowOutcome({
    status: 'cancelled',
    timeZone: 'UTC',
    error: { type: 'CancelledFailure', message: 'workflow execution cancelled', nonRetryable: false },
  }),
};

describe('outcome facts', () => {
  it.each(Object.entries(OUTCOMES))('agree, built from %s and from its note', (_name, outcome) => {
    const facts = outcomeFacts(outcome);
    expect(outcomeFactsProblem(facts)).toBeUndefined();
    expect(outcomeFactsFromNote(outcomeNote(outcome))).toEqual(facts);
  });

  it('count an attempt at its event time, in its time zone, with its handling and version', () => {
    const facts = outcomeFacts(OUTCOMES['a labelled attempt in Berlin with a business time']!);
    const eventTimeMs = Date.UTC(2026, 10, 24, 14, 30);
    expect(facts).toEqual({
      kind: 'activity',
      workflowType: 'OrderWorkflow',
      activityType: 'chargePayment',
      failed: true,
      issue: 'GatewayTimeout',
      message: 'primary gateway timed out',
      durationMs: 1234,
      eventTimeMs,
      timeZone: 'Europe/Berlin',
      // Tuesday 15:30 in Berlin (UTC+1 in November): window 24 + 15.
      window: 39,
      version: 'orders:build-7',
      handling: 'backup-gateway',
    });
    expect(hourOfWeek(eventTimeMs, 'Europe/Berlin')).toBe(39);
  });

  it('fall back to the start for an event time that is no time, and to UTC for an unknown zone', () => {
    for (const eventTime of ['next tuesday', '+275760-09-13T00:00:00.000Z', '1066-10-14T09:00:00.000Z']) {
      const facts = outcomeFacts(activityOutcome({ keys: { tags: [], entities: {}, eventTime } }));
      expect(facts.eventTimeMs).toBe(STARTED);
    }
    const foreign = outcomeFacts(activityOutcome({ timeZone: 'Mars/Olympus_Mons' }));
    expect(foreign).toMatchObject({ timeZone: 'UTC', window: 2 * 24 + 6 });
  });

  it('carry a failure message on one line of at most 300 characters, and none for a success', () => {
    const facts = outcomeFacts(OUTCOMES['a timed-out attempt with a long, many-line message']!);
    expect(facts.message).toHaveLength(300);
    expect(facts.message).toMatch(/^line one line two x+$/);
    expect(facts.issue).toBe('TimeoutFailure');
    expect(outcomeFacts(OUTCOMES['a completed workflow run in New York']!)).not.toHaveProperty('issue');
    expect(outcomeFacts(OUTCOMES['a failure of no type and no message']!)).toMatchObject({ issue: 'failed' });
    expect(outcomeFacts(OUTCOMES['a failure of no type and no message']!)).not.toHaveProperty('message');
  });

  it('are not read from a note that is not an outcome', () => {
    expect(outcomeFactsFromNote('a note that is not an outcome')).toBeUndefined();
    expect(outcomeFactsFromNote('Success: yes\nStatus: completed')).toBeUndefined();
  });
});

describe('counted keys', () => {
  it('are the type key, then the entity keys recall asks for', () => {
    expect(countedKeys(activityOutcome())).toEqual(['activity:chargePayment', 'customer:C9']);
    expect(countedKeys(workflowOutcome())).toEqual(['workflow:OrderWorkflow', 'customer:C9']);
  });

  it('are at most 20, and never leave out the type key', () => {
    const entities = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`e${i}`, `v${i}`]));
    const keys = countedKeys(activityOutcome({ keys: { tags: [], entities } }));
    expect(keys).toHaveLength(MAX_COUNTED_KEYS);
    expect(keys[0]).toBe('activity:chargePayment');
  });

  it('go with the facts and the topic to a server that counts outcomes', () => {
    const counted = countedOutcome(activityOutcome(), 'temporal:act:t');
    expect(counted.facts).toEqual({ ...outcomeFacts(activityOutcome()), topic: 'temporal:act:t' });
    expect(outcomeFactsProblem(counted.facts)).toBeUndefined();
  });
});
