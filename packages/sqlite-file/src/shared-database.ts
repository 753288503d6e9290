import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/** How {@link openSharedDatabase} opens a SQLite file that other processes may open at the same time. */
export interface SharedDatabaseOptions {
  /** How long a statement waits for another process's lock, and how long opening keeps trying. */
  readonly busyTimeoutMs: number;
  /** Sets the file up on a new connection (pragmas, schema); run again from scratch after a busy answer. */
  readonly initialize: (db: Database) => void;
}

/** The longest pause between two attempts to open a file another process is opening, in milliseconds. */
const MAX_OPEN_PAUSE_MS = 100;

/**
 * Opens the SQLite file at `path` (creating it and its folder when missing) and sets it up with
 * `initialize`, for a file several processes share: a fleet of workers, or two servers started together.
 *
 * Switching a new file to WAL makes each process that opens it upgrade a shared lock to an exclusive
 * one, and SQLite breaks that deadlock by answering one of them `SQLITE_BUSY` at once, without calling
 * the busy handler. Such an open is closed and tried again, with short jittered pauses, for up to
 * `busyTimeoutMs`; any other error is thrown at once.
 */
export function openSharedDatabase(path: string, options: SharedDatabaseOptions): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + options.busyTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return openOnce(path, options);
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      pause(Math.min(MAX_OPEN_PAUSE_MS, 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

function openOnce(path: string, { busyTimeoutMs, initialize }: SharedDatabaseOptions): Database {
  const db = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`);
    initialize(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Whether `error` is SQLite's `SQLITE_BUSY` or one of its extended codes (`SQLITE_BUSY_RECOVERY`, ...). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Blocks the thread for `ms` milliseconds: opening is synchronous, and happens once per file and process. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
