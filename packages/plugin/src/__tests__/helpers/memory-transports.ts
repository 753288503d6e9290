import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StompyMemoryOptions } from '../../index';
import type { MemoryTarget } from '../../mcp/memory-target';

// "Over every transport": the ways the plugin's MCP client reaches a memory server, for tests that run
// the same thing over each (`it.each(REMOTE_TRANSPORTS)`, `describe.each(DOUBLE_TRANSPORTS)`). A
// transport turns a running server into the plugin's `MemoryTarget` (for McpSession) and, through
// `memoryOption`, into the `memory` option a worker's plugin is given. The memory server's own tests
// have a twin (`connect-transports.ts` there) that connects the MCP SDK's client instead of ours.

/** A running memory server a test reaches: the real one (`memory-over-http.ts`) or the double. */
export interface ServedMemory {
  /** `http://127.0.0.1:<port>`: Streamable HTTP at `/mcp`, legacy SSE at `/sse`. */
  readonly baseUrl: string;
  /** The bearer token its HTTP endpoints require, if any. */
  readonly token: string | undefined;
  /** A new MCP server on the same memory, in this process; absent when it cannot be reached so. */
  readonly createMcpServer?: () => McpServer;
  /** The SQLite file a `stompy-memory stdio` child can serve; absent for the double. */
  readonly dbPath?: string;
}

/** One way of reaching a {@link ServedMemory}. */
export interface MemoryTransport {
  /** As test names show it (`'records over $name'`). */
  readonly name: string;
  target(memory: ServedMemory): MemoryTarget;
}

/** The `stompy-memory` executable (the memory server's compiled CLI). */
const STOMPY_MEMORY_BIN = require.resolve('@temporal-stompy/memory-server/bin/stompy-memory.js');

const overHttp = (
  name: string,
  path: '/mcp' | '/sse',
  transport: 'auto' | 'streamable-http' | 'sse',
): MemoryTransport => ({
  name,
  target: (memory) => ({
    kind: 'http',
    url: new URL(`${memory.baseUrl}${path}`),
    transport,
    token: memory.token,
  }),
});

/** In this process, through the MCP SDK's in-memory transport (as the embedded server is reached). */
export const IN_PROCESS: MemoryTransport = {
  name: 'in-process',
  target: ({ createMcpServer, baseUrl }) => {
    if (!createMcpServer) throw new Error(`the memory server at ${baseUrl} cannot be reached in-process`);
    return {
      kind: 'in-process',
      createServer: createMcpServer,
      description: `in-process twin of ${baseUrl}`,
    };
  },
};

export const STREAMABLE_HTTP = overHttp('Streamable HTTP', '/mcp', 'streamable-http');
export const LEGACY_SSE = overHttp('legacy SSE', '/sse', 'sse');
/** `auto` at an SSE endpoint: Streamable HTTP is tried first and refused, so the client falls back. */
export const AUTO_FALLING_BACK_TO_SSE = overHttp('Streamable HTTP falling back to SSE', '/sse', 'auto');

/** A `stompy-memory stdio` child process on the server's SQLite file. */
export const STDIO: MemoryTransport = {
  name: 'stdio',
  target: ({ dbPath, baseUrl }) => {
    if (!dbPath) throw new Error(`the memory server at ${baseUrl} has no file a stdio child could serve`);
    return {
      kind: 'stdio',
      command: process.execPath,
      args: [STOMPY_MEMORY_BIN, 'stdio', '--db', dbPath],
      env: undefined,
      cwd: undefined,
    };
  },
};

/** Every transport a worker's `memory` option can name for a server of its own (not the embedded one). */
export const REMOTE_TRANSPORTS: readonly MemoryTransport[] = [
  STREAMABLE_HTTP,
  LEGACY_SSE,
  AUTO_FALLING_BACK_TO_SSE,
  STDIO,
];

/** Every transport the server double is served over (a stdio child would need a process of its own). */
export const DOUBLE_TRANSPORTS: readonly MemoryTransport[] = [IN_PROCESS, STREAMABLE_HTTP, LEGACY_SSE];

/** The plugin's `memory` option that reaches `target` (an in-process target has none: it is internal). */
export function memoryOption(target: MemoryTarget): StompyMemoryOptions {
  switch (target.kind) {
    case 'http':
      return {
        url: target.url.href,
        transport: target.transport,
        ...(target.token ? { token: target.token } : {}),
      };
    case 'stdio':
      return { command: target.command, args: target.args };
    case 'in-process':
      throw new Error('no memory option reaches an in-process server: give the plugin a URL or a command');
  }
}
