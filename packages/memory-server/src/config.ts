import type { Logger } from 'pino';
import { createLogger } from './logger';
import {
  positiveInteger,
  resolveRateLimit,
  type RateLimitConfig,
  type ResolvedRateLimit,
} from './rate-limit-config';
import type { PostgresPoolOptions } from './store/postgres/pg-pool';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES } from './store/reply-budget';
import { PROJECT_PATTERN } from './store/validation';
import { EXTRA_TOOL_NAMES, isExtraToolName, type ExtraToolName } from './tools/extra-tool-names';

/** `local`: generous limits for a memory server on your own machine. `hosted`: hosted Stompy's limits. */
export type ServerProfile = 'local' | 'hosted';

/** What a memory server is configured with; every field but `dbPath` has a default. */
export interface MemoryServerConfig extends RateLimitConfig {
  /**
   * Where every project's contexts live: a SQLite file (created when missing), `:memory:` for a
   * throwaway store, or a PostgreSQL database URL (`postgres://user:password@host:5432/db`) that any
   * number of servers share.
   */
  dbPath: string;
  /** Connection pool and time limits on PostgreSQL (ignored for SQLite): see `PostgresPoolOptions`. */
  postgres?: PostgresPoolOptions;
  /** Project used when a tool call names none; default `default`. */
  defaultProject?: string;
  /** Which limits apply; default `local`. */
  profile?: ServerProfile;
  /**
   * Which of this server's extra tools (`lock_context_batch`, `context_search_batch`,
   * `outcome_insights`) `tools/list` offers: `all`, `none` or a list of names. Local default `all`;
   * hosted default `none`, as hosted Stompy has none of them.
   */
  extraTools?: 'all' | 'none' | readonly string[];
  /** Largest `lock_context` content in UTF-8 bytes; local default 1 MiB, hosted default 100,000 (hosted Stompy's). */
  maxContentBytes?: number;
  /** Longest topic in characters; local default 200, hosted default 100. */
  maxTopicLength?: number;
  /**
   * Most content one `recall_batch` or `context_search` reply carries, in bytes of its JSON text
   * (default 8 MiB); entries past it come without content, marked `truncated: true`.
   */
  maxReplyContentBytes?: number;
  /**
   * Smallest share of new word shingles a `lock_context` must bring against the topic's latest version
   * (see `store/novelty.ts`), in [0, 1]; hosted default 0.10, local default off (`null`).
   */
  noveltyThreshold?: number | null;
  /** Where logs go; default a pino logger on stderr. */
  logger?: Logger;
  /** Clock in epoch milliseconds; default `Date.now`. Tests inject a fixed clock. */
  now?: () => number;
}

/** A validated {@link MemoryServerConfig} with every default filled in. */
export interface ResolvedConfig extends ResolvedRateLimit {
  readonly dbPath: string;
  readonly postgres: Required<Omit<PostgresPoolOptions, 'applicationName'>>;
  readonly defaultProject: string;
  readonly profile: ServerProfile;
  /** The extra tools offered, in `tools/list` order. */
  readonly extraTools: readonly ExtraToolName[];
  readonly maxContentBytes: number;
  readonly maxTopicLength: number;
  readonly maxReplyContentBytes: number;
  /** `null`: no novelty gate. */
  readonly noveltyThreshold: number | null;
  readonly logger: Logger;
  readonly now: () => number;
}

