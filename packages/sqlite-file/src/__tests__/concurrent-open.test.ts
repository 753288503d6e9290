import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// Several processes started at once on a new file (two `stompy-memory serve` in one script, a fleet of
// workers with the embedded default or one outbox) all open it together. Switching a new file to WAL
// makes each of them upgrade a shared lock to an exclusive one, and SQLite answers one of them
// SQLITE_BUSY at once, without waiting, to break the deadlock. Opening must wait and try again
// instead of failing.

const OPENER = join(__dirname, 'fixtures', 'file-opener.js');
const PROCESSES = 4;
const ROUNDS = 25;

interface Opener {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the opener's answer to its next line. */
  next(): Promise<string>;
}

function startOpener(): Promise<Opener> {
  const child = spawn(process.execPath, [OPENER]);
  const waiting: ((line: string) => void)[] = [];
  const early: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const resolve = waiting.shift();
    if (resolve) resolve(line);
    else early.push(line);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`opener exited with ${String(code)}: ${stderr}`))),
  );
  exited.catch(() => undefined);
  const next = (): Promise<string> => {
    const line = early.shift();
    if (line !== undefined) return Promise.resolve(line);
    return Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  };
  return next().then((ready) => {
    expect(ready).toBe('ready');
    return { child, next };
  });
}

describe('several processes opening one new SQLite file at the same moment', () => {
  let dir: string;
  let openers: Opener[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stompy-sqlite-file-open-'));
    openers = await Promise.all(Array.from({ length: PROCESSES }, startOpener));
  }, 60_000);
  afterAll(() => {
    for (const { child } of openers) child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('all open it, every time', async () => {
    const answers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dbPath = join(dir, `round-${round}.db`);
      const replies = openers.map((opener) => opener.next());
      for (const { child } of openers) child.stdin.write(`${dbPath}\n`);
      answers.push(...(await Promise.all(replies)));
    }
    expect(answers.filter((answer) => answer !== 'opened')).toEqual([]);
    expect(answers).toHaveLength(PROCESSES * ROUNDS);
  }, 60_000);
});
