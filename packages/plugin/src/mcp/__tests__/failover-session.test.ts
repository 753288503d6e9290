import { join } from 'node:path';
import { capturingLogger, type CapturedLogs } from '../../__tests__/helpers/capturing-logger';
import { startMemoryFleet, type MemoryFleet } from '../../__tests__/helpers/memory-fleet';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';
import { waitFor } from '../../__tests__/helpers/wait-for';
import { PluginCounters } from '../../support/plugin-counters';
import { FailoverSession } from '../failover-session';
import { StompyClient } from '../stompy-client';
import { StompyToolError, StompyUnavailableError } from '../stompy-errors';

// Failover on real parts: two real memory servers over HTTP in front of one store (as a fleet runs
// stateless servers in front of one PostgreSQL), one client pointed at both. When the first closes
// mid-stream, calls go on through the second (reads sent again within their own timeout, writes that
// could not connect sent to the second); once the first listens again and its cool-down is over, calls
// go back to it. Refusals (a tool error, a refused token) never fail over; with every server down a
// call fails as with one server down, within its timeout.

const TOKEN = 'fleet-token';
/** Short cool-downs so failback happens within the test. */
const COOL_DOWN = { initialMs: 300, maxMs: 1_000 };

let temp: ReturnType<typeof tempDir>;
let fleet: MemoryFleet;
let log: CapturedLogs;
let counters: PluginCounters;
let session: FailoverSession;

beforeEach(async () => {
  temp = tempDir();
  fleet = await startMemoryFleet(join(temp.dir, 'memory.db'), 2, { token: TOKEN });
  log = capturingLogger('info');
  counters = new PluginCounters();
  session = failoverSession(TOKEN);
});
afterEach(async () => {
  await session.close(1_000);
  await fleet.close();
  temp.remove();
});

function failoverSession(token: string): FailoverSession {
  const targets = fleet.members.map((m) => ({
    kind: 'http' as const,
    url: new URL(`${m.url}?api_key=not-for-logs`),
    transport: 'streamable-http' as const,
    token,
  }));
  return new FailoverSession(targets, {
    timeoutMs: 5_000,
    logger: log.logger,
    counters,
    coolDown: COOL_DOWN,
  });
}

const write = (i: number) => ({
  topic: `failover:${i}`,
  content: `Workflow: failover ${i}\nSuccess: yes`,
  tags: ['temporal'],
  priority: 'reference' as const,
});

it('goes on through the second server when the first closes mid-stream, and back once it returns', async () => {
  const client = new StompyClient(session, undefined);
  const [first, second] = fleet.members as [MemoryFleet['members'][0], MemoryFleet['members'][0]];
  for (let i = 0; i < 10; i++) await client.lockContext(write(i));
  expect(second.answered()).toBe(0);

  await first.stop();
  const before = second.answered();
  // Reads after the first closed: each is sent again to the second within its own timeout, which also
  // pays for connecting to the second (1.5 s: a busy CI machine took over 100 ms for that handshake).
  for (let i = 0; i < 10; i++) {
    const found = await client.recallBatch([write(i).topic], 1_500);
    expect(found.get(write(i).topic)?.content).toBe(write(i).content);
  }
  // Writes go to the second (the first is cooling down).
  for (let i = 10; i < 20; i++) await client.lockContext(write(i));
  expect(second.answered()).toBeGreaterThan(before);
  expect(counters.snapshot().memoryFailovers).toBe(1);
  // The first failed at least once: more when a slow machine let its 300 ms cool-down end during these
  // calls, and a retry of it failed again (the calls stayed on the second either way).
  const [firstState, secondState] = session.servers();
  expect(firstState).toMatchObject({ url: `${first.baseUrl}/mcp`, current: false });
  expect(firstState?.failures).toBeGreaterThanOrEqual(1);
  expect(secondState).toMatchObject({
    url: `${second.baseUrl}/mcp`,
    current: true,
    down: false,
    failures: 0,
  });
  const [warning] = log.at('warn', 'failing over');
  expect(warning).toMatchObject({ url: `${first.baseUrl}/mcp`, to: `${second.baseUrl}/mcp`, failovers: 1 });
  expect(JSON.stringify(log.lines)).not.toMatch(/not-for-logs|fleet-token/);

  // Failback: the first listens again; once its cool-down ends, calls go back to it.
  await first.start();
  await waitFor(
    async () => {
      await client.recallBatch([write(0).topic], 2_000);
      return session.servers()[0]?.current === true;
    },
    10_000,
    'calls to go back to the first server',
  );
  const backOnFirst = first.answered();
  await client.lockContext(write(20));
  expect(first.answered()).toBeGreaterThan(backOnFirst);
  expect(log.at('info', 'calls go to it again')).toHaveLength(1);

  // Every write stored once, one version each, whichever server took it.
  expect(fleet.topics('failover').map((t) => t.versions)).toEqual(Array(21).fill(1));
  expect(log.errors()).toEqual([]);
});

it('sends a write that could not connect to the next server', async () => {
  await fleet.members[0]?.stop();
  const client = new StompyClient(session, undefined);
  await expect(client.lockContext(write(1))).resolves.toMatchObject({ topic: write(1).topic });
  expect(fleet.writes.get(write(1).topic)).toBe(1);
  expect(counters.snapshot().memoryFailovers).toBe(1);
});

it('does not fail over on a refusal: a tool error, or a token the servers refuse (logged as an error)', async () => {
  const client = new StompyClient(session, undefined);
  await expect(session.callTool('no_such_tool', {})).rejects.toBeInstanceOf(StompyToolError);
  await expect(client.lockContext({ ...write(1), topic: '' })).rejects.toBeInstanceOf(StompyToolError);
  expect(counters.snapshot().memoryFailovers).toBe(0);

  await session.close(1_000);
  session = failoverSession('wrong-token');
  const refused = await session.callTool('recall_batch', { topics: ['x'] }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(StompyUnavailableError);
  expect(refused).toMatchObject({ reason: 'auth' });
  expect(counters.snapshot().memoryFailovers).toBe(0);
  expect(session.servers().map((s) => [s.current, s.down])).toEqual([
    [true, false],
    [false, false],
  ]);
  expect(log.errors()).toEqual([
    expect.stringContaining('refused the token (HTTP 401/403); check memory.token'),
  ]);
  expect(JSON.stringify(log.lines)).not.toContain('wrong-token');
});

it('with every server down, a call fails within its timeout, as with one server down', async () => {
  await Promise.all(fleet.members.map((m) => m.stop()));
  const started = Date.now();
  const failed = await session.callTool('recall_batch', { topics: ['x'] }, 2_000).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(StompyUnavailableError);
  expect(Date.now() - started).toBeLessThan(2_000);
  const again = await session.callTool('recall_batch', { topics: ['x'] }, 2_000).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(StompyUnavailableError);
  expect(log.has('every memory server is down')).toBe(true);
  expect(session.servers().every((s) => s.down)).toBe(true);

  // One comes back: calls reach it once its cool-down ends.
  await fleet.members[1]?.start();
  await waitFor(
    () =>
      session.callTool('recall_batch', { topics: ['x'] }, 2_000).then(
        () => true,
        () => false,
      ),
    10_000,
    'the second server to answer again',
  );
  expect(session.servers()[1]).toMatchObject({ current: true, down: false, failures: 0 });
});
