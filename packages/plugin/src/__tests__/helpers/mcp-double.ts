import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

// A TEST DOUBLE of a memory server that answers Stompy's tool names with whatever a test says: garbage,
// or each of the forms hosted Stompy and older servers answer in. Our own server answers only in the
// newer forms and never with garbage, so the only way to see how the plugin copes with the others is
// to build one. It is made of the real parts: a real `McpServer` of the MCP SDK, served in-process
// (`answeringMcpServer`, for a `MemoryTarget` of kind 'in-process') or per request over real Streamable
// HTTP (`startMcpDouble`: `StreamableHTTPServerTransport`, stateless, loopback), so the plugin's client
// parses exactly what such a server would put on the wire.

/** The arguments a tool call carried (only Stompy's argument names are kept). */
export type ToolArgs = Record<string, unknown>;

/** A tool's answer: a fixed result, or one computed from the call's arguments. */
export type DoubleAnswer = CallToolResult | ((args: ToolArgs) => CallToolResult);

/** A running double. */
export interface McpDouble {
  /** The Streamable HTTP endpoint. */
  readonly url: string;
  /** Calls received per tool name. */
  readonly calls: Map<string, number>;
  close(): Promise<void>;
}

/** Every argument name Stompy's tools take (and our batch tool's `contexts`), each accepted as anything. */
const ANY_STOMPY_ARGS = Object.fromEntries(
  [
    'topic',
    'topics',
    'query',
    'tags',
    'limit',
    'content',
    'priority',
    'project',
    'force_store',
    'contexts',
  ].map((name) => [name, z.unknown().optional()]),
);

/** A text result: what Stompy sends, a JSON value serialized as text (here: any text at all). */
export function textResult(text: string, extra: Partial<CallToolResult> = {}): CallToolResult {
  return { content: [{ type: 'text', text }], ...extra };
}

/**
 * An `McpServer` that answers each named tool with `answers[name]` and tells `onCall` of each call;
 * other tools are unknown to it.
 */
export function answeringMcpServer(
  answers: Record<string, DoubleAnswer>,
  onCall: (tool: string, args: ToolArgs) => void = () => undefined,
): McpServer {
  const server = new McpServer({ name: 'stompy-double', version: '0.0.0' });
  for (const [name, answer] of Object.entries(answers)) {
    server.registerTool(name, { inputSchema: ANY_STOMPY_ARGS }, (args: ToolArgs) => {
      onCall(name, args);
      return typeof answer === 'function' ? answer(args) : answer;
    });
  }
  return server;
}

/** Starts an {@link answeringMcpServer} over Streamable HTTP on loopback, counting the calls per tool. */
export async function startMcpDouble(answers: Record<string, DoubleAnswer>): Promise<McpDouble> {
  const calls = new Map<string, number>();
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const server = answeringMcpServer(answers, (name) => calls.set(name, (calls.get(name) ?? 0) + 1));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    server
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
