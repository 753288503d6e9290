import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveConfig, type MemoryServerConfig, type ResolvedConfig, type ServerProfile } from '../config';
import { createStompyServer, openServerDeps, SERVER_VERSION } from '../create-server';
import { HOSTED_PLAN_NAMES } from '../hosted-plans';
import { createLogger } from '../logger';
import { serveHttp } from '../serve-http';
import { redactDatabaseUrl } from '../store/postgres/pg-pool';
import { isLoopbackHost } from '../transports/loopback';
import { serveStdio } from '../transports/stdio';
import { runInspect, type InspectCliOptions } from './inspect';
import { runMigrate, type MigrateCliOptions } from './migrate';
import { serveTokens } from './serve-tokens';

const DEFAULT_DB = '.stompy/memory.db';

/** Runs the `stompy-memory` command line (`serve`, `stdio`, `inspect`) with the given argv. */
export function main(argv: readonly string[]): void {
  buildProgram()
    .parseAsync([...argv])
    .catch((error: unknown) => {
      process.stderr.write(`stompy-memory: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}

/** The commander program, exported so tests can parse arguments without starting anything. */
export function buildProgram(): Command {
  const program = new Command('stompy-memory')
    .description('A Stompy-compatible MCP memory server on SQLite + FTS5')
    .version(SERVER_VERSION)
    .showHelpAfterError();

  const serve = program
    .command('serve')
    .description('serve MCP over Streamable HTTP (/mcp) and legacy SSE (/sse), and REST under /api/v1')
    .option(
      '--host <address>',
      'address to bind (any other than loopback needs a token of at least 16 characters)',
      '127.0.0.1',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', parsePort, 4123)
    .addOption(databaseOption())
    .option(
      '--max-connections <n>',
      'most connections open at once; more are closed as they arrive, and logged',
      parsePositiveInt,
      1024,
    )
    .addOption(
      new Option(
        '--token <secret>',
        'bearer token a request must carry; repeat for several tokens, each with its own rate-limit budget',
      )
        .env('STOMPY_MEMORY_TOKEN')
        .argParser(collect),
    )
    .option(
      '--token-file <path>',
      'file of bearer tokens, one per line (blank lines ignored); safer than --token, which every local user sees in ps; STOMPY_TOKEN works too',
    );
  addCommonOptions(serve).action(async (opts: ServeOptions) => {
    const { tokens, onArgv } = serveTokens({
      tokenOption: opts.token,
      tokenOptionFromArgv: serve.getOptionValueSource('token') === 'cli',
      tokenFile: opts.tokenFile,
      env: process.env,
    });
    const config = resolveConfig(configFrom(opts));
    if (onArgv && !isLoopbackHost(opts.host)) {
      config.logger.warn(
        { host: opts.host },
        'memory server: --token on the command line is visible to every local user (ps); use --token-file or STOMPY_TOKEN',
      );
    }
    const deps = await openServerDeps(config);
    const server = await serveHttp(deps, {
      host: opts.host,
      port: opts.port,
      connections: { maxConnections: opts.maxConnections },
      ...(tokens.length > 0 ? { tokens } : {}),
    }).catch(async (error: unknown) => {
      await deps.store.close();
      throw error;
    });
    process.stdout.write(
      `stompy-memory listening on ${server.url}/mcp (SSE: ${server.url}/sse, REST: ${server.url}/api/v1), db ${redactDatabaseUrl(opts.db)}${describeLimits(deps.config)}\n`,
    );
    onShutdown(async () => {
      await server.close();
      await deps.store.close();
    });
  });

  const stdio = program
    .command('stdio')
    .description('serve MCP over stdin/stdout (for clients that start the server as a child process)')
    .addOption(databaseOption());
  addCommonOptions(stdio).action(async (opts: StdioOptions) => {
    const deps = await openServerDeps(resolveConfig(configFrom(opts)));
    try {
      await serveStdio(createStompyServer(deps));
    } finally {
      await deps.store.close();
    }
  });

  program
    .command('migrate')
    .description(
      'create or upgrade the schema of --db (servers do it on start too); with --from <file> --to <url>, copy a SQLite memory into an empty PostgreSQL database and verify the copy',
    )
    .addOption(databaseOption())
    .option('--from <file>', 'SQLite memory file to copy from')
    .option(
      '--to <url>',
      'empty PostgreSQL database to copy into (postgres://...); default --db when it is one, e.g. from STOMPY_DATABASE_URL',
    )
    .action(async (opts: MigrateCliOptions) => {
      process.stdout.write(await runMigrate(opts, quietLogger()));
    });

  program
    .command('inspect')
    .description('look into a memory file from a terminal: search it, show a topic, or list topics')
    .addOption(databaseOption())
    .option('--project <name>', 'project to look in', 'default')
    .option('--search <query>', 'full-text search (plain words)')
    .option('--tags <tags>', 'comma list of tags every result must carry')
    .option('--topic <topic>', 'show the latest version of one topic')
    .option('--limit <n>', 'most results', parsePositiveInt, 10)
    .option('--json', 'print raw JSON instead of text')
    .action(async (opts: InspectCliOptions) => {
      const deps = await openServerDeps(
        resolveConfig({ dbPath: opts.db, defaultProject: opts.project, logger: quietLogger() }),
      );
      try {
        process.stdout.write(await runInspect(deps.store, opts));
      } finally {
        await deps.store.close();
      }
    });

  return program;
}

interface CommonOptions {
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
interface ServeOptions extends CommonOptions {
  host: string;
  port: number;
  maxConnections: number;
  token?: string[];
  tokenFile?: string;
}
type StdioOptions = CommonOptions;

/** The options `serve` and `stdio` share: profile, project, plan, rate limits, extra tools. */
function addCommonOptions(command: Command): Command {
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

function configFrom(opts: CommonOptions): MemoryServerConfig {
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
function describeLimits(config: ResolvedConfig): string {
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
function databaseOption(): Option {
  return new Option(
    '--db <file|url>',
    'SQLite file (created when missing), or a postgres:// URL that several servers share',
  )
    .env('STOMPY_DATABASE_URL')
    .default(DEFAULT_DB);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function quietLogger() {
  return createLogger({ level: 'warn' });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0-65535');
  return port;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Closes cleanly on SIGINT/SIGTERM, once; a second signal exits at once. */
function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = (): void => {
    if (closing) process.exit(1);
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stompy-memory: error while closing: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
