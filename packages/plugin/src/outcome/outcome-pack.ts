import type { Priority } from '../mcp/result-forms';
import type { ContextWrite } from '../mcp/stompy-client';

/** Tag of every outcome pack. */
export const PACK_TAG = 'stompy-outcomes';
/** Most bytes of notes a pack holds: under hosted Stompy's 100,000-byte cap, with room for its header. */
export const PACK_MAX_BYTES = 90_000;
/** Most outcomes in one pack. */
export const PACK_MAX_OUTCOMES = 1_000;
/** Most tags a pack carries beside {@link PACK_TAG}: its outcomes' most frequent ones. */
const PACK_MAX_TAGS = 24;
const PACK_PRIORITY: Priority = 'reference';

/** One outcome in a pack: its topic, its note and tags, and when it happened when known. */
export interface PackedOutcome {
  readonly topic: string;
  readonly note: string;
  readonly tags: readonly string[];
  readonly eventTimeMs: number | undefined;
  readonly failed: boolean | undefined;
}

/**
 * Several outcomes' notes as one context, for a memory server that takes one write a call (hosted
 * Stompy): a header a person can read, then each outcome under its own topic line, so
 * `context_search` finds a pack by any word of its notes and a reader can find one outcome in it.
 * The same outcomes always give the same content and tags, so sending a pack again stores nothing new.
 */
export function outcomePack(topic: string, outcomes: readonly PackedOutcome[]): ContextWrite {
  const times = outcomes.flatMap((o) => (o.eventTimeMs === undefined ? [] : [o.eventTimeMs]));
  const failed = outcomes.filter((o) => o.failed === true).length;
  const span =
    times.length === 0
      ? ''
      : `, ${new Date(Math.min(...times)).toISOString()} to ${new Date(Math.max(...times)).toISOString()}`;
  const header = `Outcomes of Temporal executions recorded by temporal-stompy: ${outcomes.length} outcomes, ${failed} failed${span}.`;
  const body = outcomes.map((o) => `--- ${o.topic}\n${o.note}`).join('\n\n');
  return { topic, content: `${header}\n\n${body}`, tags: packTags(outcomes), priority: PACK_PRIORITY };
}

/** The pack tag and its outcomes' most frequent tags (ties by name), so tag filters find packs. */
function packTags(outcomes: readonly PackedOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const outcome of outcomes)
    for (const tag of new Set(outcome.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const frequent = [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, PACK_MAX_TAGS)
    .map(([tag]) => tag);
  return [PACK_TAG, ...frequent.filter((tag) => tag !== PACK_TAG)];
}
