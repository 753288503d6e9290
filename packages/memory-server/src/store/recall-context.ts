import type { Database } from 'better-sqlite3';
import type { AccessCounts } from './access-counts';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { recallNotFound } from './errors';
import type { StoreSettings } from './settings';
import type { RecallContextInput, RecallContextResult } from './types';
import { recallRequest } from './requests';

type RecalledRow = Pick<
  ContextRow,
  'id' | 'version' | 'content' | 'tags' | 'priority' | 'created_at' | 'access_count'
>;

const COLUMNS = 'id, version, content, tags, priority, created_at, access_count';

/**
 * Prepares `recall_context`: one version of a topic (the latest unless `version` names one) with the
 * list of its live versions, counting the recall in that version's `access_count`. Archived versions
 * are not found. The read is a read transaction, which never waits on another process's write lock;
 * the count is written by `accessCounts`, which does not wait either (it holds the count when the lock
 * is taken). The `access_count` returned includes this recall.
 */
export function prepareRecallContext(
  db: Database,
  settings: StoreSettings,
  accessCounts: AccessCounts,
): (input: RecallContextInput) => RecallContextResult {
  const selectLatest = db.prepare<[string, string], RecalledRow>(
    `SELECT ${COLUMNS} FROM contexts WHERE project = ? AND topic = ? AND is_latest = 1`,
  );
  const selectVersion = db.prepare<[string, string, string], RecalledRow>(
    `SELECT ${COLUMNS} FROM contexts WHERE project = ? AND topic = ? AND version = ? AND archived_at IS NULL`,
  );
  const selectVersions = db
    .prepare<[string, string], string>(
      'SELECT version FROM contexts WHERE project = ? AND topic = ? AND archived_at IS NULL ORDER BY minor',
    )
    .pluck();
  const read = db.transaction((project: string, topic: string, version: string) => {
    const row =
      version === 'latest' ? selectLatest.get(project, topic) : selectVersion.get(project, topic, version);
    const versions = selectVersions.all(project, topic);
    if (!row) throw recallNotFound(project, topic, version, versions);
    return { row, versions };
  });

  return (input) => {
    const { project, topic, version } = recallRequest(input, settings);
    const { row, versions } = read.deferred(project, topic, version);
    return {
      topic,
      version: row.version,
      content: row.content,
      tags: rowTags(row.tags),
      priority: row.priority,
      locked_at: isoTime(row.created_at),
      access_count: accessCounts.count(row.id, row.access_count),
      versions,
    };
  };
}
