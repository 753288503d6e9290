import { attemptRisk } from '../attempt-risk';
import { keyInsights } from '../key-insights';
import { countOutcomes } from '../key-counts';
import type { OutcomeFacts } from '../outcome-facts';
import { at, attempt, seededRandom } from './helpers/generated-outcomes';

// An attempt's risk names its evidence: the type's window, the entity's history with the type or
// alone, the running version. Without evidence it stays low, however unlucky a few runs were.

const BASE = { runs: 20_000, failures: 1_000 };
const TUESDAY_15 = 24 + 15;

function insightsOf(key: string, facts: readonly OutcomeFacts[]) {
  return keyInsights(countOutcomes(key, facts), BASE, { exact: true });
}

/** 8 weeks of chargePayment, 4 an hour, 5% failures; Tuesdays 15:00 fail 80% from week 4. */
function payments(): OutcomeFacts[] {
  const random = seededRandom(21);
  const facts: OutcomeFacts[] = [];
  for (let week = 0; week < 8; week++)
    for (let window = 0; window < 168; window++)
      for (let i = 0; i < 4; i++) {
        const rate = window === TUESDAY_15 && week >= 4 ? 0.8 : 0.05;
        facts.push(attempt(at(week, window, i * 10), random() < rate));
      }
  return facts;
}

it('is high inside a learned pattern, with the pattern as its reason, and low outside it', () => {
  const type = insightsOf('activity:chargePayment', payments());
  const inside = attemptRisk(
    {
      typeInsights: type,
      entityInsights: [],
      activityType: 'chargePayment',
      eventTimeMs: at(9, TUESDAY_15, 5),
    },
    BASE,
  );
  expect(inside.level).toBe('high');
  expect(inside.score).toBeGreaterThan(0.3);
  expect(inside.reasons).toEqual([
    expect.stringMatching(/^chargePayment failed \d+ of \d+ times on Tuesdays 15:00-16:00 UTC/),
  ]);
  const outside = attemptRisk(
    {
      typeInsights: type,
      entityInsights: [],
      activityType: 'chargePayment',
      eventTimeMs: at(9, TUESDAY_15 + 2),
    },
    BASE,
  );
  expect(outside.level).toBe('low');
  expect(outside.reasons).toEqual([]);
  expect(outside.score).toBeLessThan(0.1);
});

it("weighs an entity's history with this activity type, and alone", () => {
  const customerFacts = [
    ...Array.from({ length: 6 }, (_, i) => attempt(at(1, i), i !== 2)), // 5 of 6 charges failed
    ...Array.from({ length: 6 }, (_, i) => attempt(at(1, 30 + i), false, { activityType: 'shipOrder' })),
  ];
  const customer = insightsOf('customer:C9', customerFacts);
  expect(customer.byType.activity).toMatchObject({
    chargePayment: { runs: 6, failures: 5 },
    shipOrder: { runs: 6, failures: 0 },
  });
  const type = insightsOf('activity:chargePayment', payments());
  const charge = attemptRisk(
    { typeInsights: type, entityInsights: [customer], activityType: 'chargePayment', eventTimeMs: at(9, 3) },
    BASE,
  );
  expect(charge.level).toBe('high');
  expect(charge.reasons).toEqual([
    expect.stringMatching(
      /^customer C9 failed 5 of 6 chargePayment runs \(\d+% for chargePayment overall\)$/,
    ),
  ]);
  // Shipping for the same customer: six shipments went well, so its other troubles are no shipping risk.
  const ship = attemptRisk(
    { typeInsights: undefined, entityInsights: [customer], activityType: 'shipOrder', eventTimeMs: at(9, 3) },
    BASE,
  );
  expect(ship.reasons).toEqual([]);
  // A type it never ran: its record overall (5 of 12) is all there is, and it stands out.
  const email = attemptRisk(
    { typeInsights: undefined, entityInsights: [customer], activityType: 'sendEmail', eventTimeMs: at(9, 3) },
    BASE,
  );
  expect(email.reasons).toEqual(['customer C9 failed 5 of 12 runs (5% across the memory)']);
  // A hint, not evidence about this type: elevated, never high on its own.
  expect(email.level).toBe('elevated');
  // For a workflow's decision (no activity type) its whole record is the evidence.
  const workflow = attemptRisk(
    { typeInsights: undefined, entityInsights: [customer], eventTimeMs: at(9, 3) },
    BASE,
  );
  expect(workflow.level).toBe('high');
});

it('does not take one bad order and its retries for an entity that keeps failing', () => {
  // Four failed attempts of one order share its event time.
  const oneOrder = Array.from({ length: 4 }, () => attempt(at(1, 5), true));
  const customer = insightsOf('customer:C5', oneOrder);
  expect(customer.unhandled).toMatchObject({ failures: 4, recurring: false });
  const risk = attemptRisk(
    {
      typeInsights: undefined,
      entityInsights: [customer],
      activityType: 'chargePayment',
      eventTimeMs: at(2, 0),
    },
    BASE,
  );
  expect(risk.reasons).toEqual([]);
});

it('does not let handling hide why it was needed', () => {
  const facts = [
    ...Array.from({ length: 5 }, (_, i) => attempt(at(1, i), true)),
    ...Array.from({ length: 20 }, (_, i) => attempt(at(2, i), false, { handling: 'backup-gateway' })),
  ];
  const customer = insightsOf('customer:C9', facts);
  expect(customer.handling).toMatchObject({
    default: { runs: 5, failures: 5 },
    'backup-gateway': { runs: 20, failures: 0 },
  });
  const risk = attemptRisk(
    {
      typeInsights: undefined,
      entityInsights: [customer],
      activityType: 'chargePayment',
      eventTimeMs: at(3, 0),
    },
    BASE,
  );
  expect(risk.level).toBe('high');
});

it('names the running version when it is the one that regressed, and only then', () => {
  const random = seededRandom(5);
  const facts = Array.from({ length: 540 }, (_, i) =>
    attempt(at(0, 0) + i * 600_000, random() < (i < 500 ? 0.02 : 0.6), {
      activityType: 'reserveInventory',
      version: i < 500 ? 'b1' : 'b2',
    }),
  );
  const type = insightsOf('activity:reserveInventory', facts);
  expect(type.regression?.version).toBe('b2');
  const base = {
    typeInsights: type,
    entityInsights: [],
    activityType: 'reserveInventory',
    eventTimeMs: at(5, 0),
  };
  expect(attemptRisk({ ...base, version: 'b2' }, BASE).reasons).toEqual([type.regression?.reason]);
  expect(attemptRisk({ ...base, version: 'b1' }, BASE).reasons).toEqual([]);
  // A workflow's decision, asking about the activity types it will run: the regression counts too.
  const decision = attemptRisk(
    {
      typeInsights: undefined,
      entityInsights: [],
      relatedTypeInsights: [type],
      version: 'b2',
      eventTimeMs: at(5, 0),
    },
    BASE,
  );
  expect(decision).toMatchObject({ level: 'high', reasons: [type.regression?.reason] });
});

it('stays low for a new key and for a few unlucky runs', () => {
  expect(attemptRisk({ typeInsights: undefined, entityInsights: [], eventTimeMs: 0 }, BASE)).toEqual({
    level: 'low',
    score: 0.05,
    reasons: [],
  });
  const unlucky = insightsOf('customer:C1', [attempt(at(0, 1), true), attempt(at(0, 2), false)]);
  expect(
    attemptRisk({ typeInsights: undefined, entityInsights: [unlucky], eventTimeMs: 0 }, BASE).level,
  ).toBe('low');
});
