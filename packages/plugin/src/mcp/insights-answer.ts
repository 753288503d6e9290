// Reads the answer of our memory server's `outcome_insights` tool. Insights steer activities'
// decisions, so an answer that is not what the tool promises is refused whole (recall then computes
// insights from the memories it fetched), never half believed.
import type { BaseCounts, KeyInsights } from '@temporal-stompy/insights';
import { isObject, type JsonObject } from './tool-result';

/** The insights of the keys asked for, and the whole memory's counts they were smoothed toward. */
export interface InsightsAnswer {
  readonly base: BaseCounts;
  readonly insights: ReadonlyMap<string, KeyInsights>;
}

/** Reads an `outcome_insights` answer; undefined when it does not have the promised shape. */
export function readInsightsAnswer(body: JsonObject, keys: readonly string[]): InsightsAnswer | undefined {
  const base = body.base;
  if (!isObject(base) || !isCount(base.runs) || !isCount(base.failures)) return undefined;
  if (!Array.isArray(body.insights)) return undefined;
  const insights = new Map<string, KeyInsights>();
  for (const entry of body.insights as unknown[]) {
    const read = readKeyInsights(entry);
    if (!read) return undefined;
    insights.set(read.key, read);
  }
  if (!keys.every((key) => insights.has(key))) return undefined;
  return { base: Object.freeze({ runs: base.runs, failures: base.failures }), insights };
}

function readKeyInsights(value: unknown): KeyInsights | undefined {
  if (!isObject(value) || typeof value.key !== 'string' || typeof value.exact !== 'boolean') return undefined;
  if (!isCount(value.runs) || !isCount(value.failures) || !isRate(value.failureRate)) return undefined;
  if (typeof value.timeZone !== 'string') return undefined;
  const listsOk =
    everyEntry(value.windows, ['window', 'runs', 'failures', 'weightedRuns', 'weightedFailures'], []) &&
    everyEntry(
      value.patterns,
      ['window', 'runs', 'failures', 'failureRate', 'otherwiseRate', 'pValue'],
      ['label', 'reason'],
    ) &&
    everyEntry(value.commonIssues, ['count'], ['type']) &&
    everyEntry(value.versions, ['runs', 'failures', 'failureRate'], ['version', 'firstSeen']);
  if (!listsOk) return undefined;
  const byType = value.byType;
  if (!isObject(byType) || !isRunRecord(byType.workflow) || !isRunRecord(byType.activity)) return undefined;
  if (!isRunRecord(value.handling)) return undefined;
  const unhandled = value.unhandled;
  if (!isObject(unhandled) || !isCount(unhandled.runs) || !isCount(unhandled.failures)) return undefined;
  if (!isRunRecord(unhandled.byActivityType, false)) return undefined;
  const lastFailure = optional(value.lastFailure, (v) => hasFields(v, [], ['at', 'type', 'message']));
  const durationMs = optional(value.durationMs, (v) => hasFields(v, ['p50', 'p95'], []));
  const regression = optional(value.regression, (v) =>
    hasFields(
      v,
      ['runs', 'failures', 'failureRate', 'previousRate', 'previousRuns', 'pValue'],
      ['version', 'previousVersion', 'reason'],
    ),
  );
  if (lastFailure === false || durationMs === false || regression === false) return undefined;
  return deepFreeze({ ...value, lastFailure, durationMs, regression }) as unknown as KeyInsights;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function hasFields(value: unknown, numbers: readonly string[], strings: readonly string[]): boolean {
  return (
    isObject(value) &&
    numbers.every((name) => typeof value[name] === 'number' && Number.isFinite(value[name])) &&
    strings.every((name) => typeof value[name] === 'string')
  );
}

function everyEntry(list: unknown, numbers: readonly string[], strings: readonly string[]): boolean {
  return Array.isArray(list) && (list as unknown[]).every((entry) => hasFields(entry, numbers, strings));
}

/** A record of runs and failures (and a failure rate, unless `withRate` is false). */
function isRunRecord(value: unknown, withRate = true): boolean {
  if (!isObject(value)) return false;
  const fields = withRate ? ['runs', 'failures', 'failureRate'] : ['runs', 'failures'];
  return Object.values(value).every((entry) => hasFields(entry, fields, []));
}

/** An optional field: undefined when absent or null, the value when `valid`, false when malformed. */
function optional(value: unknown, valid: (value: unknown) => boolean): unknown {
  if (value === undefined || value === null) return undefined;
  return valid(value) ? value : false;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
