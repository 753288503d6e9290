import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expectGoDecodes } from './helpers/go-decode';
import { startHostedServer, TOKEN_A, type HostedServer } from './helpers/hosted-server';
import { stringMatching } from './helpers/matchers';
import { APIError } from './helpers/stompy-cli-structs';

// What a call over the limit gets under the hosted profile, on every transport: HTTP 429 from the
// server before any MCP or REST handling (as hosted Stompy's rate-limit middleware answers), with
// Retry-After, X-RateLimit-* and one JSON body that Stompy's CLI reads as its API error. A call within
// the limit carries the X-RateLimit-* headers of the tightest window.

const AUTH = { Authorization: `Bearer ${TOKEN_A}` };
/** The body of the answer to the 4th call of a minute with a 3-call cap. */
const REFUSAL = {
  status_code: 429,
  error: 'rate_limit_exceeded',
  message: stringMatching(/^Rate limit exceeded: 3 calls per minute\. Retry after 60 s/),
  retry_after_seconds: 60,
  limit: 3,
  window_seconds: 60,
};
/** Epoch seconds of the end of the FakeClock's first minute (2026-01-01T00:01:00Z). */
const MINUTE_END = String(Date.UTC(2026, 0, 1, 0, 1) / 1000);

let s: HostedServer;
beforeEach(async () => {
  s = await startHostedServer({ rateLimitPerMinute: 3 });
});
afterEach(async () => {
  await s.close();
});

function expectRefusalHeaders(headers: Headers): void {
  expect(headers.get('content-type')).toBe('application/json');
  expect(headers.get('retry-after')).toBe('60');
  expect(headers.get('x-ratelimit-limit')).toBe('3');
  expect(headers.get('x-ratelimit-remaining')).toBe('0');
  expect(headers.get('x-ratelimit-reset')).toBe(MINUTE_END);
}

it('bare JSON-RPC (what the stompy CLI sends): X-RateLimit-* within the limit, then 429 with the body', async () => {
  const first = await s.call('context_dashboard');
  expect(first.status).toBe(200);
  expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual([
    '3',
    '2',
  ]);
  expect(first.headers.get('x-ratelimit-reset')).toBe(MINUTE_END);
  await s.call('context_dashboard');
  await s.call('context_dashboard');
  const refused = await s.call('lock_context', { topic: 't', content: 'never stored' });
  expect(refused.status).toBe(429);
  expectRefusalHeaders(refused.headers);
  expect(refused.body).toEqual(REFUSAL);
  expectGoDecodes(refused.body, APIError);
  expect((await s.deps.store.dashboard()).total_versions).toBe(0);
  expect(s.logs.at(-1)).toMatchObject({
    level: 40,
    component: 'rate-limit',
    caller: stringMatching(/^token:[0-9a-f]{12}$/),
    path: '/mcp',
    limit: 3,
    msg: stringMatching(/rate limit exceeded/),
  });
  expect(JSON.stringify(s.logs)).not.toContain(TOKEN_A);
});

it('MCP over Streamable HTTP: the SDK client rejects with StreamableHTTPError 429 carrying the body', async () => {
  const client = new Client({ name: 'over-limit', version: '0' });
  // initialize and its notification are two requests of the three
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${s.url}/mcp`), { requestInit: { headers: AUTH } }),
  );
  try {
    let error: unknown;
    for (let i = 0; i < 3 && error === undefined; i++) {
      await client.callTool({ name: 'context_dashboard', arguments: {} }).catch((e: unknown) => (error = e));
    }
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(429);
    expect((error as Error).message).toMatch(/"error":"rate_limit_exceeded"/);
    expect((error as Error).message).toMatch(/Retry after \d+ s/);
  } finally {
    await client.close();
  }
});

it('MCP over legacy SSE: POST /messages is answered 429, and the SDK client rejects the call', async () => {
  const client = new Client({ name: 'over-limit-sse', version: '0' });
  // GET /sse, initialize and its notification use the three calls of the minute
  await client.connect(new SSEClientTransport(new URL(`${s.url}/sse`), { requestInit: { headers: AUTH } }));
  try {
    await expect(client.callTool({ name: 'context_dashboard', arguments: {} })).rejects.toThrow(
      /HTTP 429.*rate_limit_exceeded/,
    );
    const sessionless = await fetch(`${s.url}/messages?sessionId=x`, {
      method: 'POST',
      headers: AUTH,
      body: '{}',
    });
    expect(sessionless.status).toBe(429);
    expectRefusalHeaders(sessionless.headers);
    expect(await sessionless.json()).toEqual({ ...REFUSAL, message: stringMatching(/^Rate limit exceeded/) });
  } finally {
    await client.close();
  }
});

it('REST: 429 with the same headers and the error shape the CLI prints', async () => {
  for (let i = 0; i < 3; i++) expect((await s.rest('GET', '/projects/default/contexts')).status).toBe(200);
  const refused = await s.rest('POST', '/projects/default/contexts', { topic: 't', content: 'never stored' });
  expect(refused.status).toBe(429);
  expectRefusalHeaders(refused.headers);
  expect(refused.body).toEqual(REFUSAL);
  expectGoDecodes(refused.body, APIError);
  expect((await s.deps.store.dashboard()).total_versions).toBe(0);
});
