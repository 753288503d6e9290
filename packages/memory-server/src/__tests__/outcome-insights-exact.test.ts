import BetterSqlite3 from 'better-sqlite3';
import {
  countOutcomes,
  keyInsights,
  sumKeyCounts,
  type BaseCounts,
  type KeyInsights,
  type OutcomeFacts,
  type SummedKeyCounts,
} from '@temporal-stompy/insights';
import { prepareReadSummedCounts } from '../store/read-summed-counts';
import {
  batchEntries,
  factsOfKey,
  generateOutcomes,
  keysOf,
  type GeneratedOutcome,
} from '@temporal-stompy/testing';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// outcome_insights must give exactly what @temporal-stompy/insights gives for the same outcomes: the
// counts the server keeps in its tables sum to what sumKeyCounts gives over countOutcomes of the facts
// in write order, and the insights are keyInsights of them, over the whole history. (Recency-weighted
// sums are carried to 3 decimals, so the order they were summed in does not show.)

interface InsightsResult {
  base: BaseCounts;
  insights: KeyInsights[];
}

const OUTCOMES = generateOutcomes(3000, 7);
const OTHER_PROJECT = generateOutcomes(300, 11, 5);

function baseOf(outcomes: readonly GeneratedOutcome[]): BaseCounts {
  return { runs: outcomes.length, failures: outcomes.filter((o) => o.facts.failed).length };
}

function expected(
  outcomes: readonly GeneratedOutcome[],
  key: string,
  halfLifeDays = 28,
  base = baseOf(outcomes),
): KeyInsights {
  return keyInsights(countOutcomes(key, factsOfKey(outcomes, key)), base, {
    exact: true,
    settings: { halfLifeDays },
  });
}

/** Summed counts with their rows in one order, so counts kept in any order compare equal. */
function inOneOrder(sums: SummedKeyCounts): SummedKeyCounts {
  const sorted = <T>(rows: readonly T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    ...sums,
    handling: sorted(sums.handling),
    windows: sorted(sums.windows),
    dimensions: sorted(sums.dimensions),
    durations: sorted(sums.durations),
  } as unknown as SummedKeyCounts;
}

describe.each(['sqlite', 'postgres'] as const)(
  'outcome_insights over outcomes written with lock_context_batch on %s',
  (store) => {
    let h: ToolHarness;
    beforeAll(async () => {
      h = await openToolHarness({ store });
      for (const [outcomes, project] of [
        [OUTCOMES, undefined],
        [OTHER_PROJECT, 'other'],
      ] as const) {
        for (let from = 0; from < outcomes.length; from += 100) {
          const contexts = batchEntries(outcomes.slice(from, from + 100));
          const batch = await h.ok<{ stored: number }>('lock_context_batch', { contexts, project });
          expect(batch.stored).toBe(contexts.length);
        }
      }
    });
    afterAll(async () => {
      await h.close();
    });

    it('gives every key exactly the insights of its facts, with the base over all outcomes', async () => {
      const keys = keysOf(OUTCOMES);
      expect(keys.length).toBeGreaterThan(30);
      const result = await h.ok<InsightsResult>('outcome_insights', { keys });
      expect(result.base).toEqual(baseOf(OUTCOMES));
      expect(result.insights).toEqual(keys.map((key) => expected(OUTCOMES, key)));
      // The generated history is rich enough to exercise what insights compute.
      const charge = result.insights.find((i) => i.key === 'activity:chargePayment');
      expect(charge?.runs).toBeGreaterThan(500);
      expect(Object.keys(charge?.handling ?? {}).sort()).toEqual([
        'backup-gateway',
        'default',
        'retry-later',
      ]);
      expect(charge?.versions.length).toBe(3);
      expect(charge?.lastFailure).toBeDefined();
    });

    it('honours half_life_days: other half-lives are summed from the hour counts', async () => {
      const keys = ['activity:chargePayment', 'customer:C3', 'workflow:OrderWorkflow'];
      for (const halfLifeDays of [0.5, 3.5, 3650]) {
        const result = await h.ok<InsightsResult>('outcome_insights', { keys, half_life_days: halfLifeDays });
        expect(result.insights).toEqual(keys.map((key) => expected(OUTCOMES, key, halfLifeDays)));
      }
    });

    it('answers keys in the order asked, repeats included, and a key without outcomes as no outcomes', async () => {
      const keys = ['customer:C9', 'customer:none', 'activity:shipOrder', 'customer:C9'];
      const result = await h.ok<InsightsResult>('outcome_insights', { keys });
      expect(result.insights.map((i) => i.key)).toEqual(keys);
      expect(result.insights).toEqual(keys.map((key) => expected(OUTCOMES, key)));
      expect(result.insights[1]).toMatchObject({ runs: 0, failures: 0, timeZone: 'UTC', windows: [] });
    });

    it('keeps projects apart', async () => {
      const keys = keysOf(OTHER_PROJECT);
      const result = await h.ok<InsightsResult>('outcome_insights', { keys, project: 'other' });
      expect(result.base).toEqual(baseOf(OTHER_PROJECT));
      expect(result.insights).toEqual(keys.map((key) => expected(OTHER_PROJECT, key)));
      const empty = await h.ok<InsightsResult>('outcome_insights', {
        keys: ['customer:C1'],
        project: 'none',
      });
      expect(empty.base).toEqual({ runs: 0, failures: 0 });
    });

    // How the SQLite tables sum; PostgreSQL's insights are checked equal to SQLite's in postgres-store.test.ts.
    const itOnSqlite = store === 'sqlite' ? it : () => undefined;
    itOnSqlite("keeps the counts countOutcomes gives, and every outcome's facts to rebuild them from", () => {
      const db = new BetterSqlite3(h.dbPath, { readonly: true });
      try {
        const { keySums } = prepareReadSummedCounts(db);
        const rows = db
          .prepare("SELECT facts, keys FROM outcome_facts WHERE project = 'default' ORDER BY id")
          .all() as { facts: string; keys: string }[];
        const stored = rows.map((row) => ({
          facts: JSON.parse(row.facts) as OutcomeFacts,
          keys: JSON.parse(row.keys) as string[],
        }));
        expect(stored).toEqual(OUTCOMES.map((o) => ({ facts: o.facts, keys: o.keys })));
        for (const key of keysOf(OUTCOMES)) {
          const counted = countOutcomes(key, factsOfKey(OUTCOMES, key));
          for (const halfLifeDays of [28, 2]) {
            expect(inOneOrder(keySums('default', key, halfLifeDays))).toEqual(
              inOneOrder(sumKeyCounts(counted, halfLifeDays)),
            );
          }
        }
      } finally {
        db.close();
      }
    });
  },
);
