import { StompyPlugin } from '../index';
import { runEchoes } from './helpers/failure-runs';
import { readOutboxFile } from './helpers/outbox-file';
import { silentLogger } from './helpers/silent-logger';
import { useTestbed } from './helpers/testbed';

// Workflows with large captured arguments run as usual, and an outcome over the memory server's size
// limit is cut to fit rather than lost: against a real memory server whose request limit is lowered
// to 256 KiB (the default is 4 MiB; lowering it makes the case cheap to build).

const bed = useTestbed('oversized-captures', { memory: { maxBodyBytes: 256 * 1024 } });

it('runs workflows with large captured arguments as usual; an outcome over the size limit is cut to fit, and all delivered', async () => {
  const stompy = new StompyPlugin({
    memory: { url: bed.memory.url },
    outbox: { path: bed.file('large-outbox.db') },
    capture: { args: true, maxChars: 100_000 },
    shutdownFlushMs: 15_000,
    logger: silentLogger,
  });
  // 90,000 ASCII characters make a 90 KB outcome; 100,000 '€' would make 300 KB, over hosted
  // Stompy's 100 KB: the plugin cuts the captured lines to fit instead of losing the outcome.
  const payloads = ['a'.repeat(90_000), '€'.repeat(100_000), 'b'.repeat(90_000)];
  const withPlugin = await runEchoes(bed, stompy, payloads);
  expect(withPlugin.results).toEqual((await runEchoes(bed, undefined, payloads)).results);
  expect(stompy.counters()).toMatchObject({
    outcomesQueued: 6,
    outcomesDelivered: 6,
    outcomesDropped: 0,
    internalErrors: 0,
  });
  expect(readOutboxFile(bed.file('large-outbox.db')).deadLetters).toHaveLength(0);
  const stored = bed.memory.topics(`(${withPlugin.taskQueue}-`);
  expect(stored).toHaveLength(6);
  const cut = stored.filter((s) => s.content.endsWith('… (cut to fit the memory server)'));
  expect(cut.map((s) => s.content)).toEqual([expect.stringContaining('€€€')]);
  expect(Buffer.byteLength(cut[0]?.content ?? '')).toBeLessThanOrEqual(96 * 1024);
});
