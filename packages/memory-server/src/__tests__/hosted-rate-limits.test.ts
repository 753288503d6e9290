import { HOSTED_PLANS } from '../hosted-plans';
import { startHostedServer, TOKEN_A, TOKEN_B, type HostedServer } from './helpers/hosted-server';

// Hosted Stompy's per-token caps over real HTTP: calls per minute AND calls per 10 seconds, both
// enforced, in fixed windows, one budget per bearer token. Every request to /mcp counts (tools/call,
// tools/list, initialize alike), as hosted's rate-limit middleware counts requests. The clock is a
// FakeClock on a minute boundary, moved by hand.

let s: HostedServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Makes `n` calls that must all pass, with `token`. */
async function pass(server: HostedServer, n: number, token: string | null = TOKEN_A): Promise<void> {
  for (let i = 0; i < n; i++) {
    const answer = await server.call('context_dashboard', {}, token);
    if (answer.status !== 200)
      throw new Error(`call ${i + 1} of ${n} refused: ${JSON.stringify(answer.body)}`);
  }
}

/** The status, `Retry-After` and cap of the next call. */
async function next(server: HostedServer, token: string | null = TOKEN_A) {
  const answer = await server.call('context_dashboard', {}, token);
  return {
    status: answer.status,
    retryAfter: answer.headers.get('retry-after'),
    limit: answer.body.limit,
    windowSeconds: answer.body.window_seconds,
  };
}

const CASES = [
  ...Object.entries(HOSTED_PLANS).map(([plan, { perMinute, burstPer10s }]) => ({
    name: `plan ${plan}`,
    config: { plan },
    perMinute,
    burst: burstPer10s,
  })),
  {
    name: 'custom 30/min + 7 per 10 s',
    config: { rateLimitPerMinute: 30, burstPer10s: 7 },
    perMinute: 30,
    burst: 7,
  },
  {
    name: 'custom 12/min, burst lowered to 12',
    config: { rateLimitPerMinute: 12 },
    perMinute: 12,
    burst: 12,
  },
];

describe.each(CASES)('$name', ({ config, perMinute, burst }) => {
  it(`allows ${burst} calls per 10 seconds and ${perMinute} per minute, refusing the next with the wait`, async () => {
    s = await startHostedServer(config);
    let used = 0;
    let second = 0;
    while (used < perMinute) {
      const n = Math.min(burst, perMinute - used);
      await pass(s, n);
      used += n;
      if (used < perMinute) {
        // The burst window is full: the next call waits for the next 10-second window.
        expect(await next(s)).toEqual({ status: 429, retryAfter: '10', limit: burst, windowSeconds: 10 });
        s.clock.advance(10_000);
        second += 10;
      }
    }
    // The minute is full: the next call waits for the next minute, whatever the burst window says.
    s.clock.advance(1_000);
    second += 1;
    expect(await next(s)).toEqual({
      status: 429,
      retryAfter: String(60 - second),
      limit: perMinute,
      windowSeconds: 60,
    });
    s.clock.advance((60 - second) * 1000);
    expect((await next(s)).status).toBe(200);
  });
});

it('gives two tokens two budgets: one token over its caps does not slow the other', async () => {
  s = await startHostedServer({ plan: 'free' });
  await pass(s, 20, TOKEN_A);
  expect((await next(s, TOKEN_A)).status).toBe(429);
  await pass(s, 20, TOKEN_B);
  expect((await next(s, TOKEN_B)).status).toBe(429);
  expect(s.deps.rateLimits?.callerCount).toBe(2);
  // onResponse heard every answer, the refusals included (what the hosted benchmark counts).
  await new Promise((resolve) => setImmediate(resolve));
  expect(s.answered.map((a) => a.status)).toEqual([
    ...Array<number>(20).fill(200),
    429,
    ...Array<number>(20).fill(200),
    429,
  ]);
  expect(s.answered.every((a) => a.method === 'POST' && a.path === '/mcp')).toBe(true);
});

it('without --token (loopback), counts per remote address, and per token when one is sent', async () => {
  s = await startHostedServer({ rateLimitPerMinute: 3 }, []);
  await pass(s, 3, null);
  expect((await s.call('context_dashboard', {}, null)).status).toBe(429);
  await pass(s, 3, 'any-token-a-client-sends');
  expect([...(s.deps.rateLimits?.callerKeys() ?? [])].sort()).toEqual([
    'address:127.0.0.1',
    expect.stringMatching(/^token:[0-9a-f]{12}$/) as unknown as string,
  ]);
});

it('counts every MCP and REST request (tools/list and initialize too), but not /healthz or refused auth', async () => {
  s = await startHostedServer({ rateLimitPerMinute: 5 });
  expect(
    (
      await s.rpc('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 't', version: '0' },
      })
    ).status,
  ).toBe(200);
  expect((await s.rpc('tools/list', {})).status).toBe(200);
  expect((await s.rest('GET', '/projects/default/contexts')).status).toBe(200);
  for (let i = 0; i < 3; i++) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  expect((await s.call('context_dashboard', {}, 'wrong-token')).status).toBe(401);
  await pass(s, 2);
  expect((await next(s)).status).toBe(429);
  expect((await s.rest('GET', '/projects/default/contexts')).status).toBe(429);
});
