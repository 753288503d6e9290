import { join } from 'node:path';
import Database from 'better-sqlite3';
import { outcomeToContext } from '../../../outcome/outcome-context';
import { PluginCounters } from '../../../support/plugin-counters';
import { silentLogger } from '../../../__tests__/helpers/silent-logger';
import { tempDir } from '../../../__tests__/helpers/outbox-test-kit';
import { activityOutcome } from '../../../__tests__/helpers/sample-outcome';
import { OutcomeOutbox } from '../outcome-outbox';
import { OUTBOX_SCHEMA_V1 } from './outbox-schema-v1';

// An outbox file made by the plugin before outcome facts (schema 1, no `outcome` column) opens as it
// is: its pending entries are delivered as they were written, new entries keep their facts, and the
// file stays one the older plugin can still write (a rollback keeps working).

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.remove());

/** A version-1 outbox file with one pending entry, written with the older plugin's own statement. */
function versionOneFile(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(OUTBOX_SCHEMA_V1);
  db.pragma('user_version = 1');
  insertAsVersionOne(db, 'temporal:act:old');
  db.close();
}

function insertAsVersionOne(db: Database.Database, topic: string): void {
  db.prepare(
    `INSERT OR IGNORE INTO outbox_pending (topic, content, tags, priority, force_store, bytes, enqueued_at)
     VALUES (?, 'Workflow: old\nSuccess: yes', '["temporal"]', 'reference', 0, 40, 1)`,
  ).run(topic);
}

function openOutbox(path: string): OutcomeOutbox {
  return new OutcomeOutbox({ path, logger: silentLogger, counters: new PluginCounters() });
}

it('opens a version-1 file, delivers its entries as written, and keeps the facts of new ones', () => {
  const path = join(temp.dir, 'outbox.db');
  versionOneFile(path);
  const outbox = openOutbox(path);
  const write = outcomeToContext(activityOutcome());
  expect(outbox.enqueue(write)).toBe('queued');
  const claimed = outbox.claim(10);
  expect(claimed.map((e) => e.topic)).toEqual(['temporal:act:old', write.topic]);
  expect(claimed[0]?.write).toEqual({
    topic: 'temporal:act:old',
    content: 'Workflow: old\nSuccess: yes',
    tags: ['temporal'],
    priority: 'reference',
  });
  expect(claimed[0]?.outcomeProblem).toBeUndefined();
  expect(claimed[1]?.write.outcome).toEqual(write.outcome);
  outbox.close();

  const db = new Database(path);
  expect(db.pragma('user_version', { simple: true })).toBe(1);
  const columns = (db.pragma('table_info(outbox_pending)') as { name: string }[]).map((c) => c.name);
  expect(columns).toContain('outcome');
  // The older plugin's statements still work on the file.
  insertAsVersionOne(db, 'temporal:act:after-rollback');
  db.close();
  // (Closing gave the claimed entries back: they are claimed again, in order, facts and all.)
  const reopened = openOutbox(path);
  const again = reopened.claim(10);
  expect(again.map((e) => e.topic)).toEqual(['temporal:act:old', write.topic, 'temporal:act:after-rollback']);
  expect(again[1]?.write.outcome).toEqual(write.outcome);
  reopened.close();
});

it('adds the column once, however many outboxes open the file', () => {
  const path = join(temp.dir, 'outbox.db');
  versionOneFile(path);
  const first = openOutbox(path);
  const second = openOutbox(path);
  expect(second.claim(1)).toHaveLength(1);
  first.close();
  second.close();
});
