import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
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
 * A real MCP client over stdio to a `stompy-memory stdio` child process on the same SQLite file. The
 * child runs its own clock, profile and limits (those of the CLI's defaults).
 */
export const connectStdio: McpConnector = async (deps) => {
  const client = new Client({ name: 'memory-server-tests-stdio', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [STOMPY_MEMORY_BIN, 'stdio', '--db', deps.config.dbPath],
      env: getDefaultEnvironment(),
      stderr: 'ignore',
    }),
  );
  return { client, close: () => client.close() };
};
