import { expectGoDecodes } from './helpers/go-decode';
import { startRestServer, type RestServer } from './helpers/rest-server';
import { APIError } from './helpers/stompy-cli-structs';

// REST routes run the tools through the same runner as MCP, so they count against the same rate
// limit, and a call over it answers 429 with the tool's refusal and Retry-After.

let s: RestServer;
beforeAll(async () => {
  s = await startRestServer({ rateLimitPerMinute: 3 });
});
afterAll(async () => {
  await s.close();
});

it('REST and bare MCP calls share the per-minute limit; over it, 429 with Retry-After', async () => {
  expect((await s.cli('POST', '/projects/p/contexts', { topic: 't', content: 'one' })).status).toBe(201);
  expect((await s.bareCall('context_dashboard', { project: 'p' })).status).toBe(200);
  expect((await s.cli('GET', '/projects/p/contexts/t')).status).toBe(200);
  const refused = await s.cli('GET', '/projects/p/contexts/t');
  expect(refused.status).toBe(429);
  expectGoDecodes(refused.body, APIError);
  expect(refused.body).toMatchObject({ status_code: 429, error: 'rate_limit_exceeded', limit: 3 });
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const bare = await s.bareCall('context_dashboard', { project: 'p' });
  expect(bare.body.result).toMatchObject({ isError: true });
});
