import { countOutcomes, durationBucket, bucketDurationMs } from '../key-counts';
import { keyInsights } from '../key-insights';
import type { OutcomeFacts } from '../outcome-facts';
import { outcomeFactsProblem } from '../outcome-facts';
import { at, attempt, seededRandom } from './helpers/generated-outcomes';

// What one key's insights say, field by field, and that they depend only on the counts.

const BASE = { runs: 1_000, failures: 50 };

function customerHistory(): OutcomeFacts[] {
  return [
    attempt(at(0, 10), false, { durationMs: 100 }),
    attempt(at(0, 11), true, { durationMs: 300, issue: 'GatewayTimeout', message: 'timed out' }),
    attempt(at(0, 12), true, { durationMs: 200, issue: 'CardDeclined', message: 'declined', version: 'b2' }),
    attempt(at(1, 10), true, {
      durationMs: 250,
      issue: 'GatewayTimeout',
      message: 'timed out again',
      handling: 'backup-gateway',
    }),
    attempt(at(1, 12), false, {
      durationMs: 150,
      activityType: 'shipOrder',
      workflowType: 'ShippingWorkflow',
      version: 'b1',
    }),
    { ...attempt(at(1, 13), false, { durationMs: 5_000 }), kind: 'workflow', activityType: undefined },
  ];
}

it('counts the whole history: runs, failures, issues, the last failure, durations, types, handling', () => {
  const insights = keyInsights(countOutcomes('customer:C9', customerHistory()), BASE, { exact: true });
  expect(insights).toMatchObject({
    key: 'customer:C9',
    exact: true,
    runs: 6,
    failures: 3,
    commonIssues: [
      { type: 'GatewayTimeout', count: 2 },
      { type: 'CardDeclined', count: 1 },
    ],
    lastFailure: {
      at: new Date(at(1, 10)).toISOString(),
      type: 'GatewayTimeout',
      message: 'timed out again',
    },
    byType: {
      workflow: { OrderWorkflow: { runs: 5, failures: 3 }, ShippingWorkflow: { runs: 1, failures: 0 } },
      activity: { chargePayment: { runs: 4, failures: 3 }, shipOrder: { runs: 1, failures: 0 } },
    },
    handling: { default: { runs: 5, failures: 2 }, 'backup-gateway': { runs: 1, failures: 1 } },
    unhandled: { runs: 5, failures: 2, byActivityType: { chargePayment: { runs: 3, failures: 2 } } },
  });
  expect(insights.durationMs?.p50).toBeGreaterThanOrEqual(196);
  expect(insights.durationMs?.p50).toBeLessThanOrEqual(204);
  expect(insights.durationMs?.p95).toBeGreaterThanOrEqual(4_900);
  expect(insights.durationMs?.p95).toBeLessThanOrEqual(5_100);
  expect(insights.versions.map((v) => v.version)).toEqual(['b2', 'b1']);
  expect(Object.isFrozen(insights) && Object.isFrozen(insights.byType.activity)).toBe(true);
});

it('smooths small samples toward the base rate: one failure in one run is not 100%', () => {
  const one = keyInsights(countOutcomes('customer:C1', [attempt(at(0, 1), true)]), BASE, { exact: true });
  expect(one.failures / one.runs).toBe(1);
  expect(one.failureRate).toBeGreaterThan(0.05);
  expect(one.failureRate).toBeLessThan(0.3);
  const many = keyInsights(
    countOutcomes(
      'customer:C1',
      Array.from({ length: 200 }, (_, i) => attempt(at(0, i % 168), true)),
    ),
    BASE,
    { exact: true },
  );
  expect(many.failureRate).toBeGreaterThan(0.97);
});

it('depends only on the counts: any order of the same outcomes gives the same insights', () => {
  const random = seededRandom(9);
  const facts = Array.from({ length: 500 }, (_, i) =>
    attempt(at(i % 5, (i * 7) % 168), random() < 0.2, { version: i < 250 ? 'a' : 'b', durationMs: i }),
  );
  const shuffled = [...facts].sort(() => random() - 0.5);
  const a = keyInsights(countOutcomes('k', facts), BASE, { exact: false });
  const b = keyInsights(countOutcomes('k', shuffled), BASE, { exact: false });
  expect(b).toEqual(a);
  expect(a.exact).toBe(false);
});

it('has no insights to give for a key without outcomes, and says so plainly', () => {
  const empty = keyInsights(countOutcomes('customer:new', []), BASE, { exact: true });
  expect(empty).toMatchObject({
    runs: 0,
    failures: 0,
    patterns: [],
    windows: [],
    versions: [],
    durationMs: undefined,
    lastFailure: undefined,
    regression: undefined,
  });
  expect(empty.failureRate).toBeCloseTo(0.05, 10);
});

it('keeps durations within 2% in its buckets', () => {
  for (const ms of [1, 2, 10, 99, 1_000, 12_345, 3_600_000]) {
    const back = bucketDurationMs(durationBucket(ms));
    expect(Math.abs(back - ms) / ms).toBeLessThanOrEqual(0.02);
  }
  expect(durationBucket(0)).toBe(0);
});

it('says what is wrong with facts that crossed a process boundary', () => {
  expect(outcomeFactsProblem(attempt(0, false))).toBeUndefined();
  expect(outcomeFactsProblem(null)).toBe('outcome facts must be an object');
  expect(outcomeFactsProblem({ ...attempt(0, false), window: 168 })).toBe(
    'window must be an hour of the week, 0 to 167',
  );
  expect(outcomeFactsProblem({ ...attempt(0, false), eventTimeMs: 'soon' })).toBe(
    'eventTimeMs must be a finite number',
  );
  expect(outcomeFactsProblem({ ...attempt(0, false), handling: 7 })).toBe('handling must be a string');
});

it('refuses an event time no Date can hold, and takes null for absent', () => {
  expect(outcomeFactsProblem({ ...attempt(0, false), eventTimeMs: 1e300 })).toBe(
    'eventTimeMs must be a time a Date can hold',
  );
  const fromJson = {
    ...attempt(at(0, 1), true),
    activityType: null,
    version: null,
  } as unknown as OutcomeFacts;
  const insights = keyInsights(countOutcomes('customer:C1', [fromJson]), BASE, { exact: true });
  expect(insights.byType.activity).toEqual({});
  expect(insights.versions).toEqual([]);
});

it('keeps any value as a key of its records, __proto__ included', () => {
  const odd = attempt(at(0, 1), false, { activityType: '__proto__', handling: 'constructor' });
  const insights = keyInsights(countOutcomes('customer:C1', [odd]), BASE, { exact: true });
  expect(Object.keys(insights.byType.activity)).toEqual(['__proto__']);
  expect(insights.byType.activity['__proto__']).toMatchObject({ runs: 1, failures: 0 });
  expect(insights.handling['constructor']).toMatchObject({ runs: 1 });
});
