import { join } from 'node:path';
import {
  createServerDeps,
  resolveConfig,
  serveHttp,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { PluginCounters } from '../../support/plugin-counters';
import { FailoverSession } from '../failover-session';
import { StompyToolError } from '../stompy-errors';

// An HTTP 429 is not a failed server: the budget is the token's, shared by every server of the fleet
// (here two servers of our hosted emulation on one store and one rate limiter), so another server
// would refuse too. The session hands the refusal over, with its wait, and stays where it is.

const TOKEN = 'hosted-fleet-token';

let temp: ReturnType<typeof tempDir>;
let deps: StompyServerDeps;
let servers: RunningHttpServer[];
beforeEach(async () => {
  temp = tempDir();
  deps = createServerDeps(
    resolveConfig({
      dbPath: join(temp.dir, 'memory.db'),
      profile: 'hosted',
      rateLimitPerMinute: 6,
      burstPer10s: 6,
      logger: silentLogger,
    }),
  );
  servers = [await serveHttp(deps, { tokens: [TOKEN] }), await serveHttp(deps, { tokens: [TOKEN] })];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await deps.store.close();
  temp.remove();
});

it('hands a 429 over as a refusal and does not fail over', async () => {
  const log = capturingLogger('info');
  const counters = new PluginCounters();
  const session = new FailoverSession(
    servers.map((s) => ({
      kind: 'http' as const,
      url: new URL(`${s.url}/mcp`),
      transport: 'streamable-http' as const,
      token: TOKEN,
    })),
    { timeoutMs: 5_000, logger: log.logger, counters },
  );
  try {
    let refusal: unknown;
    for (let i = 0; i < 20 && refusal === undefined; i++) {
      await session.callTool('context_dashboard', {}).catch((error: unknown) => (refusal = error));
    }
    expect(refusal).toBeInstanceOf(StompyToolError);
    expect(refusal).toMatchObject({ code: 'rate_limit_exceeded', retryable: true });
    expect(counters.snapshot().memoryFailovers).toBe(0);
    expect(session.servers().map((s) => [s.current, s.down])).toEqual([
      [true, false],
      [false, false],
    ]);
    expect(log.warnings()).toEqual([]);
  } finally {
    await session.close(1_000);
  }
});
