import { InvalidArgumentError, Option, type Command } from 'commander';
import type { MemoryServerConfig, ResolvedConfig, ServerProfile } from '../config';
import { HOSTED_PLAN_NAMES } from '../hosted-plans';
import { createLogger } from '../logger';

/** Where the memory lives when `--db` and `STOMPY_DATABASE_URL` name nothing. */
const DEFAULT_DB = '.stompy/memory.db';

/** The options every command that opens a store parses. */
export interface CommonOptions {
  db: string;
  pgMaxConnections?: number;
  pgStatementTimeoutMs?: number;
  profile: ServerProfile;
  project: string;
  plan?: string;
  ratePerMinute?: number;
  rateLimit?: number;
  burstPer10s?: number;
  extraTools?: string | true;
  maxReplyBytes?: number;
}

/** The options `serve` and `stdio` share: profile, project, plan, rate limits, extra tools. */
export function addCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--profile <profile>',
        "'hosted' emulates hosted Stompy: its 7 tools only, per-token rate limits (HTTP 429), 100,000-byte content, 100-character topics, the novelty gate",
      )
        .choices(['local', 'hosted'])
        .default('local'),
    )
    .option('--project <name>', 'default project for calls that name none', 'default')
    .option(
      '--pg-max-connections <n>',
      'PostgreSQL: most connections this server opens (default 10)',
      parsePositiveInt,
    )
    .option(
      '--pg-statement-timeout-ms <ms>',
      'PostgreSQL: longest a statement may run before it is cancelled (default 10000)',
      parsePositiveInt,
    )
    .addOption(
      new Option(
        '--plan <plan>',
        'hosted plan whose rate limits apply per token: free and beta 60/min + 20 per 10 s, pro 180 + 45, enterprise 300 + 75, admin 600 + 150 (hosted default free)',
      ).choices([...HOSTED_PLAN_NAMES]),
    )
    .option('--rate-per-minute <calls>', 'calls per minute per token (overrides the plan)', parsePositiveInt)
    .option('--rate-limit <calls>', 'the same as --rate-per-minute', parsePositiveInt)
    .option(
      '--burst-per-10s <calls>',
      'calls per 10 seconds per token (overrides the plan; at most the per-minute cap)',
      parsePositiveInt,
    )
    .option(
      '--max-reply-bytes <bytes>',
      'most content bytes one recall_batch or context_search reply carries (default 8 MiB); entries past it come without content, marked truncated',
      parsePositiveInt,
    )
    .option(
      '--extra-tools [names]',
      "this server's extra tools to offer: all (the flag alone), none, or a comma list of lock_context_batch, context_search_batch, outcome_insights (default: all for local, none for hosted)",
    );
}

/** The server configuration the shared options give. */
export function configFrom(opts: CommonOptions): MemoryServerConfig {
  const config: MemoryServerConfig = {
    dbPath: opts.db,
    profile: opts.profile,
    defaultProject: opts.project,
    postgres: {
      ...(opts.pgMaxConnections !== undefined ? { maxConnections: opts.pgMaxConnections } : {}),
      ...(opts.pgStatementTimeoutMs !== undefined ? { statementTimeoutMs: opts.pgStatementTimeoutMs } : {}),
    },
  };
  if (opts.plan !== undefined) config.plan = opts.plan;
  if (
    opts.ratePerMinute !== undefined &&
    opts.rateLimit !== undefined &&
    opts.ratePerMinute !== opts.rateLimit
  ) {
    throw new Error('--rate-per-minute and --rate-limit name the same limit: give one of them');
  }
  const perMinute = opts.ratePerMinute ?? opts.rateLimit;
  if (perMinute !== undefined) config.rateLimitPerMinute = perMinute;
  if (opts.burstPer10s !== undefined) config.burstPer10s = opts.burstPer10s;
  if (opts.extraTools !== undefined) config.extraTools = extraToolsFrom(opts.extraTools);
  if (opts.maxReplyBytes !== undefined) config.maxReplyContentBytes = opts.maxReplyBytes;
  return config;
}

/** `--extra-tools` alone: all; `all`, `none`, or a comma list of names (checked by resolveConfig). */
function extraToolsFrom(value: string | true): 'all' | 'none' | string[] {
  if (value === true || value === 'all') return 'all';
  if (value === 'none') return 'none';
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** What the startup line says about the limits, e.g. `, hosted plan free: 60 calls/min + 20 per 10 s per token, no extra tools`. */
export function describeLimits(config: ResolvedConfig): string {
  const limits = [
    config.rateLimitPerMinute === null ? undefined : `${config.rateLimitPerMinute} calls/min`,
    config.burstPer10s === null ? undefined : `${config.burstPer10s} per 10 s`,
  ].filter((part) => part !== undefined);
  const rate = limits.length === 0 ? 'no rate limit' : `${limits.join(' + ')} per token`;
  const plan = config.plan === null ? '' : ` plan ${config.plan}:`;
  const extras =
    config.extraTools.length === 0 ? 'no extra tools' : `extra tools ${config.extraTools.join(', ')}`;
  return `, ${config.profile}${plan} ${rate}, ${extras}`;
}

/** `--db`: a SQLite file or a PostgreSQL URL, also from `STOMPY_DATABASE_URL` (which keeps the password off argv). */
export function databaseOption(): Option {
  return new Option(
    '--db <file|url>',
    'SQLite file (created when missing), or a postgres:// URL that several servers share',
  )
    .env('STOMPY_DATABASE_URL')
    .default(DEFAULT_DB);
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A logger for one-shot commands: warnings and errors only. */
export function quietLogger() {
  return createLogger({ level: 'warn' });
}

/** Parses `--port`: 0 to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0-65535');
  return port;
}

/** Parses a whole number of 1 or more. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}
