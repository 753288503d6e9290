import { useHttpTestServer } from './helpers/http-test-server';

// One client can no longer hold every SSE slot: each caller (a bearer token, or a remote address
// without one) holds at most its share; the global cap stays. Real HTTP.

const PER_CALLER = 2;

const test = useHttpTestServer('sse-per-caller', {
  sse: { maxSessions: 8, maxSessionsPerCaller: PER_CALLER },
});
const open: Array<() => Promise<void>> = [];
afterAll(() => Promise.all(open.map((cancel) => cancel())));

/** Opens `GET /sse` as the caller of `token` (none: the remote address); keeps it open; resolves with the status. */
async function openSse(token?: string): Promise<number> {
  const headers: Record<string, string> = token !== undefined ? { Authorization: `Bearer ${token}` } : {};
  const response = await fetch(`${test.server.url}/sse`, { headers });
  if (response.status === 200) open.push(() => response.body!.cancel());
  else await response.body?.cancel();
  return response.status;
}

it('gives each caller at most its share of SSE sessions (429 past it), counted per token or per address, logged once', async () => {
  for (const caller of ['token-of-client-a', 'token-of-client-b', undefined]) {
    for (let i = 0; i < PER_CALLER; i++) expect(await openSse(caller)).toBe(200);
  }
  expect(await openSse('token-of-client-a')).toBe(429);
  expect(await openSse('token-of-client-a')).toBe(429);
  expect(await openSse(undefined)).toBe(429);
  // Another caller still gets a session.
  expect(await openSse('token-of-client-c')).toBe(200);

  const refusals = test.log.lines.filter((line) => line['limit'] === 'maxSessionsPerCaller');
  // One line per caller a minute: client a (twice refused) and the address.
  expect(refusals).toHaveLength(2);
  expect(refusals[0]).toMatchObject({ level: 40, maxSessionsPerCaller: PER_CALLER, count: 1 });
  expect(refusals.map((line) => line['caller'])).toEqual([
    expect.stringMatching(/^token:[0-9a-f]{12}$/),
    'address:127.0.0.1',
  ]);
  expect(JSON.stringify(test.log.lines)).not.toContain('token-of-client-a');
});

it('keeps the global cap, logged', async () => {
  expect(await openSse('token-of-client-c')).toBe(200); // 8 open now
  expect(await openSse('token-of-client-d')).toBe(503);
  expect(test.log.lines.filter((line) => line['limit'] === 'maxSessions')).toEqual([
    expect.objectContaining({ level: 40, maxSessions: 8, count: 1 }),
  ]);
});
