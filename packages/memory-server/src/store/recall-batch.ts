import type { Database } from 'better-sqlite3';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { invalidInput } from './errors';
import { preview } from './preview';
import type { StoreSettings } from './settings';
import type { RecallBatchEntry, RecallBatchInput, RecallBatchResult } from './types';
import { validateProject, validateTopic } from './validation';

/** Most topics one `recall_batch` call may ask for. */
export const MAX_BATCH_TOPICS = 50;

type BatchRow = Pick<ContextRow, 'topic' | 'version' | 'content' | 'tags' | 'priority' | 'created_at'>;

/**
 * Prepares `recall_batch`: the latest version of up to {@link MAX_BATCH_TOPICS} topics in one query
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
    const project = validateProject(input.project, settings.defaultProject);
    if (input.topics.length === 0 || input.topics.length > MAX_BATCH_TOPICS) {
      throw invalidInput(
        'topics',
        `must list 1 to ${MAX_BATCH_TOPICS} topics, got ${input.topics.length}: split larger batches`,
      );
    }
    const topics = [
      ...new Set(
        input.topics.map((topic, i) => validateTopic(topic, settings.maxTopicLength, `topics[${i}]`)),
      ),
    ];
    const rows = new Map(selectLatest.all(project, JSON.stringify(topics)).map((row) => [row.topic, row]));
    const result: RecallBatchResult = { results: [], found: [], not_found: [] };
    for (const topic of topics) {
      const row = rows.get(topic);
      if (!row) {
        result.results.push({ topic, found: false });
        result.not_found.push(topic);
        continue;
      }
      const entry: RecallBatchEntry = {
        topic,
        found: true,
        version: row.version,
        ...(input.preview_only === true ? { preview: preview(row.content) } : { content: row.content }),
        tags: rowTags(row.tags),
        priority: row.priority,
        locked_at: isoTime(row.created_at),
      };
      result.results.push(entry);
      result.found.push(topic);
    }
    return result;
  };
}
