import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** Where the memory server is and how to speak to it; built from the plugin's `memory` option. */
export type MemoryTarget =
  | {
      kind: 'http';
      /** The MCP endpoint, e.g. `https://stompy.example/mcp` or `http://127.0.0.1:4123/mcp`. */
      url: URL;
      /** `auto` tries Streamable HTTP and falls back to legacy SSE when the server does not speak it. */
      transport: 'auto' | 'streamable-http' | 'sse';
      token: string | undefined;
    }
  | {
      kind: 'stdio';
      command: string;
      args: string[];
      /** Extra environment for the child (a stdio child otherwise gets only HOME, PATH and a few more). */
      env: Record<string, string> | undefined;
      cwd: string | undefined;
    }
  | {
      kind: 'in-process';
      /** Builds an MCP server living in this process (the embedded default). */
      createServer: () => McpServer;
      /** Describes the target in logs, e.g. the SQLite file path. */
      description: string;
    };

/** A log-safe one-line description of a target (never includes the token). */
export function describeTarget(target: MemoryTarget): string {
  switch (target.kind) {
    case 'http':
      return `${target.transport} ${redactedUrl(target.url)}`;
    case 'stdio':
      return `stdio ${target.command}`;
    case 'in-process':
      return `in-process ${target.description}`;
  }
}

/** A URL as logs and status show it: origin and path, never a query (which might carry a secret). */
export function redactedUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
