import BetterSqlite3 from 'better-sqlite3';
import { Pool } from 'pg';
import { batchEntries, generateOutcomes, type GeneratedOutcome } from '@temporal-stompy/testing';
import type { KeyKind, OutcomeBrowser, StoredOutcome } from '../store/outcome-browser';
import { newestOutcomesSql, SQLITE_DIALECT } from '../store/outcome-browser-sql';
import { migrate } from '../store/schema';
import { migratePostgres } from '../store/postgres/pg-schema';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// The reads behind the web page, on both stores: every total, hour, day and listing equals what the
// generated outcomes' facts give, counted here independently of the count tables.

const OUTCOMES = generateOutcomes(1500, 23);
const HOUR_MS = 3_600_000;
const hourOf = (o: GeneratedOutcome): number => Math.floor(o.facts.eventTimeMs / HOUR_MS);

function kindOf(key: string): KeyKind {
  if (key.startsWith('activity:')) return 'activity';
  if (key.startsWith('workflow:')) return 'workflow';
  return 'entity';
}

/** Every key of a kind with its runs and failures, in the order the store lists them. */
function expectedKeys(kind: KeyKind): { key: string; runs: number; failures: number }[] {
  const totals = new Map<string, { key: string; runs: number; failures: number }>();
  for (const o of OUTCOMES) {
    for (const key of o.keys.filter((k) => kindOf(k) === kind)) {
      const row = totals.get(key) ?? { key, runs: 0, failures: 0 };
      row.runs += 1;
      row.failures += o.facts.failed ? 1 : 0;
      totals.set(key, row);
    }
  }
  return [...totals.values()].sort(
    (a, b) => b.failures - a.failures || b.runs - a.runs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** A key's outcomes (their indexes: write order) newest first, as `outcomes` lists them. */
function expectedListing(key: string, hours?: ReadonlySet<number>): number[] {
  return OUTCOMES.map((o, i) => ({ o, i }))
    .filter(({ o }) => o.keys.includes(key) && (hours === undefined || hours.has(hourOf(o))))
    .sort((a, b) => hourOf(b.o) - hourOf(a.o) || b.i - a.i)
    .map(({ i }) => i);
}

/** Every page of a listing, followed to the end. */
async function allPages(
  browser: OutcomeBrowser,
  query: Parameters<OutcomeBrowser['outcomes']>[0],
): Promise<StoredOutcome[]> {
  const seen: StoredOutcome[] = [];
  let after = query.after;
  for (;;) {
    const page = await browser.outcomes({ ...query, after });
    seen.push(...page.outcomes);
    if (page.next === undefined) return seen;
    expect(page.outcomes).toHaveLength(query.limit);
    after = page.next;
  }
}

describe.each(['sqlite', 'postgres'] as const)('the outcome browser on %s', (kind) => {
  let h: ToolHarness;
  let browser: OutcomeBrowser;
  beforeAll(async () => {
    h = await openToolHarness({ store: kind });
    browser = h.deps.store.outcomes;
    for (let from = 0; from < OUTCOMES.length; from += 100) {
      const contexts = batchEntries(OUTCOMES.slice(from, from + 100));
      await h.ok('lock_context_batch', { contexts });
    }
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(['activity', 'workflow', 'entity'] as const)(
    'lists %s keys with their totals, most failures first, a page at a time',
    async (keyKind) => {
      const expected = expectedKeys(keyKind);
      expect(expected.length).toBeGreaterThan(keyKind === 'workflow' ? 0 : 2);
      const first = await browser.keys('default', keyKind, 2);
      expect(first).toEqual({ total: expected.length, keys: expected.slice(0, 2) });
      const rest = await browser.keys('default', keyKind, 200, 2);
      expect(rest.keys).toEqual(expected.slice(2));
      expect((await browser.keys('other', keyKind, 10)).total).toBe(0);
    },
  );

  it("gives a key's default-path runs and failures per hour", async () => {
    const key = 'activity:chargePayment';
    const byHour = new Map<number, { hour: number; runs: number; failures: number }>();
    for (const o of OUTCOMES.filter((o) => o.keys.includes(key) && !o.facts.handling)) {
      const row = byHour.get(hourOf(o)) ?? { hour: hourOf(o), runs: 0, failures: 0 };
      row.runs += 1;
      row.failures += o.facts.failed ? 1 : 0;
      byHour.set(row.hour, row);
    }
    expect(await browser.hours('default', key)).toEqual([...byHour.values()].sort((a, b) => a.hour - b.hour));
    expect(await browser.hours('default', 'customer:nobody')).toEqual([]);
  });

  it('gives workflow runs and activity attempts per day', async () => {
    const byDay = new Map<string, { day: number; kind: string; runs: number; failures: number }>();
    for (const o of OUTCOMES) {
      const day = Math.floor(o.facts.eventTimeMs / (24 * HOUR_MS));
      const id = `${day}:${o.facts.kind}`;
      const row = byDay.get(id) ?? { day, kind: o.facts.kind, runs: 0, failures: 0 };
      row.runs += 1;
      row.failures += o.facts.failed ? 1 : 0;
      byDay.set(id, row);
    }
    const expected = [...byDay.values()].sort((a, b) => a.day - b.day || (a.kind < b.kind ? -1 : 1));
    expect(await browser.days('default')).toEqual(expected);
  });

  it("lists a key's outcomes newest first, oldest first, and within chosen hours, a page at a time", async () => {
    const key = 'customer:C3';
    const newest = await allPages(browser, { project: 'default', key, limit: 7 });
    expect(newest.map((o) => o.topic)).toEqual(expectedListing(key).map((i) => OUTCOMES[i]?.topic));
    expect(newest[0]?.facts).toEqual(OUTCOMES[expectedListing(key)[0] ?? -1]?.facts);
    expect(newest[0]?.keys).toEqual(OUTCOMES[expectedListing(key)[0] ?? -1]?.keys);
    expect(newest.every((o) => typeof o.storedAtMs === 'number')).toBe(true);

    const oldest = await allPages(browser, { project: 'default', key, limit: 9, order: 'oldest' });
    expect(oldest.map((o) => o.topic)).toEqual([...newest].reverse().map((o) => o.topic));

    const hours = new Set([...new Set(OUTCOMES.filter((o) => o.keys.includes(key)).map(hourOf))].slice(0, 5));
    const within = await allPages(browser, { project: 'default', key, hours: [...hours], limit: 2 });
    expect(within.map((o) => o.topic)).toEqual(expectedListing(key, hours).map((i) => OUTCOMES[i]?.topic));
    expect(within.length).toBeGreaterThan(4);
  });

  it('finds one outcome by topic, and the newest outcomes stored', async () => {
    const sample = OUTCOMES[42];
    const found = await browser.outcome('default', sample?.topic ?? '');
    expect(found).toMatchObject({ topic: sample?.topic, facts: sample?.facts, keys: sample?.keys });
    expect(await browser.outcome('default', 'no such topic')).toBeUndefined();
    const newest = await browser.newest('default', 3);
    expect(newest.map((o) => o.topic)).toEqual(
      OUTCOMES.slice(-3)
        .reverse()
        .map((o) => o.topic),
    );
  });

  it("lists a topic's live versions, and the projects written to", async () => {
    const topic = OUTCOMES[7]?.topic ?? '';
    await h.ok('lock_context', { topic, content: 'a second version of this note' });
    const versions = await browser.versions('default', topic);
    expect(versions.map((v) => v.version)).toEqual(['1.0', '1.1']);
    expect(versions.every((v) => typeof v.storedAtMs === 'number')).toBe(true);
    expect(await browser.versions('default', 'no such topic')).toEqual([]);
    await h.ok('lock_context', { topic: 't', content: 'x', project: 'b-project' });
    await h.ok('lock_context', { topic: 't', content: 'x', project: 'a-project' });
    expect(await browser.projects()).toEqual(['a-project', 'b-project', 'default']);
  });

  it('refuses a limit outside 1..200 and a bad project, as every store read does', async () => {
    await expect(browser.keys('default', 'activity', 0)).rejects.toThrow(
      'limit: must be an integer from 1 to 200',
    );
    await expect(browser.newest('default', 201)).rejects.toThrow('limit');
    await expect(browser.hours('no/such project', 'activity:x')).rejects.toThrow('project');
  });

  it('files the outcomes already stored when the schema adds key_outcomes, as the write path does', async () => {
    const select =
      'SELECT project, key, hour, outcome_id FROM key_outcomes ORDER BY project, key, hour, outcome_id';
    const rerun =
      kind === 'sqlite'
        ? async () => {
            const db = new BetterSqlite3(h.dbPath);
            try {
              const written = db.prepare(select).all();
              db.exec('DROP TABLE key_outcomes; DELETE FROM schema_migrations WHERE version = 4');
              migrate(db, Date.now);
              return { written, migrated: db.prepare(select).all() };
            } finally {
              db.close();
            }
          }
        : async () => {
            const pool = new Pool({ connectionString: h.dbPath, max: 1 });
            try {
              const written = (await pool.query(select)).rows;
              // Back to schema 1 (migration 3 replaced its full-text index), then migrate again.
              await pool.query(
                `DROP TABLE key_outcomes; DROP INDEX contexts_search_by_bucket;
                 CREATE INDEX contexts_search ON contexts USING gin (search) WHERE is_latest;
                 DELETE FROM schema_migrations WHERE version >= 2`,
              );
              const client = await pool.connect();
              try {
                await migratePostgres(client, Date.now);
              } finally {
                client.release();
              }
              return { written, migrated: (await pool.query(select)).rows };
            } finally {
              await pool.end();
            }
          };
    const { written, migrated } = await rerun();
    expect(written.length).toBe(OUTCOMES.reduce((n, o) => n + o.keys.length, 0));
    expect(migrated).toEqual(written);
  });

  // How SQLite plans it; PostgreSQL's plans are read in the benchmark's EXPLAIN runs.
  const itOnSqlite = kind === 'sqlite' ? it : () => undefined;
  itOnSqlite(
    'reads the newest outcomes backwards along an index, sorting nothing (2 s at 1M when it sorted)',
    () => {
      const db = new BetterSqlite3(h.dbPath, { readonly: true });
      try {
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${newestOutcomesSql(SQLITE_DIALECT)}`)
          .all('default', 100) as {
          detail: string;
        }[];
        const steps = plan.map((step) => step.detail).join('; ');
        expect(steps).toContain('contexts_latest_by_time');
        expect(steps).not.toContain('TEMP B-TREE');
      } finally {
        db.close();
      }
    },
  );
});
