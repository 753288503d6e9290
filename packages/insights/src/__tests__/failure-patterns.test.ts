import { keyInsights } from '../key-insights';
import { countOutcomes } from '../key-counts';
import type { OutcomeFacts } from '../outcome-facts';
import { at, attempt, seededRandom, WEEK_MS } from './helpers/generated-outcomes';

// Time patterns on generated histories: found fast when real, in the right window whatever the time
// zone, kept when handling avoids them, and faded when they truly end.

const KEY = 'activity:chargePayment';
const TUESDAY_15 = 24 + 15;
const BASE = { runs: 10_000, failures: 500 };

function insightsOf(facts: readonly OutcomeFacts[]) {
  return keyInsights(countOutcomes(KEY, facts), BASE, { exact: true });
}

/**
 * `weeks` weeks of 4 attempts an hour failing 5% of the time, except in `window` from week `from`
 * on, where they fail `rate` of the time; `handled` labels attempts in that window from some week on.
 */
function history(
  seed: number,
  options: { weeks: number; from: number; rate: number; until?: number; handledFrom?: number },
): OutcomeFacts[] {
  const random = seededRandom(seed);
  const facts: OutcomeFacts[] = [];
  for (let week = 0; week < options.weeks; week++) {
    for (let window = 0; window < 168; window++) {
      for (let i = 0; i < 4; i++) {
        const inPattern = window === TUESDAY_15 && week >= options.from && week < (options.until ?? Infinity);
        const handled = window === TUESDAY_15 && week >= (options.handledFrom ?? Infinity);
        const failed = handled ? false : random() < (inPattern ? options.rate : 0.05);
        facts.push(attempt(at(week, window, i * 15), failed, handled ? { handling: 'backup-gateway' } : {}));
      }
    }
  }
  return facts;
}

it('finds an 80% window after at most 3 of its occurrences, and nothing else, on 20 seeds', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const facts = history(seed, { weeks: 9, from: 6, rate: 0.8 });
    const insights = insightsOf(facts);
    expect(insights.patterns.map((p) => p.window)).toEqual([TUESDAY_15]);
    const pattern = insights.patterns[0];
    expect(pattern?.reason).toMatch(
      /^chargePayment failed \d+ of \d+ times on Tuesdays 15:00-16:00 UTC \(\d+% otherwise\)$/,
    );
    expect(pattern?.failureRate).toBeGreaterThan(0.25);
  }
});

it('says nothing before the evidence is there: one occurrence is not a pattern', () => {
  let found = 0;
  for (let seed = 1; seed <= 20; seed++) {
    if (insightsOf(history(seed, { weeks: 7, from: 6, rate: 0.8 })).patterns.length > 0) found += 1;
  }
  expect(found).toBeLessThanOrEqual(2);
});

it('counts windows on the wall clock of the rule time zone, across a daylight saving switch', () => {
  // Tuesdays 15:00-16:00 in Berlin fail, from February to April: the UTC hour moves on 29 March, the window does not.
  const random = seededRandom(7);
  const facts: OutcomeFacts[] = [];
  const start = Date.UTC(2026, 1, 2); // a Monday
  for (let t = start; t < start + 10 * WEEK_MS; t += 15 * 60_000) {
    const probe = attempt(t, false, { timeZone: 'Europe/Berlin' });
    const failed = random() < (probe.window === TUESDAY_15 ? 0.8 : 0.05);
    facts.push(attempt(t, failed, { timeZone: 'Europe/Berlin' }));
  }
  const insights = insightsOf(facts);
  expect(insights.timeZone).toBe('Europe/Berlin');
  expect(insights.patterns.map((p) => p.label)).toEqual(['Tuesdays 15:00-16:00 Europe/Berlin']);
});

it('keeps the evidence when handling avoids the failures: routed attempts are not the default path', () => {
  const facts = history(3, { weeks: 20, from: 2, rate: 0.8, handledFrom: 6 });
  const insights = insightsOf(facts);
  expect(insights.patterns.map((p) => p.window)).toEqual([TUESDAY_15]);
  expect(insights.handling['backup-gateway']).toMatchObject({ runs: 14 * 4, failures: 0 });
  expect(insights.handling['backup-gateway']?.failureRate).toBeLessThan(0.05);
});

it('fades a pattern that truly ends, as its window runs well again', () => {
  const ongoing = insightsOf(history(4, { weeks: 8, from: 2, rate: 0.8 }));
  expect(ongoing.patterns).toHaveLength(1);
  const ended = insightsOf(history(4, { weeks: 26, from: 2, rate: 0.8, until: 8 }));
  expect(ended.patterns).toEqual([]);
  const window = ended.windows.find((w) => w.window === TUESDAY_15);
  // Its whole history is still counted; the evidence is what faded.
  expect(window?.failures).toBeGreaterThan(15);
  expect((window?.weightedFailures ?? 0) / (window?.weightedRuns ?? 1)).toBeLessThan(0.2);
});

it('does not take one bad hour in a quiet window for a pattern', () => {
  const facts = history(5, { weeks: 8, from: 99, rate: 0 });
  // One burst: every attempt of one Tuesday afternoon failed (an outage, not a weekly pattern).
  for (let i = 0; i < 4; i++) facts.push(attempt(at(8, TUESDAY_15, i * 15), true));
  expect(insightsOf(facts).patterns).toEqual([]);
});
