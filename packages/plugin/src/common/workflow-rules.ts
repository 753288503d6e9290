import { describeEventTimeValue, eventTimeOf } from './event-time';
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
  /** The IANA time zone the run's outcomes are counted in (checked by the worker when it built the rules). */
  timeZone?: string;
}

/** An event time a rule read that is no time: left out (the run counts at its start), and reported. */
export interface RejectedEventTime {
  /** The rule, as its matcher reads: a type name or `/pattern/flags`. */
  readonly rule: string;
  /** The value, as {@link describeEventTimeValue} shows it. */
  readonly value: string;
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
 * Applies every matching rule to a run's facts and merges what they yield: the first event time and
 * the first time zone a matching rule gives win. Pure, synchronous and deterministic; a path that
 * reads nothing contributes nothing, and one that reads something that is no time is told to
 * `onRejectedEventTime` (the sandbox cannot log).
 */
export function extractWorkflowKeys(
  rules: readonly SerializedWorkflowRule[],
  facts: WorkflowFacts,
  onRejectedEventTime?: (rejected: RejectedEventTime) => void,
): ExecutionKeys {
  const tags = new Set<string>();
  const entities: Record<string, string> = {};
  let eventTime: string | undefined;
  let timeZone: string | undefined;
  for (const rule of rules) {
    if (!workflowRuleMatches(rule, facts.workflowType)) continue;
    rule.tags.forEach((t) => tags.add(t));
    for (const [name, path] of Object.entries(rule.entities)) {
      const value = keyValue(readPath(facts, path));
      if (value !== undefined) entities[name] = value;
    }
    if (rule.eventTime !== undefined && eventTime === undefined) {
      const value = readPath(facts, rule.eventTime);
      eventTime = eventTimeOf(value);
      if (eventTime === undefined && value !== undefined && value !== null)
        onRejectedEventTime?.({ rule: describeRuleMatch(rule), value: describeEventTimeValue(value) });
    }
    if (rule.timeZone !== undefined) timeZone ??= rule.timeZone;
  }
  const keys: ExecutionKeys = { tags: [...tags], entities };
  if (eventTime !== undefined) keys.eventTime = eventTime;
  if (timeZone !== undefined) keys.timeZone = timeZone;
  return keys;
}

/** A serialized rule's matcher as text: the type name, or `/pattern/flags`. */
export function describeRuleMatch(rule: SerializedWorkflowRule): string {
  return 'exact' in rule.match ? rule.match.exact : `/${rule.match.pattern}/${rule.match.flags}`;
}
