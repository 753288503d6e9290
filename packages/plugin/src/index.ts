/**
 * `@temporal-stompy/plugin`: durable memory for Temporal workers. Add {@link StompyPlugin} to
 * `Worker.create({ plugins })`; read {@link recalledContext} in the activities where memory should
 * change a decision.
 *
 * @module
 */
export { StompyPlugin } from './plugin';
export { recalledContext } from './worker/recall-scope';
export { StompyOptionsError } from './resolve-options';
export type {
  CommonMemoryOptions,
  EmbeddedMemoryOptions,
  HttpMemoryOptions,
  StdioMemoryOptions,
  StompyMemoryOptions,
  StompyPluginOptions,
} from './options';
export type { ActivityTagRule, KeyValue, TagRule, TypeMatcher, WorkflowTagRule } from './tag-rules';
export type { IssueCount, KeySummary, RecalledContext, RecalledMemory } from './recalled-memory';
export type { ExecutionKeys } from './common/execution-keys';
export type { PluginCounterValues } from './worker/plugin-counters';
export { CONTEXT_HEADER, KEYS_HEADER } from './common/headers';
export { decodeRecalledContext } from './worker/context-header';
export { STOMPY_WORKFLOW_MODULE } from './plugin';
