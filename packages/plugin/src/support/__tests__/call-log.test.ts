import { CallLog } from '../call-log';

// One side's log of the call budget: counts by window, a bounded size, and cursors that walk ahead
// without changing the log.

const log = (maxEntries = 1000) => new CallLog(61_000, 11_000, maxEntries);

it('counts calls in the long and short windows and the last minute, and refusals for a minute', () => {
  const l = log();
  l.take(0, 2);
  l.take(5_000, 1);
  l.refuse(5_050, 4);
  l.advance(11_000);
  expect(l.counts).toMatchObject({ longCalls: 3, shortCalls: 1, demand: 7 });
  l.advance(60_000);
  expect(l.counts).toMatchObject({ longCalls: 3, shortCalls: 0, demand: 5 });
  expect(l.usage()).toEqual({ taken: 1, refused: 4 });
  l.advance(65_100);
  expect(l.counts).toMatchObject({ longCalls: 1, shortCalls: 0, demand: 0 });
});

it('walks a cursor ahead to each moment a count changes, leaving the log as it was', () => {
  const l = log();
  l.take(0, 1);
  l.refuse(0, 1);
  const cursor = l.cursor();
  const changes: number[] = [];
  for (let at = cursor.nextChange(); at < Infinity; at = cursor.nextChange()) {
    cursor.advanceTo(at);
    changes.push(at);
  }
  expect(changes).toEqual([11_000, 60_000, 60_100, 61_000]);
  expect(cursor).toMatchObject({ longCalls: 0, shortCalls: 0, demand: 0 });
  expect(l.counts).toMatchObject({ longCalls: 1, shortCalls: 1, demand: 2 });
});

it('stays bounded far beyond the cap, and never counts a call for less long than it should', () => {
  const l = log(60);
  for (let t = 0; t < 30_000; t++) {
    l.advance(t);
    l.take(t, 1);
  }
  expect(l.cursor().liveEntries()).toBeLessThanOrEqual(60);
  expect(l.counts).toMatchObject({ longCalls: 30_000, shortCalls: expect.any(Number) as number });
  expect(l.counts.shortCalls).toBeGreaterThanOrEqual(11_000);
  l.advance(29_999 + 61_000);
  expect(l.counts.longCalls).toBe(0);
});

it('counts a polling wait as one refusal per 100 ms bucket', () => {
  const l = log();
  for (let t = 0; t < 1000; t += 7) l.refuseWait(t);
  expect(l.usage().refused).toBe(10);
});
