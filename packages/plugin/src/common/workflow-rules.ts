import type { ExecutionKeys } from './execution-keys';
import { keyValue, readPath } from './value-path';
import { statelessRegExp } from './stateless-regexp';

/**
 * A workflow rule as it reaches the workflow sandbox: plain JSON, injected into the bundle at build
 * time. Workflow rules are declarative because they run inside the deterministic sandbox, where the
 * worker's functions cannot be called.
 */
export interface SerializedWorkflowRule {
  match: { exact: string } | { pattern: string; flags: string };
  tags: string[];
  /** Entity name to a path into the run's facts, e.g. `{customer: 'args.0.customerId'}`. */
  entities: Record<string, string>;
  /** A path to the business event time (an ISO string or epoch milliseconds). */
  eventTime?: string;
}

/** What a workflow rule's paths may read: `args.<i>...`, `memo...`, `workflowId`, `workflowType`. */
export interface WorkflowFacts {
  args: readonly unknown[];
  memo: Record<string, unknown> | undefined;
  workflowId: string;
  workflowType: string;
}

/** Each rule's pattern, compiled at its first use (null: it does not compile, so it matches nothing). */
const compiled = new WeakMap<SerializedWorkflowRule, RegExp | null>();

/** Whether a serialized rule applies to a workflow type. */
export function workflowRuleMatches(rule: SerializedWorkflowRule, workflowType: string): boolean {
  if ('exact' in rule.match) return rule.match.exact === workflowType;
  let pattern = compiled.get(rule);
  if (pattern === undefined) {
    try {
      pattern = statelessRegExp(rule.match.pattern, rule.match.flags);
    } catch {
      pattern = null;
    }
    compiled.set(rule, pattern);
  }
  return pattern?.test(workflowType) ?? false;
}

/**
 * Applies every matching rule to a run's facts and merges what they yield. Pure, synchronous and
 * deterministic; a path that reads nothing contributes nothing.
 */
export function extractWorkflowKeys(
  rules: readonly SerializedWorkflowRule[],
  facts: WorkflowFacts,
): ExecutionKeys {
  const tags = new Set<string>();
  const entities: Record<string, string> = {};
  let eventTime: string | undefined;
  for (const rule of rules) {
    if (!workflowRuleMatches(rule, facts.workflowType)) continue;
    rule.tags.forEach((t) => tags.add(t));
    for (const [name, path] of Object.entries(rule.entities)) {
      const value = keyValue(readPath(facts, path));
      if (value !== undefined) entities[name] = value;
    }
    if (rule.eventTime !== undefined) eventTime ??= eventTimeOf(readPath(facts, rule.eventTime));
  }
  const keys: ExecutionKeys = { tags: [...tags], entities };
  if (eventTime !== undefined) keys.eventTime = eventTime;
  return keys;
}

/** An event time as ISO text, from an ISO/date string, epoch milliseconds or a Date; else undefined. */
export function eventTimeOf(value: unknown): string | undefined {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value
        : typeof value === 'string'
          ? Date.parse(value)
          : NaN;
  // A Date holds at most 8.64e15 ms either side of 1970; past that toISOString() throws (a nanosecond
  // timestamp taken for milliseconds would otherwise cost a workflow run all its keys).
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}

/** The largest distance from the epoch a Date can hold, in milliseconds. */
const MAX_DATE_MS = 8.64e15;
