import type { Logger } from 'pino';
import { createLogger } from './logger';
import { PROJECT_PATTERN } from './store/validation';

/** `local`: generous limits for a memory server on your own machine. `hosted`: hosted Stompy's limits. */
export type ServerProfile = 'local' | 'hosted';

/** What a memory server is configured with; every field but `dbPath` has a default. */
export interface MemoryServerConfig {
  /** SQLite file holding every project's contexts (created when missing); `:memory:` for a throwaway store. */
  dbPath: string;
  /** Project used when a tool call names none; default `default`. */
  defaultProject?: string;
  /** Which limits apply; default `local`. */
  profile?: ServerProfile;
  /** Tool calls per sliding minute across the server; hosted default 60, local default unlimited (`null`). */
  rateLimitPerMinute?: number | null;
  /** Largest `lock_context` content in UTF-8 bytes; local default 1 MiB, hosted default 100 KiB. */
  maxContentBytes?: number;
  /** Longest topic in characters; local default 200, hosted default 100. */
  maxTopicLength?: number;
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
export interface ResolvedConfig {
  readonly dbPath: string;
  readonly defaultProject: string;
  readonly profile: ServerProfile;
  /** `null`: no rate limit. */
  readonly rateLimitPerMinute: number | null;
  readonly maxContentBytes: number;
  readonly maxTopicLength: number;
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
  Pick<ResolvedConfig, 'rateLimitPerMinute' | 'maxContentBytes' | 'maxTopicLength' | 'noveltyThreshold'>
> = {
  local: {
    rateLimitPerMinute: null,
    maxContentBytes: 1024 * 1024,
    maxTopicLength: 200,
    noveltyThreshold: null,
  },
  hosted: { rateLimitPerMinute: 60, maxContentBytes: 100 * 1024, maxTopicLength: 100, noveltyThreshold: 0.1 },
};

/** Validates a configuration and fills in the defaults of its profile; throws {@link ConfigError}. */
export function resolveConfig(config: MemoryServerConfig): ResolvedConfig {
  if (typeof config.dbPath !== 'string' || config.dbPath.trim() === '') {
    throw new ConfigError('dbPath must be a non-empty path to a SQLite file (or ":memory:")');
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
  return {
    dbPath: config.dbPath,
    defaultProject,
    profile,
    rateLimitPerMinute: orNull(config.rateLimitPerMinute, defaults.rateLimitPerMinute, (v) =>
      positiveInteger('rateLimitPerMinute', v),
    ),
    maxContentBytes: positiveInteger('maxContentBytes', config.maxContentBytes ?? defaults.maxContentBytes),
    maxTopicLength: positiveInteger('maxTopicLength', config.maxTopicLength ?? defaults.maxTopicLength),
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

function positiveInteger(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function fraction(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigError(
      `${field} must be a number between 0 and 1 (e.g. 0.1 for 10%), or null to turn it off, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
