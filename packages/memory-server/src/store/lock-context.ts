import type { Database } from 'better-sqlite3';
import { noveltyRefusal } from './novelty';
import { lockRequest } from './requests';
import type { StoreSettings } from './settings';
import type { LockContextInput, LockContextResult } from './types';
import { versionName } from './versions';

interface LatestRow {
  id: number;
  version: string;
  content_sha256: string;
}

/**
 * Prepares `lock_context`: stores `content` as the next immutable version of a topic. Content equal
 * (SHA-256) to the latest version adds nothing and returns that version with `created: false`. With a
 * novelty threshold, content too close to the latest version is refused unless `force_store`.
 *
 * Reading the latest version, issuing the version number and inserting happen in one `BEGIN IMMEDIATE`
 * transaction: it takes the database's write lock first, so two processes sharing the file cannot both
 * read the same latest version and issue the same number.
 */
export function prepareLockContext(
  db: Database,
  settings: StoreSettings,
): (input: LockContextInput) => LockContextResult {
  const selectLatest = db.prepare<[string, string], LatestRow>(
    'SELECT id, version, content_sha256 FROM contexts WHERE project = ? AND topic = ? AND is_latest = 1',
  );
  const selectContent = db.prepare<[number], string>('SELECT content FROM contexts WHERE id = ?').pluck();
  const issueMinor = db.prepare<[string, string], { last_minor: number }>(
    `INSERT INTO topics (project, topic, last_minor) VALUES (?, ?, 0)
     ON CONFLICT (project, topic) DO UPDATE SET last_minor = last_minor + 1
     RETURNING last_minor`,
  );
  const retire = db.prepare<[number]>('UPDATE contexts SET is_latest = 0 WHERE id = ?');
  const insert = db.prepare<[string, string, number, string, string, string, string, string, number]>(
    `INSERT INTO contexts (project, topic, minor, version, content, content_sha256, tags, priority, created_at, is_latest)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );

  const write = db.transaction(
    (
      project: string,
      topic: string,
      content: string,
      hash: string,
      tags: string[],
      priority: string,
      force: boolean,
    ): LockContextResult => {
      const latest = selectLatest.get(project, topic);
      if (latest?.content_sha256 === hash) {
        return { id: latest.id, topic, version: latest.version, project, created: false };
      }
      const threshold = settings.noveltyThreshold;
      if (latest && threshold !== null && !force) {
        const refusal = noveltyRefusal(
          selectContent.get(latest.id) ?? '',
          content,
          latest.version,
          threshold,
        );
        if (refusal !== undefined) throw refusal;
      }
      const minor = issueMinor.get(project, topic)?.last_minor ?? 0;
      if (latest) retire.run(latest.id);
      const version = versionName(minor);
      const { lastInsertRowid } = insert.run(
        project,
        topic,
        minor,
        version,
        content,
        hash,
        JSON.stringify(tags),
        priority,
        settings.now(),
      );
      return { id: Number(lastInsertRowid), topic, version, project, created: true };
    },
  );

  return (input) => {
    const { project, topic, content, hash, tags, priority, force } = lockRequest(input, settings);
    return write.immediate(project, topic, content, hash, tags, priority, force);
  };
}
