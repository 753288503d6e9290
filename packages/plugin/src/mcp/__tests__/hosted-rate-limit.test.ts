import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServerDeps,
  resolveConfig,
  serveHttp,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { McpSession } from '../mcp-session';
import type { MemoryTarget } from '../memory-target';
import { StompyToolError } from '../stompy-errors';

// Hosted Stompy answers a request over its per-minute or burst cap with HTTP 429 before any MCP
// handling, initialize included. Against our server's hosted emulation, on both HTTP transports, the
// session takes that for what it is: a refusal with the wait it names (so delivery waits and recall
// counts a rate-limited recall), not an outage; the connection stays, and serves once the wait is over.

const TOKEN = 'hosted-test-token';
const START_MS = Date.UTC(2026, 0, 1);

let dir: string;
let nowMs: number;
let deps: StompyServerDeps;
let server: RunningHttpServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hosted-rate-limit-'));
  nowMs = START_MS;
  deps = createServerDeps(
    resolveConfig({
      dbPath: join(dir, 'memory.db'),
      profile: 'hosted',
      rateLimitPerMinute: 6,
      burstPer10s: 6,
      logger: silentLogger,
      now: () => nowMs,
    }),
  );
  server = await serveHttp(deps, { tokens: [TOKEN] });
});
afterEach(async () => {
  await server.close();
  await deps.store.close();
  rmSync(dir, { recursive: true, force: true });
});

function target(transport: 'streamable-http' | 'sse'): MemoryTarget {
  return { kind: 'http', url: new URL(`${server.url}/mcp`), transport, token: TOKEN };
}

/** Calls until the server refuses; returns the refusal. */
async function callUntilRefused(session: McpSession): Promise<unknown> {
  for (let i = 0; i < 20; i++) {
    try {
      await session.callTool('context_dashboard', {});
    } catch (error) {
      return error;
    }
  }
  throw new Error('the server never refused');
}

describe.each(['streamable-http', 'sse'] as const)('over %s', (transport) => {
  it('a call over the limit is a rate-limit refusal with its wait, and the connection serves after it', async () => {
    const session = new McpSession(target(transport), 5_000, silentLogger);
    try {
      const refusal = await callUntilRefused(session);
      expect(refusal).toBeInstanceOf(StompyToolError);
      expect(refusal).toMatchObject({ code: 'rate_limit_exceeded', retryable: true });
      expect((refusal as StompyToolError).retryAfterSeconds).toBeGreaterThan(0);
      nowMs += 60_000;
      await expect(session.callTool('context_dashboard', {})).resolves.toMatchObject({});
    } finally {
      await session.close();
    }
  });
});

it('a connect refused for the rate limit is a refusal too, not an outage', async () => {
  const busy = new McpSession(target('streamable-http'), 5_000, silentLogger);
  const late = new McpSession(target('streamable-http'), 5_000, silentLogger);
  try {
    await callUntilRefused(busy);
    const refusal = await late.callTool('context_dashboard', {}).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StompyToolError);
    expect(refusal).toMatchObject({ code: 'rate_limit_exceeded' });
  } finally {
    await busy.close();
    await late.close();
  }
});
