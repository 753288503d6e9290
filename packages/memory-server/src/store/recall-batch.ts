import type { Database } from 'better-sqlite3';
import { rowTags, type ContextRow } from './context-row';
import { PREVIEW_LENGTH } from './preview';
import { recallBatchResult } from './recall-batch-result';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from './reply-budget';
import { recallBatchRequest } from './requests';
import type { StoreSettings } from './settings';
import type { RecallBatchInput, RecallBatchResult } from './types';

type BatchRow = Pick<ContextRow, 'id' | 'topic' | 'version' | 'tags' | 'priority' | 'created_at'> & {
  /** The first characters of the content, enough for its preview. */
  head: string;
};

/**
 * Prepares `recall_batch`: the latest version of up to 50 topics in one query (the topic list is bound
 * as one JSON array). Unlike `recall_context` it counts no access: it is a read-only call, cheap to make
 * before every activity. The reply carries at most `settings.maxReplyContentBytes` of content (see
 * `recallBatchResult`).
 */
export function prepareRecallBatch(
  db: Database,
  settings: StoreSettings,
): (input: RecallBatchInput) => RecallBatchResult {
  // Content is read topic by topic, only while the reply's budget lasts: a batch of huge contexts
  // reads what it sends, not all 50.
  const selectLatest = db.prepare<[string, string], BatchRow>(
    `SELECT id, topic, version, substr(content, 1, ${PREVIEW_LENGTH + 1}) AS head, tags, priority, created_at
     FROM contexts WHERE project = ? AND is_latest = 1 AND topic IN (SELECT value FROM json_each(?))`,
  );
  const selectContent = db.prepare<[number], string>('SELECT content FROM contexts WHERE id = ?').pluck();
  const read = db.transaction((input: RecallBatchInput) => {
    const request = recallBatchRequest(input, settings);
    const rows = selectLatest.all(request.project, JSON.stringify(request.topics));
    const found = new Map(
      rows.map((row) => [row.topic, { ...row, tags: rowTags(row.tags), createdAt: row.created_at }]),
    );
    const budget = new ReplyBudget(settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES);
    return recallBatchResult(request, found, budget, (version) => selectContent.get(version.id) ?? '');
  });
  return (input) => read.deferred(input);
}
