import { resolve as resolvePath } from 'node:path';
import type { SerializedWorkflowRule } from '../common/workflow-rules';
import { statelessRegExp } from '../common/stateless-regexp';
import type { ActivityTagRule, TagRule } from '../keys/tag-rules';
import { DEFAULT_REDACTED_KEYS, type RawCaptureSettings } from '../outcome/raw-capture';
import {
  checkKeys,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalPath,
  optionalString,
  section,
} from './option-checks';
import { resolveCallBudget, type CallBudgetSettings } from './resolve-call-budget';
import { StompyOptionsError } from './options-error';
import type { StompyPluginOptions } from './plugin-options';
import { resolveMemory, type ResolvedMemory } from './resolve-memory';
import { checkActivityRule, isActivityRule, serializeWorkflowRule } from './resolve-rules';

/** Plugin options after validation, with every default filled in. */
export interface ResolvedOptions {
  readonly memory: ResolvedMemory;
  readonly project: string | undefined;
  readonly timeoutMs: number;
  /** The cap on calls recall and delivery share; undefined: no cap. */
  readonly callBudget: CallBudgetSettings | undefined;
  readonly activityRules: readonly ActivityTagRule[];
  readonly workflowRules: readonly SerializedWorkflowRule[];
  readonly recall: {
    readonly enabled: boolean;
    readonly budgetMs: number;
    readonly perKeyLimit: number;
    readonly cacheTtlMs: number;
    readonly maxMemories: number;
    readonly halfLifeDays: number;
  };
  readonly outbox: { readonly path: string; readonly maxBytes: number; readonly maxEntries: number };
  readonly capture: RawCaptureSettings;
  readonly shutdownFlushMs: number;
}

const TOP_KEYS = ['memory', 'rules', 'recall', 'outbox', 'capture', 'shutdownFlushMs', 'logger'] as const;
const CAPTURE_KEYS = ['args', 'result', 'redactKeys', 'maxChars'];
const RECALL_KEYS = ['enabled', 'budgetMs', 'perKeyLimit', 'cacheTtlMs', 'maxMemories', 'halfLifeDays'];
const OUTBOX_KEYS = ['path', 'maxBytes', 'maxEntries'];
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Validates the plugin's options and fills in defaults; throws {@link StompyOptionsError} with a fix. */
export function resolveOptions(options: StompyPluginOptions = {}, cwd = process.cwd()): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new StompyOptionsError('options must be an object');
  checkKeys('options', options, TOP_KEYS);
  const memory = section('memory', options.memory, '{ url: ... }');
  if (options.logger !== undefined && !isLogger(options.logger)) {
    // A logger that cannot log would throw from the plugin's error paths, into the user's activities.
    throw new StompyOptionsError('logger must be a pino logger (with debug, info, warn, error and child)');
  }
  const project = optionalString('memory.project', memory.project);
  if (project !== undefined && !PROJECT.test(project)) {
    throw new StompyOptionsError(`memory.project "${project}" must be 1-64 letters, digits, '_', '.' or '-'`);
  }
  const rules: readonly TagRule[] = options.rules ?? [];
  if (!Array.isArray(options.rules ?? []))
    throw new StompyOptionsError('rules must be an array of tag rules');
  // `recall: false` or `capture: true` must not pass for "recall off" or "capture on" while meaning nothing.
  const recall = section('recall', options.recall, '{ enabled: false }');
  checkKeys('recall', recall, RECALL_KEYS);
  const outbox = section('outbox', options.outbox, '{ path: ... }');
  checkKeys('outbox', outbox, OUTBOX_KEYS);
  const capture = section('capture', options.capture, '{ args: true }');
  checkKeys('capture', capture, CAPTURE_KEYS);
  const redactKeyList: unknown = capture.redactKeys ?? DEFAULT_REDACTED_KEYS;
  if (!isKeyList(redactKeyList)) {
    throw new StompyOptionsError('capture.redactKeys must be an array of key names and RegExps');
  }
  const redactKeys = redactKeyList.map((key) =>
    typeof key === 'string' ? key : statelessRegExp(key.source, key.flags),
  );
  const callBudget = resolveCallBudget(memory);
  return {
    memory: resolveMemory(memory, cwd),
    project,
    timeoutMs: optionalNumber('memory.timeoutMs', memory.timeoutMs, 1, 600_000) ?? 10_000,
    callBudget,
    // Messages name a rule by its index in `rules`, whatever its kind.
    activityRules: rules.flatMap((rule, i) => (isActivityRule(rule) ? [checkActivityRule(rule, i)] : [])),
    workflowRules: rules.flatMap((rule, i) => (isActivityRule(rule) ? [] : [serializeWorkflowRule(rule, i)])),
    recall: {
      enabled: optionalBoolean('recall.enabled', recall.enabled) ?? true,
      budgetMs: optionalNumber('recall.budgetMs', recall.budgetMs, 0, 60_000) ?? 150,
      perKeyLimit: optionalInteger('recall.perKeyLimit', recall.perKeyLimit, 1, 100) ?? 20,
      cacheTtlMs: optionalNumber('recall.cacheTtlMs', recall.cacheTtlMs, 0, 86_400_000) ?? 30_000,
      maxMemories: optionalInteger('recall.maxMemories', recall.maxMemories, 0, 100) ?? 10,
      halfLifeDays: optionalNumber('recall.halfLifeDays', recall.halfLifeDays, 1, 3_650) ?? 28,
    },
    outbox: {
      path: resolvePath(cwd, optionalPath('outbox.path', outbox.path) ?? '.stompy/outbox.db'),
      maxBytes:
        optionalNumber('outbox.maxBytes', outbox.maxBytes, 1024, Number.MAX_SAFE_INTEGER) ?? 64 * 1024 * 1024,
      maxEntries:
        optionalInteger('outbox.maxEntries', outbox.maxEntries, 1, Number.MAX_SAFE_INTEGER) ?? 100_000,
    },
    capture: {
      args: optionalBoolean('capture.args', capture.args) ?? false,
      result: optionalBoolean('capture.result', capture.result) ?? false,
      redactKeys,
      maxChars: optionalInteger('capture.maxChars', capture.maxChars, 16, 100_000) ?? 2_000,
    },
    shutdownFlushMs: optionalNumber('shutdownFlushMs', options.shutdownFlushMs, 0, 600_000) ?? 5_000,
  };
}

function isKeyList(value: unknown): value is (string | RegExp)[] {
  return Array.isArray(value) && value.every((k) => typeof k === 'string' || k instanceof RegExp);
}

function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error', 'child'].every((m) => typeof logger[m] === 'function');
}
