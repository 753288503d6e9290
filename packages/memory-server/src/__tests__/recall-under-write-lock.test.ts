import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { useHttpTestServer } from './helpers/http-test-server';

// Another process holding the SQLite file's write lock no longer freezes the server for its 5 s busy
// timeout: recall_context reads without the lock and holds its access count until the lock is free,
// and the health and readiness probes answer at once. Real HTTP, a real second process.

const HOLDER = join(__dirname, 'fixtures', 'hold-write-lock.js');
const test = useHttpTestServer('recall-under-write-lock');
let holder: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (holder?.exitCode === null) holder.kill();
});

/** Starts a process that holds the write lock of the server's file; resolves once it holds it. */
function holdWriteLock(): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, [HOLDER, test.deps.config.dbPath]);
  holder = child;
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('locked\n')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${String(code)}`)));
  });
}

async function recall(topic: string): Promise<{ access_count: number; elapsedMs: number }> {
  const started = Date.now();
  const response = await fetch(`${test.server.url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'recall_context', arguments: { topic } },
    }),
  });
  const { result } = (await response.json()) as { result: { content: [{ text: string }] } };
  const body = JSON.parse(result.content[0].text) as { access_count: number };
  return { access_count: body.access_count, elapsedMs: Date.now() - started };
}

function storedAccessCount(topic: string): number {
  const db = new BetterSqlite3(test.deps.config.dbPath, { readonly: true });
  try {
    return db.prepare('SELECT access_count FROM contexts WHERE topic = ?').pluck().get(topic) as number;
  } finally {
    db.close();
  }
}

it('recall_context, /healthz and /readyz answer at once while another process holds the write lock; counts are written after', async () => {
  await test.deps.store.lock({ topic: 'orders/C1', content: 'a note about C1' });
  expect((await recall('orders/C1')).access_count).toBe(1);
  const child = await holdWriteLock();

  const first = await recall('orders/C1');
  const second = await recall('orders/C1');
  const started = Date.now();
  expect((await fetch(`${test.server.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${test.server.url}/readyz`)).status).toBe(200);
  const healthMs = Date.now() - started;
  // The busy timeout is 5 s; these used to wait for all of it. Generous bounds, no tight timing.
  expect(first.elapsedMs).toBeLessThan(2500);
  expect(second.elapsedMs).toBeLessThan(2500);
  expect(healthMs).toBeLessThan(2500);
  // The counts include each call, though they are not written yet.
  expect([first.access_count, second.access_count]).toEqual([2, 3]);
  expect(storedAccessCount('orders/C1')).toBe(1);

  const released = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end('go\n');
  await released;
  // The held counts are written on the next try (within a second or so).
  const deadline = Date.now() + 10_000;
  while (storedAccessCount('orders/C1') !== 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(storedAccessCount('orders/C1')).toBe(3);
  expect((await recall('orders/C1')).access_count).toBe(4);
  expect(storedAccessCount('orders/C1')).toBe(4);
});
