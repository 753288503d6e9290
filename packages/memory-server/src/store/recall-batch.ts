import type { Database } from 'better-sqlite3';
import { isoTime, rowTags, type ContextRow } from './context-row';
import { invalidInput } from './errors';
import { preview, PREVIEW_LENGTH } from './preview';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget, truncationMessage } from './reply-budget';
import type { StoreSettings } from './settings';
import type { RecallBatchEntry, RecallBatchInput, RecallBatchResult } from './types';
import { validateProject, validateTopic } from './validation';

/** Most topics one `recall_batch` call may ask for. */
export const MAX_BATCH_TOPICS = 50;

type BatchRow = Pick<ContextRow, 'id' | 'topic' | 'version' | 'tags' | 'priority' | 'created_at'> & {
  /** The first characters of the content, enough for its preview. */
  head: string;
};

/**
 * Prepares `recall_batch`: the latest version of up to {@link MAX_BATCH_TOPICS} topics in one query
 * (the topic list is bound as one JSON array). Unlike `recall_context` it counts no access: it is a
 * read-only call, cheap to make before every activity. The reply carries at most
 * `settings.maxReplyContentBytes` of content: the entries past it come with their preview instead of
 * their content, marked `truncated: true`, and the result says so (`truncated`, `message`).
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
  const read = db.transaction((project: string, topics: readonly string[], previewOnly: boolean) =>
    batchResult(topics, new Map(selectLatest.all(project, JSON.stringify(topics)).map((r) => [r.topic, r])), {
      previewOnly,
      budget: new ReplyBudget(settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES),
      contentOf: (id) => selectContent.get(id) ?? '',
    }),
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
    return read.deferred(project, topics, input.preview_only === true);
  };
}

/** How {@link batchResult} reads content: from whom, within which budget, or previews only. */
interface ContentReading {
  readonly previewOnly: boolean;
  readonly budget: ReplyBudget;
  readonly contentOf: (id: number) => string;
}

/** The `recall_batch` result of `topics` (in order) from their latest rows. */
function batchResult(
  topics: readonly string[],
  rows: ReadonlyMap<string, BatchRow>,
  reading: ContentReading,
): RecallBatchResult {
  const result: RecallBatchResult = { results: [], found: [], not_found: [] };
  const leftOut: string[] = [];
  for (const topic of topics) {
    const row = rows.get(topic);
    if (!row) {
      result.results.push({ topic, found: false });
      result.not_found.push(topic);
      continue;
    }
    const wanted = !reading.previewOnly;
    const content = wanted && !reading.budget.exhausted ? reading.contentOf(row.id) : undefined;
    const whole = content !== undefined && reading.budget.admit(content);
    if (wanted && !whole) leftOut.push(topic);
    const entry: RecallBatchEntry = {
      topic,
      found: true,
      version: row.version,
      ...(whole ? { content } : { preview: preview(row.head) }),
      ...(wanted && !whole ? { truncated: true as const } : {}),
      tags: rowTags(row.tags),
      priority: row.priority,
      locked_at: isoTime(row.created_at),
    };
    result.results.push(entry);
    result.found.push(topic);
  }
  if (leftOut.length === 0) return result;
  const message = truncationMessage(reading.budget.maxBytes, leftOut, 'recall_batch');
  return { ...result, truncated: true, message };
}
