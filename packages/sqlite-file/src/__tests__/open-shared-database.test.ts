import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSharedDatabase } from '../shared-database';

/** An error shaped like better-sqlite3's SqliteError with `code`. */
function sqliteError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('openSharedDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stompy-sqlite-file-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file and its folders, sets the busy timeout, and sets the connection up', () => {
    const path = join(dir, 'nested', 'folder', 'shared.db');
    const db = openSharedDatabase(path, {
      busyTimeoutMs: 1234,
      initialize: (connection) => connection.exec('CREATE TABLE entries (id INTEGER PRIMARY KEY)'),
    });
    try {
      expect(existsSync(path)).toBe(true);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
      expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('opens an in-memory database without touching the file system', () => {
    const db = openSharedDatabase(':memory:', { busyTimeoutMs: 100, initialize: () => undefined });
    expect(db.memory).toBe(true);
    db.close();
  });

  it('closes a connection answered SQLITE_BUSY and tries again on a new one', () => {
    const connections: Database[] = [];
    const db = openSharedDatabase(join(dir, 'busy.db'), {
      busyTimeoutMs: 5000,
      initialize: (connection) => {
        connections.push(connection);
        if (connections.length === 1) throw sqliteError('SQLITE_BUSY');
        if (connections.length === 2) throw sqliteError('SQLITE_BUSY_RECOVERY');
      },
    });
    try {
      expect(connections).toHaveLength(3);
      expect(connections.map((c) => c.open)).toEqual([false, false, true]);
      expect(connections[2]).toBe(db);
    } finally {
      db.close();
    }
  });

  it('gives up with the busy error once the busy timeout has passed', () => {
    let attempts = 0;
    const started = Date.now();
    expect(() =>
      openSharedDatabase(join(dir, 'always-busy.db'), {
        busyTimeoutMs: 200,
        initialize: () => {
          attempts++;
          throw sqliteError('SQLITE_BUSY');
        },
      }),
    ).toThrow(/SQLITE_BUSY/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(attempts).toBeGreaterThan(1);
  });

  it('throws any other error at once, closing the connection', () => {
    const connections: Database[] = [];
    expect(() =>
      openSharedDatabase(join(dir, 'broken.db'), {
        busyTimeoutMs: 5000,
        initialize: (connection) => {
          connections.push(connection);
          throw sqliteError('SQLITE_CORRUPT');
        },
      }),
    ).toThrow(/SQLITE_CORRUPT/);
    expect(connections.map((c) => c.open)).toEqual([false]);
  });
});
