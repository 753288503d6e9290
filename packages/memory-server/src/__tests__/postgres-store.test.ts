import { generateOutcomes } from '@temporal-stompy/testing';
import { Client } from 'pg';
import { ContextStore } from '../store/context-store';
import type { MemoryStore } from '../store/memory-store';
import { PostgresStore, type PostgresStoreOptions } from '../store/postgres/postgres-store';
import { PG_SCHEMA_VERSION } from '../store/postgres/pg-schema';
import { captureLogger } from './helpers/capture-logger';
import { TEST_STORE_SETTINGS } from './helpers/store-settings';
import { newPostgresDatabase, sharedPostgres } from './helpers/shared-postgres';

// What only a shared PostgreSQL database raises: several servers (each a store with its own pool) on
// one database, its migrations, a database that is wrong, unreachable or restarted. What every store
// must do alike is the conformance suite (describe.each(STORE_CONFORMANCE) in the tool tests).

const settings = TEST_STORE_SETTINGS;

async function openStore(url: string, extra: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
  return PostgresStore.open({ ...settings, url, logger: captureLogger().logger, ...extra });
}

const opened: MemoryStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function servers(count: number, url?: string): Promise<PostgresStore[]> {
  const database = url ?? (await newPostgresDatabase());
  const stores = await Promise.all(Array.from({ length: count }, () => openStore(database)));
  opened.push(...stores);
  return stores;
}

it('migrates a new database once when several servers start at once, and records the version', async () => {
  const url = await newPostgresDatabase();
  await servers(4, url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
  } finally {
    await client.end();
  }
});

it('issues consecutive versions when two servers lock the same topic at once: never two 1.1s', async () => {
  const [a, b] = await servers(2);
  if (!a || !b) throw new Error('two stores');
  const writes = Array.from({ length: 40 }, (_, i) =>
    (i % 2 === 0 ? a : b).lock({ topic: 'orders/C1', content: `write ${i}` }),
  );
  const versions = (await Promise.all(writes)).map((r) => r.version);
  expect(new Set(versions).size).toBe(40);
  const recalled = await a.recall({ topic: 'orders/C1' });
  expect(recalled.versions).toEqual(Array.from({ length: 40 }, (_, i) => `1.${i}`));
  expect(recalled.version).toBe('1.39');
});

it('stores an outcome written through two servers at once once, and counts it once', async () => {
  const [a, b] = await servers(2);
  if (!a || !b) throw new Error('two stores');
  const outcomes = generateOutcomes(60, 3);
  const contexts = outcomes.map(({ topic, content, keys, facts }) => ({
    topic,
    content,
    outcome: { keys, facts },
  }));
  const [first, second] = await Promise.all([a.lockBatch({ contexts }), b.lockBatch({ contexts })]);
  expect(first.refused + second.refused).toBe(0);
  const created = [...first.results, ...second.results].filter((r) => 'created' in r && r.created);
  expect(created).toHaveLength(60);
  const keys = [...new Set(outcomes.flatMap((o) => o.keys))].slice(0, 50);
  const [viaA, viaB] = await Promise.all([a.insights({ keys }), b.insights({ keys })]);
  expect(viaA).toEqual(viaB);
  expect(viaA.base.runs).toBe(60);
});

it('gives the insights the SQLite adapter gives for the same outcomes', async () => {
  const [postgres] = await servers(1);
  const sqlite = ContextStore.open({ ...settings, dbPath: ':memory:' });
  opened.push(sqlite);
  const outcomes = generateOutcomes(400, 11);
  const contexts = outcomes.map(({ topic, content, keys, facts }) => ({
    topic,
    content,
    outcome: { keys, facts },
  }));
  for (let from = 0; from < contexts.length; from += 100) {
    const batch = { contexts: contexts.slice(from, from + 100) };
    await Promise.all([postgres?.lockBatch(batch), sqlite.lockBatch(batch)]);
  }
  const keys = [...new Set(outcomes.flatMap((o) => o.keys))];
  for (let from = 0; from < keys.length; from += 50) {
    for (const half_life_days of [28, 3]) {
      const input = { keys: keys.slice(from, from + 50), half_life_days };
      expect(await postgres?.insights(input)).toEqual(await sqlite.insights(input));
    }
  }
});

it('refuses to start on an unreachable database or a wrong password, saying why without the password', async () => {
  const server = await sharedPostgres();
  const wrong = server.url.replace(server.password, 'not-the-password');
  const error = await openStore(wrong).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(
    /^cannot open PostgreSQL database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: .*password authentication failed/,
  );
  expect(error?.message).not.toContain('not-the-password');
  const unreachable = await openStore('postgres://u:secret@127.0.0.1:1/db', { connectTimeoutMs: 2000 }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(unreachable?.message).toMatch(
    /^cannot open PostgreSQL database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: /,
  );
  expect(unreachable?.message).not.toContain('secret');
  expect(unreachable?.message).toMatch(/ECONNREFUSED/);
  expect(unreachable?.message).not.toMatch(/call again/);
});

it('answers errors while PostgreSQL is down and recovers by itself when it is back', async () => {
  const server = await sharedPostgres();
  const [store] = await servers(1);
  if (!store) throw new Error('a store');
  await store.lock({ topic: 'before', content: 'written before the restart' });
  await server.stopServer();
  try {
    // A refusal that tells clients to call again shortly, not an internal error.
    const unavailable = { code: 'database_unavailable', details: { retry_after_seconds: 1 } };
    await expect(store.recall({ topic: 'before' })).rejects.toMatchObject(unavailable);
    await expect(store.lock({ topic: 'during', content: 'written while it is down' })).rejects.toMatchObject(
      unavailable,
    );
    await expect(store.ping()).rejects.toThrow();
  } finally {
    await server.start();
  }
  await expect(store.ping()).resolves.toBeUndefined();
  await store.lock({ topic: 'after', content: 'written after the restart' });
  await expect(store.recall({ topic: 'before' })).resolves.toMatchObject({
    content: 'written before the restart',
  });
  await expect(store.recall({ topic: 'after' })).resolves.toMatchObject({ version: '1.0' });
});

it('bounds what one reply carries as the SQLite store does: recall_batch and search past the budget are marked truncated', async () => {
  const url = await newPostgresDatabase();
  const options = { maxReplyContentBytes: 2_500 };
  const postgres = await openStore(url, options);
  const sqlite = ContextStore.open({ ...settings, ...options, dbPath: ':memory:' });
  opened.push(postgres, sqlite);
  const topics = ['t/0', 't/1', 't/2', 't/3'];
  for (const store of [postgres, sqlite]) {
    await store.lockMany(topics.map((topic) => ({ topic, content: `${topic} needle ${'x'.repeat(1000)}` })));
  }
  const [batch, sqliteBatch] = await Promise.all([
    postgres.recallBatch({ topics }),
    sqlite.recallBatch({ topics }),
  ]);
  expect(batch).toEqual(sqliteBatch);
  expect(batch.results.map((r) => 'truncated' in r)).toEqual([false, false, true, true]);
  expect(batch).toMatchObject({
    truncated: true,
    message: expect.stringContaining('recall_context') as string,
  });
  const search = await postgres.search({ query: 'needle', limit: 4 });
  expect(search.results.filter((hit) => hit.truncated === true)).toHaveLength(2);
  expect(search).toMatchObject({ truncated: true });
});
