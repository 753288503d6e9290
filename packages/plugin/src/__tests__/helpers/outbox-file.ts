import Database from 'better-sqlite3';
import { OutcomeOutbox } from '../../recording/outbox/outcome-outbox';
import type { DeadLetter } from '../../recording/outbox/outbox-types';
import { PluginCounters } from '../../support/plugin-counters';
import { silentLogger } from './silent-logger';

/** What an outbox file holds: outcomes still to deliver, and the dead letters. */
export interface OutboxFileContents {
  pending: number;
  deadLetters: DeadLetter[];
}

/** Reads an outbox file through a new outbox on it, as the next worker would, and closes it again. */
export function readOutboxFile(path: string): OutboxFileContents {
  const outbox = new OutcomeOutbox({ path, logger: silentLogger, counters: new PluginCounters() });
  try {
    return { pending: outbox.stats().pending, deadLetters: outbox.deadLetters() };
  } finally {
    outbox.close();
  }
}

/** The content of every outcome pending in an outbox file (read straight from its table, read-only). */
export function readOutboxNotes(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT content FROM outbox_pending ORDER BY seq').all() as { content: string }[]).map(
      (row) => row.content,
    );
  } finally {
    db.close();
  }
}
