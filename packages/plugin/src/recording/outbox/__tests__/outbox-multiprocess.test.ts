// Several worker processes on one outbox file: real child processes claim and deliver entries from
// one SQLite file at the same time as this process keeps adding to it. Every entry must be handed to
// exactly one process (the lease is taken in a BEGIN IMMEDIATE transaction).
// The children run the plugin's own sources, compiled here with the TypeScript compiler.
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { OutcomeOutbox } from '../outcome-outbox';
import { PluginCounters } from '../../../support/plugin-counters';
import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import { sleep, tempDir, write } from '../../../__tests__/helpers/outbox-test-kit';
import { compileSources, PLUGIN_SRC } from '../../../__tests__/helpers/compiled-sources';

interface Delivered {
  topic: string;
  pid: number;
  claimedAt: number;
  deliveredAt: number;
}

const CHILD = `
const { OutcomeOutbox } = require(process.env.OUTBOX_JS);
const noop = () => undefined;
const logger = { error: noop, warn: noop, info: noop, debug: noop };
const outbox = new OutcomeOutbox({ path: process.env.OUTBOX_DB, logger, counters: { add: noop }, busyTimeoutMs: 5000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fs = require('node:fs');
const delivered = [];
(async () => {
  // Start together: say ready, wait for the go.
  fs.writeFileSync(process.env.OUTBOX_DB + '.ready-' + process.pid, '');
  while (!fs.existsSync(process.env.OUTBOX_DB + '.go')) await sleep(2);
  let idle = 0;
  while (idle < 60) {
    const claimed = outbox.claim(3, 30000);
    if (claimed.length === 0) { idle += 1; await sleep(5); continue; }
    idle = 0;
    const claimedAt = Date.now();
    await sleep(2); // the call to the memory server
    outbox.markDelivered(claimed.map((c) => c.topic));
    for (const c of claimed) delivered.push({ topic: c.topic, pid: process.pid, claimedAt, deliveredAt: Date.now() });
  }
  outbox.close();
  process.stdout.write(JSON.stringify(delivered));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;

function runChild(env: NodeJS.ProcessEnv): Promise<Delivered[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', CHILD],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Delivered[]);
      },
    );
  });
}

describe('OutcomeOutbox shared by several processes', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => (temp = tempDir()));
  afterEach(() => temp.remove());

  it('hands every entry to exactly one process', async () => {
    compileSources(join(temp.dir, 'src'));
    const outboxJs = join(temp.dir, 'src', 'recording', 'outbox', 'outcome-outbox.js');

    const path = join(temp.dir, 'shared.db');
    const log = capturingLogger();
    const outbox = new OutcomeOutbox({ path, logger: log.logger, counters: new PluginCounters() });
    try {
      for (let i = 0; i < 200; i++) outbox.enqueue(write(`mp-${i}`));
      const env = {
        ...process.env,
        OUTBOX_JS: outboxJs,
        OUTBOX_DB: path,
        // The compiled outbox lives in a temp folder: let it find its dependencies (better-sqlite3, and
        // the shared SQLite package's built dist) where this package does.
        NODE_PATH: [
          dirname(dirname(require.resolve('better-sqlite3/package.json'))),
          join(PLUGIN_SRC, '..', 'node_modules'),
        ].join(delimiter),
      };
      const children = Array.from({ length: 4 }, () => runChild(env));
      const ready = (): number =>
        readdirSync(temp.dir).filter((f) => f.startsWith('shared.db.ready-')).length;
      while (ready() < 4) await sleep(5);
      writeFileSync(`${path}.go`, '');
      // Keep adding while the children deliver.
      for (let i = 200; i < 300; i++) {
        outbox.enqueue(write(`mp-${i}`));
        if (i % 10 === 0) await sleep(2);
      }
      const results = (await Promise.all(children)).flat();

      const byTopic = new Map<string, Delivered[]>();
      for (const d of results) byTopic.set(d.topic, [...(byTopic.get(d.topic) ?? []), d]);
      expect(byTopic.size).toBe(300);
      expect([...byTopic.values()].filter((list) => list.length > 1)).toEqual([]);
      expect(new Set(results.map((d) => d.pid)).size).toBeGreaterThan(1);
      expect(outbox.stats()).toMatchObject({ pending: 0, deliveredTopics: 300 });
    } finally {
      outbox.close();
    }
  }, 60_000);
});
