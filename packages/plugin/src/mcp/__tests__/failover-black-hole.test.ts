import { join } from 'node:path';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { startBlackHole, type BlackHole } from '../../__tests__/helpers/failure-servers';
import { startMemoryFleet, type MemoryFleet } from '../../__tests__/helpers/memory-fleet';
import { sleep, tempDir } from '../../__tests__/helpers/outbox-test-kit';
import { PluginCounters } from '../../support/plugin-counters';
import { FailoverSession } from '../failover-session';
import { StompyUnavailableError } from '../stompy-errors';

// The worst first server: it accepts connections and never answers. The call that finds out waits
// its own timeout (nothing says sooner that the server is gone) and fails; calls then go to the
// second. When the first's cool-down ends, a call probes it with half its time, so the second
// still answers that call within its timeout; the probe's failure doubles the cool-down.

const CALL_TIMEOUT_MS = 800;

let temp: ReturnType<typeof tempDir>;
let fleet: MemoryFleet;
let hole: BlackHole;
beforeEach(async () => {
  temp = tempDir();
  fleet = await startMemoryFleet(join(temp.dir, 'memory.db'), 1);
  hole = await startBlackHole();
});
afterEach(async () => {
  await hole.close();
  await fleet.close();
  temp.remove();
});

it('fails over from a server that never answers, and probes it within the call timeout', async () => {
  const log = capturingLogger('info');
  const counters = new PluginCounters();
  const urls = [hole.url, fleet.members[0]?.url ?? ''];
  const session = new FailoverSession(
    urls.map((url) => ({
      kind: 'http' as const,
      url: new URL(url),
      transport: 'streamable-http' as const,
      token: undefined,
    })),
    { timeoutMs: CALL_TIMEOUT_MS, logger: log.logger, counters, coolDown: { initialMs: 200, maxMs: 10_000 } },
  );
  const call = () => session.callTool('recall_batch', { topics: ['x'] });
  try {
    await expect(call()).rejects.toBeInstanceOf(StompyUnavailableError);
    expect(counters.snapshot().memoryFailovers).toBe(1);
    await expect(call()).resolves.toBeDefined();

    await sleep(250); // the first's cool-down is over: the next call probes it
    expect(session.servers()[0]).toMatchObject({ down: false, failures: 1 });
    const started = Date.now();
    await expect(call()).resolves.toBeDefined();
    // Generous: the probe had half the timeout; without the cap the call would have failed.
    expect(Date.now() - started).toBeLessThan(CALL_TIMEOUT_MS * 2);
    expect(session.servers()[0]).toMatchObject({ down: true, failures: 2, current: false });
    expect(session.servers()[1]).toMatchObject({ current: true });
    expect(log.errors()).toEqual([]);
  } finally {
    await session.close(1_000);
  }
});
