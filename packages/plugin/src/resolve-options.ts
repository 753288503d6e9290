import { resolve as resolvePath } from 'node:path';
import type { SerializedWorkflowRule } from './common/workflow-rules';
import { statelessRegExp } from './common/stateless-regexp';
import type { MemoryTarget } from './memory/memory-target';
import { DEFAULT_REDACTED_KEYS, type RawCaptureSettings } from './worker/raw-capture';
import type { StompyPluginOptions } from './options';
import type { ActivityTagRule, TagRule, WorkflowTagRule } from './tag-rules';

/**
 * The memory connection after validation: a server over HTTP or stdio (exactly what the client
 * connects to), or the embedded server on a SQLite file (opened by the worker runtime).
 */
export type ResolvedMemory =
  | Extract<MemoryTarget, { kind: 'http' | 'stdio' }>
  | { kind: 'embedded'; dbPath: string; reason: 'default' | 'configured' | 'url-unset' };

/** Plugin options after validation, with every default filled in. */
export interface ResolvedOptions {
  memory: ResolvedMemory;
  project: string | undefined;
  timeoutMs: number;
  maxCallsPerMinute: number | undefined;
  activityRules: ActivityTagRule[];
  workflowRules: SerializedWorkflowRule[];
  recall: {
    enabled: boolean;
    budgetMs: number;
    perKeyLimit: number;
    cacheTtlMs: number;
    maxMemories: number;
  };
  outbox: { path: string; maxBytes: number; maxEntries: number };
  capture: RawCaptureSettings;
  shutdownFlushMs: number;
}

/** Thrown by the plugin's constructor for options that cannot work, saying which option and how to fix it. */
export class StompyOptionsError extends TypeError {
  constructor(message: string) {
    super(`StompyPlugin: ${message}`);
    this.name = 'StompyOptionsError';
  }
}

