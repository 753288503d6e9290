import { isTimeZone } from '@temporal-stompy/insights';
import type { SerializedWorkflowRule } from '../common/workflow-rules';
import { describeMatcher } from '../keys/activity-keys';
import type { ActivityTagRule, TagRule, WorkflowTagRule } from '../keys/tag-rules';
import { checkKeys, optionalBoolean } from './option-checks';
import { StompyOptionsError } from './options-error';

const ACTIVITY_RULE_KEYS = ['activity', 'tags', 'entities', 'eventTime', 'recall', 'timeZone'];
const WORKFLOW_RULE_KEYS = ['workflow', 'tags', 'entities', 'eventTime', 'timeZone'];
const WORKFLOW_PATH_ROOTS = ['args', 'memo', 'workflowId', 'workflowType'];
const ACTIVITY_PATH_ROOTS = ['args', 'info'];

/** Whether a rule is an activity rule (a workflow rule otherwise, once validated). */
export function isActivityRule(rule: TagRule): rule is ActivityTagRule {
  return typeof rule === 'object' && rule !== null && 'activity' in rule;
}

/** Validates an activity rule; messages name it by its index in `rules`. */
export function checkActivityRule(rule: ActivityTagRule, index: number): ActivityTagRule {
  const where = `rules[${index}] (activity rule)`;
  if ('workflow' in rule)
    throw new StompyOptionsError(`${where}: give either 'activity' or 'workflow', not both`);
  checkKeys(where, rule, ACTIVITY_RULE_KEYS);
  const m = rule.activity;
  if (!(typeof m === 'string' || m instanceof RegExp || typeof m === 'function') || m === '') {
    throw new StompyOptionsError(`${where}: 'activity' must be a type name, a RegExp or a predicate`);
  }
  checkTags(where, rule.tags);
  if (rule.entities !== undefined && typeof rule.entities !== 'function') {
    if (typeof rule.entities !== 'object' || rule.entities === null || Array.isArray(rule.entities)) {
      throw new StompyOptionsError(
        `${where}: 'entities' must be a function or map entity names to paths such as 'args.0.customerId'`,
      );
    }
    checkPaths(where, rule.entities, ACTIVITY_PATH_ROOTS);
  }
  if (typeof rule.eventTime === 'string')
    checkPaths(where, { eventTime: rule.eventTime }, ACTIVITY_PATH_ROOTS);
  else if (rule.eventTime !== undefined && typeof rule.eventTime !== 'function') {
    throw new StompyOptionsError(`${where}: 'eventTime' must be a path or a function`);
  }
  optionalBoolean(`${where}.recall`, rule.recall);
  checkTimeZone(`${where} for ${describeMatcher(m)}`, rule.timeZone);
  return rule;
}

/** Validates a workflow rule and turns it into the plain JSON the workflow sandbox receives. */
export function serializeWorkflowRule(rule: WorkflowTagRule, index: number): SerializedWorkflowRule {
  const where = `rules[${index}] (workflow rule)`;
  if (typeof rule !== 'object' || rule === null || !('workflow' in rule)) {
    throw new StompyOptionsError(
      `rules[${index}]: a rule needs a matcher: 'activity' (type name, RegExp or predicate) or 'workflow' (type name or RegExp)`,
    );
  }
  checkKeys(where, rule, WORKFLOW_RULE_KEYS);
  const m: unknown = rule.workflow;
  if (typeof m === 'function') {
    throw new StompyOptionsError(
      `${where}: 'workflow' cannot be a predicate: workflow rules run inside the deterministic workflow sandbox, where worker functions cannot be called. Use a type name or a RegExp`,
    );
  }
  if (!(typeof m === 'string' && m !== '') && !(m instanceof RegExp)) {
    throw new StompyOptionsError(`${where}: 'workflow' must be a type name or a RegExp`);
  }
  checkTags(where, rule.tags);
  if (
    rule.entities !== undefined &&
    (typeof rule.entities !== 'object' || rule.entities === null || Array.isArray(rule.entities))
  ) {
    throw new StompyOptionsError(
      `${where}: 'entities' must map entity names to paths such as 'args.0.customerId'`,
    );
  }
  checkPaths(where, rule.entities ?? {}, WORKFLOW_PATH_ROOTS);
  if (rule.eventTime !== undefined) checkPaths(where, { eventTime: rule.eventTime }, WORKFLOW_PATH_ROOTS);
  checkTimeZone(`${where} for ${String(m)}`, rule.timeZone);
  const serialized: SerializedWorkflowRule = {
    match: typeof m === 'string' ? { exact: m } : { pattern: m.source, flags: m.flags },
    tags: [...(rule.tags ?? [])],
    entities: { ...(rule.entities ?? {}) },
  };
  if (rule.eventTime !== undefined) serialized.eventTime = rule.eventTime;
  if (rule.timeZone !== undefined) serialized.timeZone = rule.timeZone;
  return serialized;
}

/** A rule's time zone must be an IANA name this runtime knows: an unknown one would count nothing right. */
function checkTimeZone(where: string, timeZone: unknown): void {
  if (timeZone === undefined) return;
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
    throw new StompyOptionsError(
      `${where}: 'timeZone' must be an IANA time zone name such as 'UTC' or 'Europe/Berlin', not ${JSON.stringify(timeZone)}`,
    );
  }
}

function checkTags(where: string, tags: unknown): void {
  if (tags === undefined) return;
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && t.trim() !== '')) {
    throw new StompyOptionsError(`${where}: 'tags' must be an array of non-empty strings`);
  }
}

function checkPaths(where: string, paths: Readonly<Record<string, unknown>>, roots: readonly string[]): void {
  for (const [name, path] of Object.entries(paths)) {
    if (typeof path !== 'string' || !roots.includes(path.split('.')[0] ?? '')) {
      throw new StompyOptionsError(
        `${where}: '${name}' must be a path starting with ${roots.map((r) => `'${r}'`).join(', ')} (e.g. 'args.0.customerId'), not ${JSON.stringify(path)}`,
      );
    }
  }
}
