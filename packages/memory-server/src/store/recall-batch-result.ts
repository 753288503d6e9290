import { isoTime } from './context-row';
import { preview } from './preview';
import { truncationMessage, type ReplyBudget } from './reply-budget';
import type { RecallBatchRequest } from './requests';
import type { RecallBatchEntry, RecallBatchResult } from './types';
import type { Priority } from './validation';

/** The latest version of a topic as an adapter read it for `recall_batch`, content aside. */
export interface BatchVersion {
  readonly id: number;
  readonly version: string;
  /** The first characters of the content, enough for its preview. */
  readonly head: string;
  readonly tags: readonly string[];
  readonly priority: Priority;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/**
 * `recall_batch`'s result from the latest versions found (by topic): one entry per topic asked, in the
 * order asked, then the topics found and not found. An entry carries its content (`contentOf`, read
 * only while the reply's `budget` lasts; undefined: the adapter did not read it, as it cannot fit) or,
 * with `preview_only`, its preview. Entries past the budget come with their preview, marked
 * `truncated: true`, and the result says so (`truncated`, `message`).
 */
export function recallBatchResult(
  request: RecallBatchRequest,
  found: ReadonlyMap<string, BatchVersion>,
  budget: ReplyBudget,
  contentOf: (version: BatchVersion) => string | undefined,
): RecallBatchResult {
  const result: RecallBatchResult = { results: [], found: [], not_found: [] };
  const leftOut: string[] = [];
  for (const topic of request.topics) {
    const row = found.get(topic);
    if (!row) {
      result.results.push({ topic, found: false });
      result.not_found.push(topic);
      continue;
    }
    const wanted = !request.previewOnly;
    const content = wanted && !budget.exhausted ? contentOf(row) : undefined;
    const whole = content !== undefined && budget.admit(content);
    if (wanted && !whole) {
      budget.exhaust();
      leftOut.push(topic);
    }
    const entry: RecallBatchEntry = {
      topic,
      found: true,
      version: row.version,
      ...(whole ? { content } : { preview: preview(row.head) }),
      ...(wanted && !whole ? { truncated: true as const } : {}),
      tags: [...row.tags],
      priority: row.priority,
      locked_at: isoTime(row.createdAt),
    };
    result.results.push(entry);
    result.found.push(topic);
  }
  if (leftOut.length === 0) return result;
  return { ...result, truncated: true, message: truncationMessage(budget.maxBytes, leftOut, 'recall_batch') };
}
