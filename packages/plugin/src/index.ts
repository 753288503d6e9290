/**
 * `@temporal-stompy/plugin`: durable memory for Temporal workers. Add {@link StompyPlugin} to
 * `Worker.create({ plugins })`; read {@link recalledContext} in the activities where memory should
 * change a decision, and label the handling such an activity chose with {@link recordHandling}.
 *
 * @module
 */
export { StompyPlugin } from './plugin';
export { recalledContext, recordHandling } from './recall/attempt-scope';
export { StompyOptionsError } from './options/options-error';
export type {
  CommonMemoryOptions,
  EmbeddedMemoryOptions,
  HttpMemoryOptions,
  StdioMemoryOptions,
  StompyMemoryOptions,
} from './options/memory-options';
export type {
  CaptureOptions,
  OutboxOptions,
  RecallOptions,
  StompyPluginOptions,
} from './options/plugin-options';
export type { ActivityTagRule, KeyValue, TagRule, TypeMatcher, WorkflowTagRule } from './keys/tag-rules';
export type {
  AttemptKeyInsights,
  AttemptWindow,
  RecalledContext,
  RecalledMemory,
} from './recall/recalled-context';
export type {
  AttemptRisk,
  FailurePattern,
  IssueCount,
  Regression,
  RunCount,
  VersionCount,
} from '@temporal-stompy/insights';
export type { ExecutionKeys } from './common/execution-keys';
export type { PluginCounterValues } from './support/plugin-counters';
export type { FlushResult } from './recording/delivery/delivery-settings';
export type {
  DeliveryBacklog,
  KnownDeliveryBacklog,
  UnknownDeliveryBacklog,
} from './recording/delivery/delivery-backlog';
export type { CircuitState } from './recording/delivery/circuit-breaker';
export type { MemoryServerState } from './mcp/server-roster';
