import type { Info as ActivityInfo } from '@temporalio/activity';
import type { ExecutionKeys } from '../common/execution-keys';

/** Matches a type name: exactly (string), by pattern (RegExp) or by predicate (activity rules only). */
export type TypeMatcher = string | RegExp | ((typeName: string) => boolean);

/** A value an entity or event-time function may return; `undefined`/`null` mean "not this time". */
export type KeyValue = string | number | bigint | boolean | null | undefined;

/**
 * Tags and entities for activity attempts of matching types. Functions run in the worker process with
 * the activity's arguments, its info and the keys its workflow propagated; a function that throws is
 * skipped (and logged), and the activity runs as usual.
 */
export interface ActivityTagRule {
  /** Which activity types the rule applies to. */
  readonly activity: TypeMatcher;
  /** Tags added to every outcome and recall of matching activities. */
  readonly tags?: readonly string[];
  /**
   * Entities: a function of (args, info, workflow keys) or a map of entity name to a path into
   * `{args, info}` such as `'args.0.customerId'`. `{customer: 'C1'}` becomes the tag `customer:C1`.
   */
  entities?:
    | Readonly<Record<string, string>>
    | ((
        args: readonly unknown[],
        info: ActivityInfo,
        workflowKeys: ExecutionKeys,
      ) => Record<string, KeyValue> | undefined);
  /** The business event time (for time patterns): a path, or a function returning a Date, ISO string or epoch ms. */
  readonly eventTime?:
    string | ((args: readonly unknown[], info: ActivityInfo) => Date | string | number | undefined);
  /** Whether matching activities recall memory before they run; default true. */
  readonly recall?: boolean;
  /**
   * The IANA time zone (`'Europe/Berlin'`) the rule's outcomes are counted in for time windows (the
   * hour of the week insights look at); default: the workflow's, else `'UTC'`. Checked when the plugin is built.
   */
  readonly timeZone?: string;
}

/**
 * Tags and entities for workflow runs of matching types. Declarative (paths into `args`, `memo`,
 * `workflowId`) because they are applied inside the deterministic workflow sandbox. The run's keys
 * reach its activities and child workflows in headers, so an activity inherits `customer:C1`.
 */
export interface WorkflowTagRule {
  /** Which workflow types the rule applies to: a name or a RegExp (a predicate cannot enter the sandbox). */
  readonly workflow: string | RegExp;
  /** Tags added to the run's outcome and inherited by its activities. */
  readonly tags?: readonly string[];
  /** Entity name to a path into the run's facts, e.g. `{customer: 'args.0.customerId'}`. */
  readonly entities?: Readonly<Record<string, string>>;
  /** A path to the business event time (an ISO string or epoch milliseconds), e.g. `'args.0.placedAt'`. */
  readonly eventTime?: string;
  /**
   * The IANA time zone (`'Europe/Berlin'`) the rule's outcomes, and its activities' unless their own rule gives one, are counted in for time windows (the
   * hour of the week insights look at); default `'UTC'`. Checked when the plugin is built.
   */
  readonly timeZone?: string;
}

/** A tag rule: for activities (functions allowed) or for workflows (declarative). */
export type TagRule = ActivityTagRule | WorkflowTagRule;
