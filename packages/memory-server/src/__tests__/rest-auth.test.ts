import { expectGoDecodes } from './helpers/go-decode';
import { REST_TOKEN, startRestServer, toolText, type RestServer } from './helpers/rest-server';
import { APIError } from './helpers/stompy-cli-structs';

// The same bearer token guards REST and MCP. The CLI sends `Authorization: Bearer <key>` on both and
// prints a REST error as `API error 401: <message>`, an MCP one as `MCP endpoint returned 401: <body>`.

let s: RestServer;
beforeAll(async () => {
  s = await startRestServer();
});
afterAll(async () => {
  await s.close();
});

const WRONG = { Authorization: 'Bearer not-the-token' };
const MISSING = { Authorization: '' };

describe.each([
  ['a wrong token', WRONG],
  ['no token', MISSING],
])('with %s', (_name, headers) => {
  it.each([
    ['GET', '/projects'],
    ['GET', '/projects/p/contexts'],
    ['POST', '/projects/p/contexts'],
    ['GET', '/no/such/route'],
  ])('REST %s %s is 401 with a message the CLI prints, and writes nothing', async (method, route) => {
    const answer = await s.cli(
      method,
      route,
      method === 'POST' ? { topic: 't', content: 'x' } : undefined,
      headers,
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expectGoDecodes(answer.body, APIError);
    expect(answer.body.message).toBe('missing or wrong bearer token');
  });

  it('a bare MCP call is 401, before any tool runs', async () => {
    const answer = await s.bareCall('lock_context', { topic: 't', content: 'x', project: 'p' }, headers);
    expect(answer.status).toBe(401);
    expect(await s.deps.store.project('p')).toBeUndefined();
  });
});

it('the right token is accepted on both, and never written to the logs', async () => {
  expect((await s.cli('GET', '/projects')).status).toBe(200);
  expect(toolText(await s.bareCall('context_dashboard', {}))).toMatchObject({ project: 'default' });
  await s.cli('GET', '/projects', undefined, WRONG);
  const logged = JSON.stringify(s.logs);
  expect(logged).not.toContain(REST_TOKEN);
  expect(logged).not.toContain('not-the-token');
});
