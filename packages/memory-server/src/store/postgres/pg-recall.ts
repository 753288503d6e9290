import type { Pool } from 'pg';
import { isoTime } from '../context-row';
import { recallNotFound } from '../errors';
import { PREVIEW_LENGTH } from '../preview';
import { recallBatchResult } from '../recall-batch-result';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from '../reply-budget';
import { recallBatchRequest, recallRequest } from '../requests';
import type { StoreSettings } from '../settings';
import type { RecallBatchInput, RecallBatchResult, RecallContextInput, RecallContextResult } from '../types';
import type { Priority } from '../validation';
import { inTransaction, onConnection } from './pg-pool';

/** A latest version as `recall_batch` reads it: its preview's head, and its content when it may fit. */
interface BatchRow {
  id: number;
  topic: string;
  version: string;
  head: string;
  content: string | null;
  tags: string[];
  priority: Priority;
  created_at: number;
}

interface RecalledRow {
  id: number;
  version: string;
  content: string;
  tags: string[];
  priority: Priority;
  created_at: number;
}

/**
 * `recall_context` on PostgreSQL: one version of a topic (latest unless named) with its live versions,
 * counting the access, in one transaction. The access count is one row update, which waits only on a
 * write to that same version.
 */
export async function recallContext(
  pool: Pool,
  settings: StoreSettings,
  input: RecallContextInput,
): Promise<RecallContextResult> {
  const { project, topic, version } = recallRequest(input, settings);
  return inTransaction(pool, async (client) => {
    const counted = await client.query<RecalledRow & { access_count: number }>(
      `UPDATE contexts SET access_count = access_count + 1
       WHERE id = (SELECT id FROM contexts WHERE project = $1 AND topic = $2
                   AND ${version === 'latest' ? 'is_latest' : 'version = $3 AND archived_at IS NULL'})
       RETURNING id, version, content, tags, priority, created_at, access_count`,
      version === 'latest' ? [project, topic] : [project, topic, version],
    );
    const versions = await client.query<{ version: string }>(
      'SELECT version FROM contexts WHERE project = $1 AND topic = $2 AND archived_at IS NULL ORDER BY minor',
      [project, topic],
    );
    const names = versions.rows.map((row) => row.version);
    const row = counted.rows[0];
    if (row === undefined) throw recallNotFound(project, topic, version, names);
    return {
      topic,
      version: row.version,
      content: row.content,
      tags: row.tags,
      priority: row.priority,
      locked_at: isoTime(row.created_at),
      access_count: row.access_count,
      versions: names,
    };
  });
}

/**
 * `recall_batch` on PostgreSQL: the latest version of up to 50 topics in one read; counts no access.
 * Content is read only for the topics (in the order asked) whose running total of content bytes fits
 * the reply's budget: a topic's content costs at least its bytes in the reply, so no content the
 * budget would admit is left unread, and a batch of huge contexts never reads all of them.
 */
export async function recallBatch(
  pool: Pool,
  settings: StoreSettings,
  input: RecallBatchInput,
): Promise<RecallBatchResult> {
  const request = recallBatchRequest(input, settings);
  const maxBytes = settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES;
  const { rows } = await onConnection(pool, (client) =>
    client.query<BatchRow>(
      `SELECT id, topic, version, head, tags, priority, created_at,
         CASE WHEN $4 OR running_bytes > $3 THEN NULL ELSE content END AS content
       FROM (SELECT id, topic, version, substr(content, 1, ${PREVIEW_LENGTH + 1}) AS head, content, tags,
               priority, created_at,
               sum(octet_length(content)) OVER (ORDER BY array_position($2::text[], topic)) AS running_bytes
             FROM contexts WHERE project = $1 AND is_latest AND topic = ANY($2::text[])) AS latest`,
      [request.project, request.topics, maxBytes, request.previewOnly],
    ),
  );
  const found = new Map(rows.map((row) => [row.topic, { ...row, createdAt: row.created_at }]));
  const contents = new Map(
    rows.flatMap((row) => (row.content === null ? [] : [[row.id, row.content] as const])),
  );
  return recallBatchResult(request, found, new ReplyBudget(maxBytes), (version) => contents.get(version.id));
}
