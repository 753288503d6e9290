import { startRestServer } from './helpers/rest-server';

// A REST request that fails unexpectedly answers 500 with a JSON message (never a stack) and is logged
// as an error by the REST API's own child logger.

it('an unexpected failure is a 500 with a clear body, logged with component rest-api', async () => {
  const s = await startRestServer();
  try {
    await s.deps.store.close();
    const answer = await s.cli('GET', '/projects');
    expect(answer).toMatchObject({
      status: 500,
      body: { status_code: 500, error: 'internal_error', message: 'internal server error' },
    });
    const logged = s.logs.find((line) => line.component === 'rest-api' && line.level === 50);
    expect(logged).toMatchObject({
      msg: 'rest api: request failed',
      method: 'GET',
      err: { message: expect.stringMatching(/not open/) as string },
    });
  } finally {
    await s.close();
  }
});

it('a refused tool call behind a route is logged by the tool runner, not as an error', async () => {
  const s = await startRestServer();
  try {
    await s.cli('POST', '/projects/p/contexts', { topic: 'bad topic', content: 'x' });
    expect(s.logs.some((line) => line.level === 50)).toBe(false);
    expect(s.logs).toContainEqual(
      expect.objectContaining({
        tool: 'lock_context',
        reason: 'invalid_input',
        msg: 'memory server: tool call refused',
      }),
    );
  } finally {
    await s.close();
  }
});
