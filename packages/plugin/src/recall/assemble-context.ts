import type { KeyView } from './key-memories';
import type { KeySummary, RecalledContext, RecalledMemory } from './recalled-context';

/**
 * The context an attempt is handed: the most relevant memories across its keys (a memory found under
 * several keys counts once, at its best score), a summary per key, frozen. Undefined when nothing is
 * known of any key.
 */
export function assembleContext(
  keys: readonly string[],
  views: readonly (KeyView | undefined)[],
  settings: { readonly maxMemories: number; readonly complete: boolean; readonly recalledAt: string },
): RecalledContext | undefined {
  const byTopic = new Map<string, RecalledMemory>();
  const summaries: Record<string, KeySummary> = {};
  let any = false;
  keys.forEach((key, i) => {
    const view = views[i];
    if (!view) return;
    any = true;
    summaries[key] = view.summary;
    for (const memory of view.memories) {
      const seen = byTopic.get(memory.topic);
      if (!seen || seen.score < memory.score) byTopic.set(memory.topic, memory);
    }
  });
  if (!any) return undefined;
  const memories = [...byTopic.values()]
    .sort((a, b) => b.score - a.score || (b.time ?? '').localeCompare(a.time ?? ''))
    .slice(0, settings.maxMemories);
  return Object.freeze({
    keys: Object.freeze([...keys]),
    memories: Object.freeze(memories),
    summaries: Object.freeze(summaries),
    complete: settings.complete,
    recalledAt: settings.recalledAt,
  });
}
