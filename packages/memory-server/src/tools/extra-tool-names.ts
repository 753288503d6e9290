/**
 * The tools this server offers beyond Stompy's seven, in the order `tools/list` gives them. Hosted
 * Stompy has none of them: the hosted profile offers them only when asked for (`extraTools`).
 */
export const EXTRA_TOOL_NAMES = ['lock_context_batch', 'context_search_batch', 'outcome_insights'] as const;

/** The name of one of this server's extra tools. */
export type ExtraToolName = (typeof EXTRA_TOOL_NAMES)[number];

/** Whether `name` names one of this server's extra tools. */
export function isExtraToolName(name: string): name is ExtraToolName {
  return (EXTRA_TOOL_NAMES as readonly string[]).includes(name);
}