/** A configuration value that cannot be used; the message names the field and what it accepts. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PROFILE_DEFAULTS: Record<
  ServerProfile,
  Pick<ResolvedConfig, 'extraTools' | 'maxContentBytes' | 'maxTopicLength' | 'noveltyThreshold'>
> = {
  local: {
    extraTools: EXTRA_TOOL_NAMES,
    maxContentBytes: 1024 * 1024,
    maxTopicLength: 200,
    noveltyThreshold: null,
  },
  // Hosted Stompy's APIConfig: MAX_CONTENT_SIZE_BYTES = 100_000, MAX_TOPIC_LENGTH = 100; novelty under 10% refused.
  hosted: { extraTools: [], maxContentBytes: 100_000, maxTopicLength: 100, noveltyThreshold: 0.1 },
};

/** Validates a configuration and fills in the defaults of its profile; throws {@link ConfigError}. */
export function resolveConfig(config: MemoryServerConfig): ResolvedConfig {
  if (typeof config.dbPath !== 'string' || config.dbPath.trim() === '') {
    throw new ConfigError(
      'dbPath must be a non-empty path to a SQLite file (or ":memory:"), or a postgres:// database URL',
    );
  }
  const profile = config.profile ?? 'local';
  if (profile !== 'local' && profile !== 'hosted') {
    throw new ConfigError(`profile must be "local" or "hosted", got ${JSON.stringify(profile)}`);
  }
  const defaults = PROFILE_DEFAULTS[profile];
  const defaultProject = config.defaultProject ?? 'default';
  if (typeof defaultProject !== 'string' || !PROJECT_PATTERN.test(defaultProject)) {
    throw new ConfigError(
      `defaultProject must match ${String(PROJECT_PATTERN)} (a letter or digit, then up to 63 of letters, digits, _ . -), got ${JSON.stringify(defaultProject)}`,
    );
  }
  if (config.now !== undefined && typeof config.now !== 'function') {
    throw new ConfigError('now must be a function returning epoch milliseconds');
  }
  const fail = (message: string) => new ConfigError(message);
  const pg = config.postgres ?? {};
  return {
    dbPath: config.dbPath,
    postgres: {
      maxConnections: positiveInteger('postgres.maxConnections', pg.maxConnections ?? 10, fail),
      statementTimeoutMs: positiveInteger(
        'postgres.statementTimeoutMs',
        pg.statementTimeoutMs ?? 10_000,
        fail,
      ),
      connectTimeoutMs: positiveInteger('postgres.connectTimeoutMs', pg.connectTimeoutMs ?? 5000, fail),
    },
    defaultProject,
    profile,
    ...resolveRateLimit(config, profile === 'hosted', fail),
    extraTools: resolveExtraTools(config.extraTools, defaults.extraTools),
    maxContentBytes: positiveInteger(
      'maxContentBytes',
      config.maxContentBytes ?? defaults.maxContentBytes,
      fail,
    ),
    maxTopicLength: positiveInteger('maxTopicLength', config.maxTopicLength ?? defaults.maxTopicLength, fail),
    maxReplyContentBytes: positiveInteger(
      'maxReplyContentBytes',
      config.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES,
      fail,
    ),
    noveltyThreshold: orNull(config.noveltyThreshold, defaults.noveltyThreshold, (v) =>
      fraction('noveltyThreshold', v),
    ),
    logger: config.logger ?? createLogger(),
    now: config.now ?? Date.now,
  };
}

/** `null` (explicitly off) stays null, `undefined` takes the profile default, a number is checked. */
function orNull(
  given: number | null | undefined,
  fallback: number | null,
  check: (value: number) => number,
): number | null {
  const value = given === undefined ? fallback : given;
  return value === null ? null : check(value);
}

/** The extra tools `given` names (`all`, `none` or names), in `tools/list` order; unknown names are refused. */
function resolveExtraTools(
  given: 'all' | 'none' | readonly string[] | undefined,
  fallback: readonly ExtraToolName[],
): readonly ExtraToolName[] {
  if (given === undefined) return fallback;
  if (given === 'all') return EXTRA_TOOL_NAMES;
  if (given === 'none') return [];
  if (!Array.isArray(given)) {
    throw new ConfigError(
      `extraTools must be "all", "none" or a list of tool names, got ${JSON.stringify(given)}`,
    );
  }
  const unknown = given.filter((name) => typeof name !== 'string' || !isExtraToolName(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `extraTools (--extra-tools): unknown tool ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the extra tools are ${EXTRA_TOOL_NAMES.join(', ')}`,
    );
  }
  return EXTRA_TOOL_NAMES.filter((name) => given.includes(name));
}

function fraction(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(
      `${field} must be a number between 0 and 1 (e.g. 0.1 for 10%), or null to turn it off, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
