import { StompyPlugin } from '../index';
import * as activities from './helpers/activities/time-patterns';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';
import type { LedgerSync } from './helpers/workflows/time-patterns';

// Learning on parts not written for the order example, through the documented API only: a ledger
// sync whose upstream is down every Sunday 03:00-04:00 UTC (business time, from the workflow's
// arguments). After three Sundays of syncs, recorded through a real dev server into our real memory
// server over HTTP, an attempt at that hour is handed a high risk naming the window (and takes its
// careful way); one at another hour is not.

const PROJECT = 'time-patterns';
const workflowsPath = require.resolve('./helpers/workflows/time-patterns');
const bed = useTestbed('time-patterns', { memory: true });
const SUNDAY = Date.UTC(2026, 10, 1); // a Sunday, 00:00 UTC

let plugin: StompyPlugin;
beforeAll(async () => {
  plugin = new StompyPlugin({
    memory: { url: bed.memory.url, project: PROJECT },
    outbox: { path: bed.file('outbox.db') },
    rules: [{ workflow: 'SyncLedger', entities: { ledger: 'args.0.ledgerId' }, eventTime: 'args.0.at' }],
    // Business time runs faster than the cache here: ask the server every time.
    recall: { cacheTtlMs: 0 },
    logger: silentLogger,
  });
  await bed.runningWorker({ taskQueue: 'ledgers', workflowsPath, activities, plugin });
}, 120_000);

let runs = 0;
function sync(ledgerId: string, atMs: number): Promise<unknown> {
  const input: LedgerSync = { ledgerId, at: new Date(atMs).toISOString() };
  return bed.env.client.workflow
    .execute('SyncLedger', { taskQueue: 'ledgers', workflowId: `sync-${runs++}`, args: [input] })
    .catch((error: unknown) => error);
}

it('hands an attempt in a learned failure window a high risk that names it', async () => {
  // Three weeks of syncs every four hours, and four each Sunday 03:00 (ledgers L1-L4). Once the
  // window is learned, later Sunday syncs are queued for later: handled, not failed.
  for (let week = 0; week < 3; week++) {
    const weekStart = SUNDAY + week * 7 * 86_400_000;
    for (let hour = 0; hour < 168; hour += 4) await sync('L9', weekStart + hour * 3_600_000);
    for (let i = 1; i <= 4; i++) await sync(`L${i}`, weekStart + 3 * 3_600_000 + i * 60_000);
  }
  expect((await plugin.flush(20_000)).remaining).toBe(0);

  const nextSunday = SUNDAY + 3 * 7 * 86_400_000;
  const inside = (await sync('L5', nextSunday + 3 * 3_600_000 + 30 * 60_000)) as {
    level: string;
    reasons: string[];
  };
  expect(inside.level).toBe('high');
  expect(inside.reasons).toEqual([
    expect.stringMatching(
      /^syncLedger failed (\d+) of \1 times on Sundays 03:00-04:00 UTC \(\d(\.\d)?% otherwise\)$/,
    ),
  ]);
  const outside = (await sync('L5', nextSunday + 10 * 3_600_000)) as { level: string; reasons: string[] };
  expect(outside).toMatchObject({ level: 'low', reasons: [] });
}, 180_000);
