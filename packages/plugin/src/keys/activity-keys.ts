import type { Info as ActivityInfo } from '@temporalio/activity';
import type { Logger } from 'pino';
import { mergeKeys, type ExecutionKeys } from '../common/execution-keys';
import { keyValue, readPath } from '../common/value-path';
import { statelessRegExp } from '../common/stateless-regexp';
import { describeEventTimeValue, eventTimeOf } from '../common/event-time';
import type { ActivityTagRule, KeyValue, TypeMatcher } from './tag-rules';
import type { PluginCounters } from '../support/plugin-counters';
import { ThrottledLog } from '../support/throttled-log';

/** Shortest interval between two lines about one rule's unusable event times. */
const EVENT_TIME_LOG_INTERVAL_MS = 60_000;

/** A rule ready to apply: its matcher compiled, and its log of unusable event times once it had one. */
interface PreparedRule {
  readonly rule: ActivityTagRule;
  readonly matcher: TypeMatcher;
  eventTimeLog?: ThrottledLog;
}

/** The keys of one activity attempt and whether a rule asked to recall memory for it. */
export interface ActivityKeys {
  keys: ExecutionKeys;
  recall: boolean;
}

/**
 * Applies the activity tag rules to an attempt. Every rule runs in isolation: one that throws or
 * returns something unusable is skipped, logged and counted, and the others still apply.
 */
export class ActivityKeyExtractor {
  /** Each rule with its matcher ready: a RegExp is compiled once, without `g`/`y` (see statelessRegExp). */
  private readonly rules: readonly PreparedRule[];

  constructor(
    rules: readonly ActivityTagRule[],
    private readonly logger: Logger,
    private readonly counters: Pick<PluginCounters, 'add'>,
  ) {
    this.rules = rules.map((rule) => ({
      rule,
      matcher:
        rule.activity instanceof RegExp
          ? statelessRegExp(rule.activity.source, rule.activity.flags)
          : rule.activity,
    }));
  }

  /** Keys for an attempt: the workflow's inherited keys, then every matching rule's in order. */
  keysFor(info: ActivityInfo, args: readonly unknown[], inherited: ExecutionKeys | undefined): ActivityKeys {
    const found: ExecutionKeys[] = [];
    // Recall by default; a matching rule with `recall: false` turns it off.
    let recall = true;
    for (const prepared of this.rules) {
      const { rule, matcher } = prepared;
      if (!this.matches(matcher, info.activityType)) continue;
      try {
        const onRejected = (value: unknown): void =>
          this.rejectedEventTime(prepared, info.activityType, value);
        found.push(ruleKeys(rule, info, args, inherited ?? { tags: [], entities: {} }, onRejected));
        if (rule.recall === false) recall = false;
      } catch (error) {
        this.counters.add('ruleErrors');
        this.logger.warn(
          { err: error, activityType: info.activityType, rule: describeMatcher(rule.activity) },
          'an activity tag rule threw; skipping it (the activity runs as usual)',
        );
      }
    }
    return { keys: mergeKeys(inherited, ...found), recall };
  }

  /**
   * A rule's event time that is no time (unparseable, not finite, before 1900 or after 9999): the
   * attempt counts at its start. Counted each time, logged at most once a minute per rule.
   */
  private rejectedEventTime(prepared: PreparedRule, activityType: string, value: unknown): void {
    this.counters.add('ruleErrors');
    prepared.eventTimeLog ??= new ThrottledLog(this.logger, { intervalMs: EVENT_TIME_LOG_INTERVAL_MS });
    prepared.eventTimeLog.log(
      { activityType, rule: describeMatcher(prepared.rule.activity), value: describeEventTimeValue(value) },
      "an activity tag rule's eventTime is not a usable time; the attempt counts at its start",
    );
  }

  private matches(matcher: TypeMatcher, activityType: string): boolean {
    try {
      if (typeof matcher === 'string') return matcher === activityType;
      if (matcher instanceof RegExp) return matcher.test(activityType);
      return matcher(activityType) === true;
    } catch (error) {
      this.counters.add('ruleErrors');
      this.logger.warn(
        { err: error, activityType },
        'an activity rule matcher threw; treating it as no match',
      );
      return false;
    }
  }
}

function ruleKeys(
  rule: ActivityTagRule,
  info: ActivityInfo,
  args: readonly unknown[],
  inherited: ExecutionKeys,
  onRejectedEventTime: (value: unknown) => void,
): ExecutionKeys {
  const entities: Record<string, string> = {};
  const raw: Record<string, KeyValue> | undefined =
    typeof rule.entities === 'function'
      ? rule.entities(args, info, inherited)
      : rule.entities &&
        Object.fromEntries(
          Object.entries(rule.entities).map(([k, path]) => [k, readPath({ args, info }, path) as KeyValue]),
        );
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    // A string would otherwise become one entity per character ('0:n', '1:o', ...).
    throw new TypeError(
      `entities must return an object of entity names to values, not ${Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'object' && value !== null) {
      throw new TypeError(
        `entity '${name}' is an object; entity values are strings, numbers, bigints or booleans`,
      );
    }
    const text = keyValue(value);
    if (text !== undefined) entities[name] = text;
  }
  const keys: ExecutionKeys = { tags: [...(rule.tags ?? [])], entities };
  const value: unknown =
    typeof rule.eventTime === 'function'
      ? rule.eventTime(args, info)
      : rule.eventTime === undefined
        ? undefined
        : readPath({ args, info }, rule.eventTime);
  const time = eventTimeOf(value);
  if (time !== undefined) keys.eventTime = time;
  else if (value !== undefined && value !== null) onRejectedEventTime(value);
  if (rule.timeZone !== undefined) keys.timeZone = rule.timeZone;
  return keys;
}

/** A matcher as log text (never the args). */
export function describeMatcher(matcher: TypeMatcher): string {
  return typeof matcher === 'function' ? `predicate ${matcher.name || '(anonymous)'}` : String(matcher);
}
