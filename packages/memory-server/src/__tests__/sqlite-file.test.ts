import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ContextStore, type ContextStoreOptions } from '../store/context-store';
import { SCHEMA_VERSION } from '../store/schema';

describe('the SQLite file', () => {
  let dir: string;
  let options: ContextStoreOptions;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stompy-memory-file-'));
    options = {
      dbPath: join(dir, 'nested', 'folder', 'memory.db'),
      defaultProject: 'default',
      maxTopicLength: 200,
      maxContentBytes: 1024,
      noveltyThreshold: null,
      now: () => Date.UTC(2026, 0, 1),
    };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created with its folder, in WAL mode, with the schema recorded once across reopenings', async () => {
    await ContextStore.open(options).close();
    const store = ContextStore.open(options);
    await store.lock({ topic: 'a', content: 'kept across reopening' });
    await store.close();
    const reopened = ContextStore.open(options);
    expect((await reopened.recall({ topic: 'a' })).content).toBe('kept across reopening');
    await reopened.close();

    const db = new BetterSqlite3(options.dbPath, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version, description, applied_at FROM schema_migrations').all()).toEqual(
        Array.from({ length: SCHEMA_VERSION }, (_, i) => ({
          version: i + 1,
          description: expect.any(String) as string,
          applied_at: '2026-01-01T00:00:00.000Z',
        })),
      );
    } finally {
      db.close();
    }
  });

  it('refuses a file written by a newer schema version, leaving it alone', async () => {
    await ContextStore.open(options).close();
    const db = new BetterSqlite3(options.dbPath);
    db.prepare(
      "INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', 'x')",
    ).run();
    db.close();
    expect(() => ContextStore.open(options)).toThrow(
      `database schema version 99 is newer than this server supports (${SCHEMA_VERSION}): upgrade @temporal-stompy/memory-server`,
    );
  });

  it('enforces one latest version per topic and unique versions in the schema itself', async () => {
    const store = ContextStore.open(options);
    await store.lock({ topic: 'a', content: 'one' });
    await store.close();
    const db = new BetterSqlite3(options.dbPath);
    try {
      const insert = db.prepare(
        `INSERT INTO contexts (project, topic, minor, version, content, content_sha256, tags, priority, created_at, is_latest)
         VALUES ('default', 'a', ?, ?, 'x', 'h', '[]', 'reference', 0, ?)`,
      );
      expect(() => insert.run(0, '1.0', 0)).toThrow(/UNIQUE constraint failed/);
      expect(() => insert.run(1, '1.1', 1)).toThrow(/UNIQUE constraint failed/);
    } finally {
      db.close();
    }
  });

  it('works in memory too', async () => {
    const store = ContextStore.open({ ...options, dbPath: ':memory:' });
    await store.lock({ topic: 'a', content: 'x' });
    expect((await store.dashboard()).total_topics).toBe(1);
    await store.close();
  });
});
