import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { anyNumber } from './helpers/matchers';

interface Written {
  writer: string;
  topic: string;
  version: string;
  created: boolean;
}

const WRITER = join(__dirname, 'fixtures', 'lock-writer.js');
const TOPICS = ['orders/C1', 'orders/C2', 'refunds/C1'];
const ROUNDS = 150;

const running: ChildProcessWithoutNullStreams[] = [];

/** Starts a writer process and resolves once it has opened the store. */
function startWriter(
  dbPath: string,
  name: string,
): Promise<{ child: ChildProcessWithoutNullStreams; output: Promise<string> }> {
  const child = spawn(process.execPath, [WRITER, dbPath, name, String(ROUNDS), TOPICS.join(',')]);
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${name} exited with ${code}: ${stderr}`)),
    );
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString();
      if (!before.includes('ready\n') && stdout.includes('ready\n')) resolve({ child, output });
    });
    output.catch(reject);
  });
}

describe('two processes writing one SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stompy-memory-processes-'));
  });
  afterEach(() => {
    // A writer still running here means the test failed: do not leave it behind.
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  // Both writers open the store, then start together; their transactions interleave (checked by hand:
  // runs of A and B alternate in each topic's versions), each waiting on the other's write lock.
  it('never issue the same version twice: versions stay unique and contiguous per topic', async () => {
    const dbPath = join(dir, 'shared.db');
    const writers = await Promise.all([startWriter(dbPath, 'A'), startWriter(dbPath, 'B')]);
    for (const { child } of writers) child.stdin.end('go\n');
    const outputs = await Promise.all(writers.map(({ output }) => output));
    const written = outputs.flatMap((out) => JSON.parse(out.slice(out.indexOf('ready\n') + 6)) as Written[]);
    expect(written).toHaveLength(2 * ROUNDS * TOPICS.length);
    expect(written.every((w) => w.created)).toBe(true);

    const db = new BetterSqlite3(dbPath, { readonly: true });
    try {
      for (const topic of TOPICS) {
        const reported = written.filter((w) => w.topic === topic).map((w) => w.version);
        const stored = db
          .prepare('SELECT version FROM contexts WHERE project = ? AND topic = ? ORDER BY minor')
          .pluck()
          .all('default', topic) as string[];
        const expected = Array.from({ length: 2 * ROUNDS }, (_, i) => `1.${i}`);
        expect(stored).toEqual(expected);
        expect([...reported].sort()).toEqual([...expected].sort());
        // One latest version per topic, and the full-text index holds exactly that one.
        const latest = db
          .prepare('SELECT id, version FROM contexts WHERE topic = ? AND is_latest = 1')
          .all(topic);
        expect(latest).toEqual([{ id: anyNumber(), version: `1.${2 * ROUNDS - 1}` }]);
      }
      expect(
        db.prepare('SELECT count(*) FROM context_fts WHERE context_fts MATCH ?').pluck().get('"wrote"'),
      ).toBe(TOPICS.length);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
