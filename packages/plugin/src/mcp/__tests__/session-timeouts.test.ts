import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import pino from 'pino';
import { z } from 'zod';
import { McpSession } from '../mcp-session';
import { StompyUnavailableError } from '../stompy-errors';

// One slow call must not tear down the connection that delivery and recall share; a connection whose
// calls keep timing out is replaced.

const TIMEOUT_MS = 100;

function slowServer() {
  const state = { connects: 0, slow: false };
  const createServer = () => {
    state.connects += 1;
    const server = new McpServer({ name: 'slow', version: '0' });
    server.registerTool('context_search', { inputSchema: { query: z.string() } }, async () => {
      if (state.slow) await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
      return { content: [{ type: 'text', text: JSON.stringify({ results: [], total_found: 0 }) }] };
    });
    return server;
  };
  const session = new McpSession(
    { kind: 'in-process', createServer, description: 'slow' },
    TIMEOUT_MS,
    pino({ level: 'silent' }),
  );
  return { state, session };
}

it('keeps the connection after a call that timed out', async () => {
  const { state, session } = slowServer();
  try {
    await session.callTool('context_search', { query: 'a' });
    state.slow = true;
    await expect(session.callTool('context_search', { query: 'b' })).rejects.toBeInstanceOf(
      StompyUnavailableError,
    );
    state.slow = false;
    await session.callTool('context_search', { query: 'c' });
    expect(state.connects).toBe(1);
  } finally {
    await session.close();
  }
});

it('replaces a connection whose calls time out three times in a row', async () => {
  const { state, session } = slowServer();
  try {
    state.slow = true;
    for (let i = 0; i < 3; i++) {
      await expect(session.callTool('context_search', { query: 'x' })).rejects.toBeInstanceOf(
        StompyUnavailableError,
      );
    }
    state.slow = false;
    await session.callTool('context_search', { query: 'y' });
    expect(state.connects).toBe(2);
  } finally {
    await session.close();
  }
});

it('closes within its timeout even when the server process will not exit', async () => {
  // A stdio server that ignores SIGTERM and the end of its input: the SDK's own close waits seconds
  // for it (then kills it); a worker's shutdown must not.
  const server = require.resolve('@modelcontextprotocol/sdk/server/mcp.js');
  const stdio = require.resolve('@modelcontextprotocol/sdk/server/stdio.js');
  const child = `
    process.on('SIGTERM', () => undefined);
    setInterval(() => undefined, 1000);
    const { McpServer } = require(${JSON.stringify(server)});
    const { StdioServerTransport } = require(${JSON.stringify(stdio)});
    const mcp = new McpServer({ name: 'stubborn', version: '0' });
    mcp.registerTool('ping', {}, async () => ({ content: [{ type: 'text', text: '{}' }] }));
    void mcp.connect(new StdioServerTransport());
  `;
  const session = new McpSession(
    { kind: 'stdio', command: process.execPath, args: ['-e', child], env: undefined, cwd: undefined },
    10_000,
    pino({ level: 'silent' }),
  );
  await session.callTool('ping', {});
  const started = Date.now();
  await session.close(300);
  expect(Date.now() - started).toBeLessThan(1_500);
  await expect(session.callTool('ping', {})).rejects.toBeInstanceOf(StompyUnavailableError);
});
