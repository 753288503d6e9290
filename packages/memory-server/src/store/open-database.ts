import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './schema';

/** How long a connection waits for another process's write lock before failing, in milliseconds. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its folder when missing) the SQLite file at `path` for a memory server, ready
 * to be shared with other processes: WAL journal (readers never block the writer), a busy timeout,
 * `synchronous=NORMAL` (durable across process crashes; the last transactions may be lost on power
 * loss), foreign keys on, and the schema migrated.
 */
export function openDatabase(path: string, now: () => number): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    migrate(db, now);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
