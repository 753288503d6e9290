import type { Database, Statement } from 'better-sqlite3';
import { unlockNotFound } from './errors';
import { unlockRequest } from './requests';
import type { StoreSettings } from './settings';
import type { UnlockContextInput, UnlockContextResult } from './types';

interface TargetRow {
  id: number;
  topic: string;
  version: string;
  is_latest: 0 | 1;
}

type Selector = 'all' | 'latest' | 'one';

/**
 * Prepares `unlock_context`: removes versions of one topic (`topic`) or of every topic matching a glob
 * (`topic_pattern`): all of them (default), the latest, or one named version. Archiving (default) hides
 * versions from every read and search but keeps them in the file; `archive: false` deletes them, and
 * then also deletes matching versions archived earlier. When a topic's latest version goes, its newest
 * remaining live version becomes latest again. Version numbers are never issued again.
 */
export function prepareUnlockContext(
  db: Database,
  settings: StoreSettings,
): (input: UnlockContextInput) => UnlockContextResult {
  const targetStatements = new Map<string, Statement<unknown[], TargetRow>>();
  const targets = (
    byPattern: boolean,
    selector: Selector,
    archive: boolean,
  ): Statement<unknown[], TargetRow> => {
    const key = `${byPattern}:${selector}:${archive}`;
    let statement = targetStatements.get(key);
    if (!statement) {
      const conditions = [
        'project = ?',
        byPattern ? 'topic GLOB ?' : 'topic = ?',
        ...(selector === 'latest' ? ['is_latest = 1'] : []),
        ...(selector === 'one' ? ['version = ?'] : []),
        ...(archive ? ['archived_at IS NULL'] : []),
      ];
      statement = db.prepare<unknown[], TargetRow>(
        `SELECT id, topic, version, is_latest FROM contexts WHERE ${conditions.join(' AND ')} ORDER BY topic, minor`,
      );
      targetStatements.set(key, statement);
    }
    return statement;
  };
  const archiveRow = db.prepare<[number, number]>(
    'UPDATE contexts SET is_latest = 0, archived_at = ? WHERE id = ?',
  );
  const deleteRow = db.prepare<[number]>('DELETE FROM contexts WHERE id = ?');
  const promoteNewest = db.prepare<[string, string]>(
    `UPDATE contexts SET is_latest = 1 WHERE id = (
       SELECT id FROM contexts WHERE project = ? AND topic = ? AND archived_at IS NULL ORDER BY minor DESC LIMIT 1)`,
  );

  const unlock = db.transaction(
    (
      project: string,
      topicOrPattern: string,
      byPattern: boolean,
      version: string,
      archive: boolean,
    ): UnlockContextResult => {
      const selector: Selector = version === 'all' || version === 'latest' ? version : 'one';
      const params: unknown[] = [project, topicOrPattern, ...(selector === 'one' ? [version] : [])];
      const rows = targets(byPattern, selector, archive).all(...params);
      if (rows.length === 0 && !byPattern) throw unlockNotFound(project, topicOrPattern, version);
      const now = settings.now();
      const lostLatest = new Set<string>();
      for (const row of rows) {
        if (archive) archiveRow.run(now, row.id);
        else deleteRow.run(row.id);
        if (row.is_latest === 1) lostLatest.add(row.topic);
      }
      for (const topic of lostLatest) promoteNewest.run(project, topic);
      return {
        removed: rows.map(({ topic, version: removedVersion }) => ({ topic, version: removedVersion })),
        archived: archive,
        count: rows.length,
      };
    },
  );

  return (input) => {
    const { project, target, byPattern, version, archive } = unlockRequest(input, settings);
    return unlock.immediate(project, target, byPattern, version, archive);
  };
}
