import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolveConfig, type ResolvedConfig } from '../../config';
import { createStompyServer } from '../../create-server';
import { startHttpServer } from '../../transports/http-server';
import type { McpConnector } from './connect-in-memory';

/** The token the HTTP connectors' servers require. */
export const TEST_TOKEN = 'test-token-b9f2';

/** The `stompy-memory` executable (the compiled CLI; the test command builds it first). */
export const STOMPY_MEMORY_BIN = require.resolve('../../../bin/stompy-memory.js');

function httpConnector(kind: 'streamable-http' | 'sse'): McpConnector {
  return async (deps) => {
    const server = await startHttpServer({
      createMcpServer: () => createStompyServer(deps),
      logger: deps.config.logger,
      token: TEST_TOKEN,
    });
    const requestInit = { headers: { Authorization: `Bearer ${TEST_TOKEN}` } };
    const transport =
      kind === 'sse'
        ? new SSEClientTransport(new URL(`${server.url}/sse`), { requestInit })
        : new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit });
    const client = new Client({ name: `memory-server-tests-${kind}`, version: '0.0.0' });
    await client.connect(transport);
    return {
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  };
}

/** A real MCP client over Streamable HTTP (with a bearer token) to `startHttpServer`. */
export const connectStreamableHttp: McpConnector = httpConnector('streamable-http');

/** A real MCP client over the legacy SSE transport (with a bearer token) to `startHttpServer`. */
export const connectSse: McpConnector = httpConnector('sse');

/**
 * A real MCP client over stdio to a `stompy-memory stdio` child process on the harness's SQLite file.
 * The child gets the harness's profile, default project and rate limit as flags; it runs its own
 * clock, logger and rate limiter (tests that need the harness's are in-process only: see
 * `transports.ts`). A configuration the flags cannot express is refused rather than run differently.
 */
export const connectStdio: McpConnector = async (deps) => {
  const args = [STOMPY_MEMORY_BIN, 'stdio', ...stdioFlags(deps.config)];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: getDefaultEnvironment(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const client = new Client({ name: 'memory-server-tests-stdio', version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`stompy-memory ${args.slice(1).join(' ')} did not start: ${String(error)}\n${stderr}`);
  }
  return { client, close: () => client.close() };
};

/** The `stompy-memory stdio` flags that give a child process `config`'s database and limits. */
function stdioFlags(config: ResolvedConfig): string[] {
  const flags = ['--db', config.dbPath, '--profile', config.profile, '--project', config.defaultProject];
  if (config.rateLimitPerMinute !== null) flags.push('--rate-limit', String(config.rateLimitPerMinute));
  // No burst cap under a per-minute cap: a burst as large as the minute's cap never binds.
  const burst = config.burstPer10s ?? config.rateLimitPerMinute;
  if (burst !== null) flags.push('--burst-per-10s', String(burst));
  flags.push('--extra-tools', config.extraTools.length === 0 ? 'none' : config.extraTools.join(','));
  const child = resolveConfig({
    dbPath: config.dbPath,
    profile: config.profile,
    defaultProject: config.defaultProject,
    logger: config.logger,
    extraTools: config.extraTools,
    ...(config.rateLimitPerMinute !== null ? { rateLimitPerMinute: config.rateLimitPerMinute } : {}),
    ...(burst !== null ? { burstPer10s: burst } : {}),
  });
  if (child.burstPer10s !== burst)
    throw new Error(`the stdio connector cannot give a child process burstPer10s ${String(burst)}`);
  for (const key of [
    'rateLimitPerMinute',
    'maxContentBytes',
    'maxTopicLength',
    'noveltyThreshold',
  ] as const) {
    if (child[key] !== config[key]) {
      throw new Error(
        `the stdio connector cannot give a child process ${key} ${String(config[key])} (its flags give ${String(child[key])})`,
      );
    }
  }
  return flags;
}