const TOP_KEYS = ['memory', 'rules', 'recall', 'outbox', 'capture', 'shutdownFlushMs', 'logger'] as const;
const CAPTURE_KEYS = ['args', 'result', 'redactKeys', 'maxChars'];
const COMMON_MEMORY_KEYS = ['project', 'timeoutMs', 'maxCallsPerMinute'];
const HTTP_KEYS = [...COMMON_MEMORY_KEYS, 'url', 'token', 'transport'];
const STDIO_KEYS = [...COMMON_MEMORY_KEYS, 'command', 'args', 'env', 'cwd'];
const EMBEDDED_KEYS = [...COMMON_MEMORY_KEYS, 'dbPath'];
const RECALL_KEYS = ['enabled', 'budgetMs', 'perKeyLimit', 'cacheTtlMs', 'maxMemories'];
const OUTBOX_KEYS = ['path', 'maxBytes', 'maxEntries'];
const ACTIVITY_RULE_KEYS = ['activity', 'tags', 'entities', 'eventTime', 'recall'];
const WORKFLOW_RULE_KEYS = ['workflow', 'tags', 'entities', 'eventTime'];
const WORKFLOW_PATH_ROOTS = ['args', 'memo', 'workflowId', 'workflowType'];
const ACTIVITY_PATH_ROOTS = ['args', 'info'];
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
  const maxCallsPerMinute = optionalNumber(
    'memory.maxCallsPerMinute',
    memory.maxCallsPerMinute,
    1,
    1_000_000,
  );
  return {
    memory: resolveMemory(memory, cwd),
    project,
    timeoutMs: optionalNumber('memory.timeoutMs', memory.timeoutMs, 1, 600_000) ?? 10_000,
    maxCallsPerMinute,
    // Messages name a rule by its index in `rules`, whatever its kind.
    activityRules: rules.flatMap((rule, i) => (isActivityRule(rule) ? [checkActivityRule(rule, i)] : [])),
    workflowRules: rules.flatMap((rule, i) => (isActivityRule(rule) ? [] : [serializeWorkflowRule(rule, i)])),
    recall: {
      enabled: optionalBoolean('recall.enabled', recall.enabled) ?? true,
      budgetMs: optionalNumber('recall.budgetMs', recall.budgetMs, 0, 60_000) ?? 150,
      perKeyLimit: optionalInteger('recall.perKeyLimit', recall.perKeyLimit, 1, 100) ?? 20,
      cacheTtlMs: optionalNumber('recall.cacheTtlMs', recall.cacheTtlMs, 0, 86_400_000) ?? 30_000,
      maxMemories: optionalInteger('recall.maxMemories', recall.maxMemories, 0, 100) ?? 10,
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

function resolveMemory(memory: Record<string, unknown>, cwd: string): ResolvedMemory {
  if ('url' in memory) {
    checkKeys('memory', memory, HTTP_KEYS);
    const transport = memory.transport ?? 'auto';
    if (transport !== 'auto' && transport !== 'streamable-http' && transport !== 'sse') {
      throw new StompyOptionsError(
        `memory.transport must be 'auto', 'streamable-http' or 'sse', not ${JSON.stringify(transport)}`,
      );
    }
    const url = optionalString('memory.url', memory.url);
    if (url === undefined || url === '')
      return { kind: 'embedded', dbPath: resolvePath(cwd, '.stompy/memory.db'), reason: 'url-unset' };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StompyOptionsError(
        `memory.url "${redactUrl(url)}" is not a URL; expected e.g. https://stompy.example/mcp`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new StompyOptionsError(`memory.url must be http: or https:, not ${parsed.protocol}`);
    }
    if (parsed.username || parsed.password) {
      throw new StompyOptionsError('memory.url must not carry credentials; pass memory.token instead');
    }
    return { kind: 'http', url: parsed, token: optionalString('memory.token', memory.token), transport };
  }
  if ('command' in memory) {
    checkKeys('memory', memory, STDIO_KEYS);
    const command = optionalString('memory.command', memory.command);
    if (!command) throw new StompyOptionsError('memory.command must be a non-empty string');
    const args = memory.args ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw new StompyOptionsError('memory.args must be an array of strings');
    }
    const env = memory.env as Record<string, string> | undefined;
    if (
      env !== undefined &&
      (typeof env !== 'object' || env === null || !Object.values(env).every((v) => typeof v === 'string'))
    ) {
      throw new StompyOptionsError('memory.env must map names to strings');
    }
    return { kind: 'stdio', command, args, env, cwd: optionalString('memory.cwd', memory.cwd) };
  }
  checkKeys(
    'memory',
    memory,
    EMBEDDED_KEYS,
    ' (give memory.url for a server over HTTP or memory.command for stdio)',
  );
  const dbPath = optionalString('memory.dbPath', memory.dbPath);
  return {
    kind: 'embedded',
    dbPath: resolvePath(cwd, dbPath ?? '.stompy/memory.db'),
    reason: dbPath ? 'configured' : 'default',
  };
}

function isKeyList(value: unknown): value is (string | RegExp)[] {
  return Array.isArray(value) && value.every((k) => typeof k === 'string' || k instanceof RegExp);
}

function isActivityRule(rule: TagRule): rule is ActivityTagRule {
  return typeof rule === 'object' && rule !== null && 'activity' in rule;
}

function checkActivityRule(rule: ActivityTagRule, index: number): ActivityTagRule {
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
  return rule;
}

function serializeWorkflowRule(rule: WorkflowTagRule, index: number): SerializedWorkflowRule {
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
  const serialized: SerializedWorkflowRule = {
    match: typeof m === 'string' ? { exact: m } : { pattern: m.source, flags: m.flags },
    tags: [...(rule.tags ?? [])],
    entities: { ...(rule.entities ?? {}) },
  };
  if (rule.eventTime !== undefined) serialized.eventTime = rule.eventTime;
  return serialized;
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

function checkKeys(where: string, value: object, allowed: readonly string[], hint = ''): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new StompyOptionsError(
        `unknown option ${where}.${key}; expected one of ${allowed.join(', ')}${hint}`,
      );
    }
  }
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new StompyOptionsError(`${name} must be a string`);
  return value;
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new StompyOptionsError(`${name} must be true or false`);
  return value;
}

function optionalNumber(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new StompyOptionsError(`${name} must be a number from ${min} to ${max}, not ${show(value)}`);
  }
  return value;
}

/** A count: a whole number (the memory server refuses a limit of 1.5 on every call). */
function optionalInteger(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new StompyOptionsError(`${name} must be a whole number from ${min} to ${max}, not ${show(value)}`);
  }
  return value as number;
}

function optionalPath(name: string, value: unknown): string | undefined {
  const path = optionalString(name, value);
  if (path !== undefined && path.trim() === '')
    throw new StompyOptionsError(`${name} must be a file path, not ""`);
  return path;
}

/** A value as message text: NaN and Infinity as themselves (JSON would say null). */
function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** An option group (`memory`, `recall`, ...): absent is `{}`; anything but a plain object is refused. */
function section(name: string, value: unknown, example: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StompyOptionsError(`${name} must be an object such as ${example}, not ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const logger = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error', 'child'].every((m) => typeof logger[m] === 'function');
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
