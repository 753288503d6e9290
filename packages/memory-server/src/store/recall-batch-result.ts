import { isoTime } from './context-row';
import { preview } from './preview';
import type { RecallBatchRequest } from './requests';
import type { RecallBatchResult } from './types';
import type { Priority } from './validation';

/** The latest version of a topic as an adapter read it for `recall_batch`. */
export interface BatchVersion {
  readonly version: string;
  readonly content: string;
  readonly tags: readonly string[];
  readonly priority: Priority;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/**
 * `recall_batch`'s result from the latest versions found (by topic): one entry per topic asked, in the
 * order asked, with `content` or, with `preview_only`, `preview`; then the topics found and not found.
 */
export function recallBatchResult(
  request: RecallBatchRequest,
  found: ReadonlyMap<string, BatchVersion>,
): RecallBatchResult {
  const result: RecallBatchResult = { results: [], found: [], not_found: [] };
  for (const topic of request.topics) {
    const row = found.get(topic);
    if (!row) {
      result.results.push({ topic, found: false });
      result.not_found.push(topic);
      continue;
    }
    result.results.push({
      topic,
      found: true,
      version: row.version,
      ...(request.previewOnly ? { preview: preview(row.content) } : { content: row.content }),
      tags: [...row.tags],
      priority: row.priority,
      locked_at: isoTime(row.createdAt),
    });
    result.found.push(topic);
  }
  return result;
}
