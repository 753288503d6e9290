import { jsonResult, MemoryServerDouble } from '../../__tests__/helpers/memory-server-double';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { McpSession } from '../mcp-session';
import { StompyUnavailableError } from '../stompy-errors';

// One slow call must not tear down the connection that delivery and recall share; a connection whose
// calls keep timing out is replaced; closing is bounded even when the server will not exit.

const TIMEOUT_MS = 100;

describe('a session to a server whose calls may hang', () => {
  let server: MemoryServerDouble;
  let session: McpSession;
  beforeEach(() => {
    server = new MemoryServerDouble({
      answers: { context_search: jsonResult({ results: [], total_found: 0 }) },
    });
    session = new McpSession(server.target(), TIMEOUT_MS, silentLogger);
  });
  afterEach(async () => {
    await session.close();
    await server.close();
  });

  /** Calls that hang (until the session gives up on them). */
  async function expectHangingCallsToFail(count: number): Promise<void> {
    server.mode = 'hang';
    for (let i = 0; i < count; i++) {
      await expect(session.callTool('context_search', { query: `hang-${i}` })).rejects.toBeInstanceOf(
        StompyUnavailableError,
      );
    }
    server.mode = 'up';
  }

  it('keeps the connection after a call that timed out', async () => {
    await session.callTool('context_search', { query: 'a' });
    await expectHangingCallsToFail(1);
    await session.callTool('context_search', { query: 'c' });
    expect(server.mcpServersCreated).toBe(1);
  });

  it('replaces a connection whose calls time out three times in a row', async () => {
    await expectHangingCallsToFail(3);
    await session.callTool('context_search', { query: 'y' });
    expect(server.mcpServersCreated).toBe(2);
  });
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
    silentLogger,
  );
  await session.callTool('ping', {});
  const started = Date.now();
  await session.close(300);
  expect(Date.now() - started).toBeLessThan(1_500);
  await expect(session.callTool('ping', {})).rejects.toBeInstanceOf(StompyUnavailableError);
});
