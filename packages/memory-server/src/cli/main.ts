import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveConfig, type MemoryServerConfig, type ServerProfile } from '../config';
import { createServerDeps, createStompyServer, SERVER_VERSION } from '../create-server';
import { createLogger } from '../logger';
import { createRestApi } from '../rest/rest-api';
import { startHttpServer } from '../transports/http-server';
import { serveStdio } from '../transports/stdio';
import { runInspect, type InspectCliOptions } from './inspect';

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

  program
    .command('serve')
    .description('serve MCP over Streamable HTTP (/mcp) and legacy SSE (/sse)')
    .option('--host <address>', 'address to bind (any other than loopback needs --token)', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', parsePort, 4123)
    .option('--db <file>', 'SQLite file (created when missing)', DEFAULT_DB)
    .addOption(
      new Option('--token <secret>', 'bearer token every request must carry').env('STOMPY_MEMORY_TOKEN'),
    )
    .addOption(profileOption())
    .option('--project <name>', 'default project for calls that name none', 'default')
    .option('--rate-limit <calls>', 'tool calls per minute (hosted profile default 60)', parsePositiveInt)
    .action(async (opts: ServeOptions) => {
      const deps = createServerDeps(resolveConfig(configFrom(opts)));
      const server = await startHttpServer({
        createMcpServer: () => createStompyServer(deps),
        rest: createRestApi(deps),
        logger: deps.config.logger,
        host: opts.host,
        port: opts.port,
        ...(opts.token ? { token: opts.token } : {}),
      }).catch((error: unknown) => {
        deps.store.close();
        throw error;
      });
      process.stdout.write(
        `stompy-memory listening on ${server.url}/mcp (SSE: ${server.url}/sse, REST: ${server.url}/api/v1), db ${opts.db}\n`,
      );
      onShutdown(async () => {
        await server.close();
        deps.store.close();
      });
    });

  program
    .command('stdio')
    .description('serve MCP over stdin/stdout (for clients that start the server as a child process)')
    .option('--db <file>', 'SQLite file (created when missing)', DEFAULT_DB)
    .addOption(profileOption())
    .option('--project <name>', 'default project for calls that name none', 'default')
    .option('--rate-limit <calls>', 'tool calls per minute (hosted profile default 60)', parsePositiveInt)
    .action(async (opts: StdioOptions) => {
      const deps = createServerDeps(resolveConfig(configFrom(opts)));
      try {
        await serveStdio(createStompyServer(deps));
      } finally {
        deps.store.close();
      }
    });

  program
    .command('inspect')
    .description('look into a memory file from a terminal: search it, show a topic, or list topics')
    .option('--db <file>', 'SQLite file', DEFAULT_DB)
    .option('--project <name>', 'project to look in', 'default')
    .option('--search <query>', 'full-text search (plain words)')
    .option('--tags <tags>', 'comma list of tags every result must carry')
    .option('--topic <topic>', 'show the latest version of one topic')
    .option('--limit <n>', 'most results', parsePositiveInt, 10)
    .option('--json', 'print raw JSON instead of text')
    .action((opts: InspectCliOptions) => {
      const deps = createServerDeps(
        resolveConfig({ dbPath: opts.db, defaultProject: opts.project, logger: quietLogger() }),
      );
      try {
        process.stdout.write(runInspect(deps.store, opts));
      } finally {
        deps.store.close();
      }
    });

  return program;
}

interface CommonOptions {
  db: string;
  profile: ServerProfile;
  project: string;
  rateLimit?: number;
}
interface ServeOptions extends CommonOptions {
  host: string;
  port: number;
  token?: string;
}
type StdioOptions = CommonOptions;

function configFrom(opts: CommonOptions): MemoryServerConfig {
  const config: MemoryServerConfig = { dbPath: opts.db, profile: opts.profile, defaultProject: opts.project };
  if (opts.rateLimit !== undefined) config.rateLimitPerMinute = opts.rateLimit;
  return config;
}

function profileOption(): Option {
  return new Option('--profile <profile>', "'hosted' emulates hosted Stompy's limits")
    .choices(['local', 'hosted'])
    .default('local');
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
