import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';

// `stompy-memory stdio` given a line over the transport's 10 MiB buffer: it says so on stderr and
// exits non-zero (it used to exit 0 with nothing on stderr).

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stdio-long-line-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reports a line over 10 MiB on stderr and exits non-zero', async () => {
  const child = spawn(process.execPath, [STOMPY_MEMORY_BIN, 'stdio', '--db', join(dir, 'memory.db')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  child.stdin.on('error', () => undefined); // the child stops reading mid-line
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const chunk = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 11; i++) child.stdin.write(chunk);
  const code = await exited;
  child.stdin.destroy();
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/a message line was too long.*10485760 bytes/);
});
