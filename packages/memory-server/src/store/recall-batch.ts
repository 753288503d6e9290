import type { Database } from 'better-sqlite3';
import { rowTags, type ContextRow } from './context-row';
import { recallBatchResult } from './recall-batch-result';
import { recallBatchRequest } from './requests';
import type { StoreSettings } from './settings';
import type { RecallBatchInput, RecallBatchResult } from './types';

type BatchRow = Pick<ContextRow, 'topic' | 'version' | 'content' | 'tags' | 'priority' | 'created_at'>;

/**
 * Prepares `recall_batch`: the latest version of up to 50 topics in one query
 * (the topic list is bound as one JSON array). Unlike `recall_context` it counts no access: it is a
 * read-only call, cheap to make before every activity.
 */
export function prepareRecallBatch(
  db: Database,
  settings: StoreSettings,
): (input: RecallBatchInput) => RecallBatchResult {
  const selectLatest = db.prepare<[string, string], BatchRow>(
    `SELECT topic, version, content, tags, priority, created_at FROM contexts
     WHERE project = ? AND is_latest = 1 AND topic IN (SELECT value FROM json_each(?))`,
  );

  return (input) => {
    const request = recallBatchRequest(input, settings);
    const rows = selectLatest.all(request.project, JSON.stringify(request.topics));
    const found = new Map(
      rows.map((row) => [row.topic, { ...row, tags: rowTags(row.tags), createdAt: row.created_at }]),
    );
    return recallBatchResult(request, found);
  };
}
