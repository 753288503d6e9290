import type { Pool } from 'pg';
import { isoTime } from '../context-row';
import { recallNotFound } from '../errors';
import { recallBatchResult } from '../recall-batch-result';
import { recallBatchRequest, recallRequest } from '../requests';
import type { StoreSettings } from '../settings';
import type { RecallBatchInput, RecallBatchResult, RecallContextInput, RecallContextResult } from '../types';
import type { Priority } from '../validation';
import { inTransaction, onConnection } from './pg-pool';

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

/** `recall_batch` on PostgreSQL: the latest version of up to 50 topics in one read; counts no access. */
export async function recallBatch(
  pool: Pool,
  settings: StoreSettings,
  input: RecallBatchInput,
): Promise<RecallBatchResult> {
  const request = recallBatchRequest(input, settings);
  const { rows } = await onConnection(pool, (client) =>
    client.query<RecalledRow & { topic: string }>(
      `SELECT topic, version, content, tags, priority, created_at FROM contexts
       WHERE project = $1 AND is_latest AND topic = ANY($2::text[])`,
      [request.project, request.topics],
    ),
  );
  return recallBatchResult(
    request,
    new Map(rows.map((row) => [row.topic, { ...row, createdAt: row.created_at }])),
  );
}
