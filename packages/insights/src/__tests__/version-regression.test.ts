import { regressionFlaggedAt } from '../version-regression';
import { keyInsights } from '../key-insights';
import { countOutcomes } from '../key-counts';
import type { OutcomeFacts } from '../outcome-facts';
import { at, attempt, seededRandom } from './helpers/generated-outcomes';

// A new build that fails more is flagged within 20 of its executions; an unchanged one never is.

const KEY = 'activity:reserveInventory';
const BASE = { runs: 10_000, failures: 300 };

/** 500 runs of build 2026.11.2 failing 2%, then `newRuns` of build 2026.11.3 failing `newRate`. */
function builds(seed: number, newRate: number, newRuns: number): OutcomeFacts[] {
  const random = seededRandom(seed);
  const facts: OutcomeFacts[] = [];
  for (let i = 0; i < 500 + newRuns; i++) {
    const version = i < 500 ? '2026.11.2' : '2026.11.3';
    const failed = random() < (i < 500 ? 0.02 : newRate);
    facts.push(attempt(at(0, 0) + i * 600_000, failed, { activityType: 'reserveInventory', version }));
  }
  return facts;
}

/** After how many runs of the new build a regression is first flagged (undefined: never). */
function flaggedAfter(facts: readonly OutcomeFacts[]): number | undefined {
  for (let n = 1; n <= facts.length - 500; n++) {
    const insights = keyInsights(countOutcomes(KEY, facts.slice(0, 500 + n)), BASE, { exact: true });
    if (insights.regression) return n;
  }
  return undefined;
}

it('flags a build that fails 40% instead of 2% within 20 of its runs, on at least 95% of 40 seeds', () => {
  const after = Array.from({ length: 40 }, (_, i) => flaggedAfter(builds(100 + i, 0.4, 20)));
  expect(after.filter((n) => n !== undefined && n <= 20).length).toBeGreaterThanOrEqual(38);
  const facts = builds(100, 0.4, 40);
  const regression = keyInsights(countOutcomes(KEY, facts), BASE, { exact: true }).regression;
  expect(regression).toMatchObject({ version: '2026.11.3', previousVersion: '2026.11.2', runs: 40 });
  expect(regression?.reason).toMatch(
    /^since build 2026\.11\.3, reserveInventory fails \d+% \(40 runs\), was \d(\.\d)?%$/,
  );
});

it('never flags an unchanged build, checked after each of its 200 runs, on 40 seeds', () => {
  const flagged = Array.from({ length: 40 }, (_, i) => flaggedAfter(builds(200 + i, 0.02, 200)));
  expect(flagged.filter((n) => n !== undefined)).toEqual([]);
});

it('lists versions in the order they appeared, with their counts', () => {
  const insights = keyInsights(countOutcomes(KEY, builds(1, 0.02, 10)), BASE, { exact: true });
  expect(insights.versions.map((v) => [v.version, v.runs])).toEqual([
    ['2026.11.2', 500],
    ['2026.11.3', 10],
  ]);
  expect(insights.versions[0]?.firstSeen).toBe(new Date(at(0, 0)).toISOString());
});

describe('regressionFlaggedAt', () => {
  it('names the outcome after which the regression was first flagged, as insights over the history then would', () => {
    const facts = builds(7, 0.35, 200);
    const insights = keyInsights(countOutcomes(KEY, facts), BASE, { exact: true });
    const regression = insights.regression;
    expect(regression?.version).toBe('2026.11.3');
    if (regression === undefined) return;
    const flagged = regressionFlaggedAt(KEY, regression, insights.versions, BASE, facts);
    // With the old build's counts fixed (all its 500 runs come first), the replay agrees with insights
    // recomputed over each prefix of the history.
    const after = flaggedAfter(facts);
    expect(flagged?.runs).toBe(after);
    expect(flagged?.atMs).toBe(facts[500 + (after ?? 0) - 1]?.eventTimeMs);
    expect(flagged?.failures).toBe(facts.slice(500, 500 + (after ?? 0)).filter((f) => f.failed).length);
  });

  it('is undefined when the outcomes given never flag it, or the previous version is unknown', () => {
    const facts = builds(7, 0.35, 200);
    const insights = keyInsights(countOutcomes(KEY, facts), BASE, { exact: true });
    const regression = insights.regression;
    if (regression === undefined) throw new Error('expected a regression');
    expect(
      regressionFlaggedAt(KEY, regression, insights.versions, BASE, facts.slice(0, 502)),
    ).toBeUndefined();
    expect(regressionFlaggedAt(KEY, regression, insights.versions.slice(1), BASE, facts)).toBeUndefined();
  });
});
