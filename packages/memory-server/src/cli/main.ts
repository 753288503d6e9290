import { Command, Option } from 'commander';
import { resolveConfig } from '../config';
import { createStompyServer, openServerDeps, SERVER_VERSION } from '../create-server';
import { serveHttp } from '../serve-http';
import { DEFAULT_TEMPORAL_UI_URL } from '../web/web-page';
import { redactDatabaseUrl } from '../store/postgres/pg-pool';
import { isLoopbackHost } from '../transports/loopback';
import { serveStdio } from '../transports/stdio';
import { runInspect, type InspectCliOptions } from './inspect';
import { runMigrate, type MigrateCliOptions } from './migrate';
import {
  addCommonOptions,
  collect,
  configFrom,
  databaseOption,
  describeLimits,
  parsePort,
  parsePositiveInt,
  quietLogger,
  type CommonOptions,
} from './common-options';
import { serveTokens } from './serve-tokens';

/** Runs the `stompy-memory` command line (`serve`, `ui`, `stdio`, `migrate`, `inspect`) with the given argv. */
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

  const serve = addServeOptions(
    program
      .command('serve')
      .description(
        'serve MCP over Streamable HTTP (/mcp) and legacy SSE (/sse), REST under /api/v1, and the web page at /',
      ),
    4123,
  );
  addCommonOptions(serve).action((opts: ServeOptions) => startServing(serve, opts, false));

  const ui = addServeOptions(
    program
      .command('ui')
      .description(
        'serve only the read-only web page of a memory (what it learned) at / ; no MCP, no REST: safe on a live file',
      ),
    4124,
  );
  addCommonOptions(ui).action((opts: ServeOptions) => startServing(ui, opts, true));

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

/** The options `serve` and `ui` share: where to listen, the database, limits, tokens, the Temporal UI. */
function addServeOptions(command: Command, defaultPort: number): Command {
  return command
    .option(
      '--host <address>',
      'address to bind (any other than loopback needs a token of at least 16 characters)',
      '127.0.0.1',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', parsePort, defaultPort)
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
    )
    .option(
      '--temporal-ui <url>',
      "the Temporal Web UI's address, for the web page's links to runs",
      DEFAULT_TEMPORAL_UI_URL,
    );
}

/** Opens the store and serves it (`pageOnly`: the web page alone), until SIGINT or SIGTERM. */
async function startServing(command: Command, opts: ServeOptions, pageOnly: boolean): Promise<void> {
  const { tokens, onArgv } = serveTokens({
    tokenOption: opts.token,
    tokenOptionFromArgv: command.getOptionValueSource('token') === 'cli',
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
    temporalUiUrl: opts.temporalUi,
    pageOnly,
    ...(tokens.length > 0 ? { tokens } : {}),
  }).catch(async (error: unknown) => {
    await deps.store.close();
    throw error;
  });
  const db = redactDatabaseUrl(opts.db);
  process.stdout.write(
    pageOnly
      ? `stompy-memory web page on ${server.url}/ (db ${db}); Ctrl-C to stop\n`
      : `stompy-memory listening on ${server.url}/mcp (SSE: ${server.url}/sse, REST: ${server.url}/api/v1, web page: ${server.url}/), db ${db}${describeLimits(deps.config)}\n`,
  );
  onShutdown(async () => {
    await server.close();
    await deps.store.close();
  });
}

interface ServeOptions extends CommonOptions {
  host: string;
  port: number;
  maxConnections: number;
  token?: string[];
  tokenFile?: string;
  temporalUi: string;
}
type StdioOptions = CommonOptions;

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
