import { ServerRoster } from '../server-roster';

// The failover policy as bookkeeping: calls go to the first server not cooling down, a failed server
// cools down 30 s, doubling while it keeps failing (at most 5 min), calls fail back to a preferred
// server once its cool-down ends and it answers, and with every server down a call tries the one
// whose cool-down ends first.

const URLS = ['http://a/mcp', 'http://b/mcp', 'http://c/mcp'];

it('moves calls to the next server on failure and back once the first answers again', () => {
  const roster = new ServerRoster(URLS);
  expect(roster.plan(0)).toEqual([0, 1, 2]);
  expect(roster.failed(0, 0)).toEqual({ coolDownMs: 30_000, movedTo: 1 });
  expect(roster.current).toBe(1);
  expect(roster.plan(1_000)).toEqual([1, 2]);
  // Calls that failed together on the same server count once.
  expect(roster.failed(0, 1_000)).toEqual({ coolDownMs: 29_000, movedTo: undefined });
  expect(roster.states(1_000)[0]).toMatchObject({
    url: 'http://a/mcp',
    down: true,
    failures: 1,
    retryInMs: 29_000,
  });
  // The cool-down ended: the next call tries the preferred server first (a probe).
  expect(roster.plan(30_000)).toEqual([0, 1, 2]);
  expect(roster.isProbe(0)).toBe(true);
  expect(roster.answered(0, 30_000)).toBe(1);
  // A late answer from a server calls have left does not pull them back.
  expect(roster.answered(1, 30_001)).toBeUndefined();
  expect(roster.current).toBe(0);
  expect(roster.current).toBe(0);
  expect(roster.isProbe(0)).toBe(false);
  expect(roster.states(30_000).map((s) => s.current)).toEqual([true, false, false]);
});

it('doubles the cool-down of a server that keeps failing, up to five minutes', () => {
  const roster = new ServerRoster(URLS);
  let now = 0;
  const coolDowns: number[] = [];
  for (let i = 0; i < 6; i++) {
    const { coolDownMs } = roster.failed(0, now);
    coolDowns.push(coolDownMs);
    now += coolDownMs;
  }
  expect(coolDowns).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000]);
});

it('with every server down, tries only the one whose cool-down ends first', () => {
  const roster = new ServerRoster(URLS.slice(0, 2));
  expect(roster.failed(0, 0).movedTo).toBe(1);
  expect(roster.failed(1, 5_000).movedTo).toBeUndefined();
  expect(roster.allDown(5_000)).toBe(true);
  expect(roster.plan(5_000)).toEqual([0]);
  expect(roster.failed(0, 6_000).coolDownMs).toBe(24_000); // still cooling down: not counted again
  expect(roster.plan(31_000)).toEqual([0]);
  expect(roster.failed(0, 31_000).coolDownMs).toBe(60_000);
  expect(roster.plan(36_000)).toEqual([1]);
  expect(roster.answered(1, 36_000)).toBeUndefined(); // calls were already going there
  expect(roster.allDown(36_000)).toBe(false);
});
