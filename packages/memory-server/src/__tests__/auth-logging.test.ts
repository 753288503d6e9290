import { createStompyServer } from '../create-server';
import { startHttpServer } from '../transports/http-server';
import { weakTokenReason } from '../transports/token-strength';
import { useHttpTestServer } from './helpers/http-test-server';

// Refused logins (401) are logged: one warn line per remote address a minute, with a count, never
// the token; and startHttpServer refuses a weak token off loopback.

const TOKEN = 'auth-logging-token-9e2d41';
const test = useHttpTestServer('auth-logging', { token: TOKEN });

it('logs refused logins once a minute per remote address with a count, never the token', async () => {
  const wrong = 'wrong-token-77aa01bc';
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${test.server.url}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${wrong}` },
      body: '{}',
    });
    expect(response.status).toBe(401);
  }
  expect((await fetch(`${test.server.url}/sse`)).status).toBe(401);
  const refused = test.log.lines.filter((line) => line['component'] === 'auth');
  expect(refused).toEqual([
    expect.objectContaining({
      level: 40,
      remoteAddress: '127.0.0.1',
      reason: 'wrong token',
      path: '/mcp',
      count: 1,
    }),
  ]);
  expect(JSON.stringify(test.log.lines)).not.toContain(wrong);
  expect(JSON.stringify(test.log.lines)).not.toContain(TOKEN);
});

it('refuses a weak token off loopback at construction, and judges tokens by length and whitespace', async () => {
  const start = (token: string) =>
    startHttpServer({
      createMcpServer: () => createStompyServer(test.deps),
      logger: test.log.logger,
      host: '0.0.0.0',
      token,
    });
  await expect(start('   \t   ')).rejects.toThrow(
    /weak bearer token \(token 1 of 1: it is empty or only whitespace\)/,
  );
  await expect(start('short')).rejects.toThrow(/at least 16 characters/);
  expect(weakTokenReason('x'.repeat(16))).toBeUndefined();
});
