import type { Database } from 'better-sqlite3';
import { hourOfWeek, type OutcomeFacts } from '@temporal-stompy/insights';
import { prepareLockContextBatch, prepareLockGroup } from '../store/lock-context-batch';
import { prepareLockContext } from '../store/lock-context';
import { prepareLockWithOutcome } from '../store/lock-with-outcome';
import { openDatabase } from '../store/open-database';
import { prepareOutcomeRecorder } from '../store/record-outcome';
import type { StoreSettings } from '../store/settings';

// The recorder holds a group's counts until the group ends: they reach the tables only with the
// transaction that keeps their facts, a failed group leaves nothing held for the next, and a write
// made outside any group counts its outcome in its own transaction.

const AT = Date.UTC(2026, 1, 17, 15, 20);
const SETTINGS: StoreSettings = {
  defaultProject: 'default',
  maxTopicLength: 200,
  maxContentBytes: 10_000,
  noveltyThreshold: null,
  now: () => AT,
};
const FACTS: OutcomeFacts = {
  kind: 'activity',
  workflowType: 'OrderWorkflow',
  activityType: 'chargePayment',
  failed: true,
  issue: 'GatewayTimeout',
  durationMs: 120,
  eventTimeMs: AT,
  timeZone: 'UTC',
  window: hourOfWeek(AT),
};

function outcomeEntry(n: number) {
  return { topic: `t/${n}`, content: `outcome ${n}`, outcome: { keys: ['customer:C1'], facts: FACTS } };
}

function totals(db: Database): unknown {
  return db.prepare('SELECT runs, failures FROM outcome_totals').all();
}

let db: Database;
beforeEach(() => {
  db = openDatabase(':memory:', () => AT);
});
afterEach(() => {
  db.close();
});

it('counts a write made outside any group in its own transaction', () => {
  const recorder = prepareOutcomeRecorder(db);
  const lockWithOutcome = prepareLockWithOutcome(db, prepareLockContext(db, SETTINGS), recorder);
  lockWithOutcome(outcomeEntry(1));
  expect(totals(db)).toEqual([{ runs: 1, failures: 1 }]);
  expect(db.prepare('SELECT runs, failed_occurrences FROM outcome_windows').all()).toEqual([
    { runs: 1, failed_occurrences: 1 },
  ]);
});

it('forgets what a failed group held: the next group counts only its own outcomes', () => {
  const recorder = prepareOutcomeRecorder(db);
  const lockWithOutcome = prepareLockWithOutcome(db, prepareLockContext(db, SETTINGS), recorder);
  let failNext = true;
  const writeGroup = prepareLockGroup(
    db,
    (input) => {
      const result = lockWithOutcome(input);
      if (failNext && input.topic === 't/2') throw new Error('disk on fire');
      return result;
    },
    recorder,
  );
  const batch = prepareLockContextBatch(writeGroup);
  expect(() => batch({ contexts: [outcomeEntry(1), outcomeEntry(2)] })).toThrow('disk on fire');
  expect(totals(db)).toEqual([]);
  failNext = false;
  expect(batch({ contexts: [outcomeEntry(3)] }).stored).toBe(1);
  expect(totals(db)).toEqual([{ runs: 1, failures: 1 }]);
  expect(db.prepare('SELECT count(*) AS n FROM outcome_facts').get()).toEqual({ n: 1 });
});
