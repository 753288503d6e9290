import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_INSIGHT_SETTINGS, hourOfWeek } from '@temporal-stompy/insights';
import { ContextStore, type ContextStoreOptions } from '../store/context-store';
import { migrate, SCHEMA_VERSION, STORED_HALF_LIFE_DAYS } from '../store/schema';
import { generateOutcomes } from '@temporal-stompy/testing';

// The outcome tables arrive by migrations: a database written by an earlier schema version opens,
// migrates and keeps its contexts and counts; and one key's counts are read by range scans of
// primary keys.

const NOW = Date.UTC(2026, 2, 1);
const AT = Date.UTC(2026, 1, 20, 9);

describe('the outcome tables', () => {
  let dir: string;
  let options: ContextStoreOptions;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stompy-memory-outcomes-'));
    options = {
      dbPath: join(dir, 'memory.db'),
      defaultProject: 'default',
      maxTopicLength: 200,
      maxContentBytes: 10_000,
      noveltyThreshold: null,
      now: () => NOW,
    };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('arrive in a database created by schema version 1, which keeps its contexts', async () => {
    const old = new BetterSqlite3(options.dbPath);
    migrate(old, () => NOW - 86_400_000, 1);
    old.exec(`INSERT INTO topics (project, topic, last_minor) VALUES ('default', 'orders/1', 0);
      INSERT INTO contexts (project, topic, minor, version, content, content_sha256, tags, priority, created_at, is_latest)
      VALUES ('default', 'orders/1', 0, '1.0', 'written by version 1', 'x', '["customer:C1"]', 'reference', 0, 1);`);
    old.close();

    const store = ContextStore.open(options);
    try {
      await expect(store.recall({ topic: 'orders/1' })).resolves.toMatchObject({
        content: 'written by version 1',
      });
      const facts = {
        kind: 'workflow',
        workflowType: 'OrderWorkflow',
        failed: false,
        durationMs: 900,
        eventTimeMs: AT,
        timeZone: 'UTC',
        window: hourOfWeek(AT),
      } as const;
      const batch = await store.lockBatch({
        contexts: [
          { topic: 'orders/1', content: 'written by version 2', outcome: { keys: ['customer:C1'], facts } },
        ],
      });
      expect(batch.results[0]).toMatchObject({ version: '1.1', created: true });
      await expect(store.insights({ keys: ['customer:C1'] })).resolves.toMatchObject({
        base: { runs: 1, failures: 0 },
        insights: [{ key: 'customer:C1', runs: 1, byType: { workflow: { OrderWorkflow: { runs: 1 } } } }],
      });
    } finally {
      await store.close();
    }
    const db = new BetterSqlite3(options.dbPath, { readonly: true });
    try {
      const applied = db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
      expect(SCHEMA_VERSION).toBe(4);
      expect(applied).toEqual([
        { version: 1, applied_at: new Date(NOW - 86_400_000).toISOString() },
        { version: 2, applied_at: new Date(NOW).toISOString() },
        { version: 3, applied_at: new Date(NOW).toISOString() },
        { version: 4, applied_at: new Date(NOW).toISOString() },
      ]);
    } finally {
      db.close();
    }
  });

  it("keep window sums at the insights' default half-life", async () => {
    expect(STORED_HALF_LIFE_DAYS).toBe(DEFAULT_INSIGHT_SETTINGS.halfLifeDays);
  });

  it('sum in a database written by schema version 2 as they sum when written by version 3', async () => {
    const store = ContextStore.open(options);
    const contexts = generateOutcomes(400, 7).map(({ topic, content, keys, facts }) => ({
      topic,
      content,
      outcome: { keys, facts },
    }));
    const keys = [...new Set(contexts.flatMap((c) => c.outcome.keys))];
    let written: unknown[];
    try {
      for (let from = 0; from < contexts.length; from += 100) {
        expect((await store.lockBatch({ contexts: contexts.slice(from, from + 100) })).refused).toBe(0);
      }
      written = await Promise.all([28, 3].map((days) => store.insights({ keys, half_life_days: days })));
    } finally {
      await store.close();
    }
    // As version 2 left it: the same outcomes, no window sums (nor what later versions added).
    const db = new BetterSqlite3(options.dbPath);
    db.exec(
      'DROP TABLE key_outcomes; DROP TABLE outcome_windows; DELETE FROM schema_migrations WHERE version >= 3;',
    );
    db.close();

    const migrated = ContextStore.open(options);
    try {
      expect(
        await Promise.all([28, 3].map((days) => migrated.insights({ keys, half_life_days: days }))),
      ).toEqual(written);
    } finally {
      await migrated.close();
    }
  });

  it("read one key's counts by range scans of their primary keys", async () => {
    await ContextStore.open(options).close();
    const db = new BetterSqlite3(options.dbPath, { readonly: true });
    try {
      const tables = [
        'outcome_hours',
        'outcome_windows',
        'outcome_dimensions',
        'outcome_durations',
        'outcome_keys',
        'key_outcomes',
      ];
      for (const table of tables) {
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE project = ? AND key = ?`)
          .all('default', 'customer:C1') as { detail: string }[];
        expect(plan.map((step) => step.detail)).toEqual([
          `SEARCH ${table} USING PRIMARY KEY (project=? AND key=?)`,
        ]);
      }
    } finally {
      db.close();
    }
  });
});
