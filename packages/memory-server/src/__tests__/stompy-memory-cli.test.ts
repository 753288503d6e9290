import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';

// The `stompy-memory` command as a user runs it: serve (answered by a plain MCP client), the hosted
// profile, inspect, bad flags, and two server processes sharing one SQLite file.

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stompy-memory-cli-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `stompy-memory serve` and resolves with its base URL once it listens. */
function serve(...args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [STOMPY_MEMORY_BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)}: ${out}`)));
  });
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: 'cli-test', version: '0' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return c;
}

function run(...args: string[]) {
  return spawnSync(process.execPath, [STOMPY_MEMORY_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
}

it('serve answers every tool to a plain MCP client and exits 0 on SIGTERM', async () => {
  const db = join(dir, 'serve.db');
  const { url, child } = await serve('--db', db);
  const c = await client(url);
  const { tools } = await c.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([
    'context_dashboard',
    'context_explore',
    'context_search',
    'lock_context',
    'lock_context_batch',
    'recall_batch',
    'recall_context',
    'unlock_context',
  ]);
  const calls: [string, Record<string, unknown>][] = [
    ['lock_context', { topic: 'cli/topic', content: 'GatewayTimeout for customer C9', tags: 'customer:C9' }],
    ['recall_context', { topic: 'cli/topic' }],
    ['recall_batch', { topics: ['cli/topic'] }],
    ['context_search', { query: 'GatewayTimeout' }],
    ['context_explore', {}],
    ['context_dashboard', {}],
    ['lock_context_batch', { contexts: [{ topic: 'cli/other', content: 'x' }] }],
    ['unlock_context', { topic: 'cli/other' }],
  ];
  for (const [name, args] of calls) {
    const result = await c.callTool({ name, arguments: args });
    expect(result.isError).toBeFalsy();
  }
  await c.close();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);

  const inspect = run('inspect', '--db', db, '--search', 'GatewayTimeout C9');
  expect(inspect.status).toBe(0);
  expect(inspect.stdout).toContain('cli/topic');
  const topic = run('inspect', '--db', db, '--topic', 'cli/topic', '--json');
  expect(JSON.parse(topic.stdout)).toMatchObject({
    topic: 'cli/topic',
    content: 'GatewayTimeout for customer C9',
  });
  expect(run('inspect', '--db', db).stdout).toMatch(/1 topics in project default/);
});

it('emulates hosted Stompy’s rate limit with --profile hosted', async () => {
  const { url } = await serve('--db', join(dir, 'hosted.db'), '--profile', 'hosted', '--rate-limit', '3');
  const c = await client(url);
  const results = [];
  for (let i = 0; i < 4; i++) results.push(await c.callTool({ name: 'context_dashboard', arguments: {} }));
  expect(results.map((r) => r.isError === true)).toEqual([false, false, false, true]);
  expect(JSON.stringify(results[3]?.content)).toContain('rate_limit_exceeded');
  await c.close();
});

it('refuses bad flags and an unprotected public bind with a clear message and a non-zero exit', () => {
  const port = run('serve', '--port', 'abc');
  expect(port.status).not.toBe(0);
  expect(port.stderr).toMatch(/a port is 0-65535/);
  const profile = run('serve', '--profile', 'cloud');
  expect(profile.status).not.toBe(0);
  expect(profile.stderr).toMatch(/Allowed choices are local, hosted/);
  const bind = run('serve', '--host', '0.0.0.0', '--port', '0', '--db', join(dir, 'public.db'));
  expect(bind.status).not.toBe(0);
  expect(bind.stderr).toMatch(/refusing to bind 0\.0\.0\.0 without a bearer token/);
});

it('two server processes write one SQLite file without duplicate versions', async () => {
  const db = join(dir, 'shared.db');
  const [a, b] = await Promise.all([serve('--db', db), serve('--db', db)]);
  const [ca, cb] = await Promise.all([client(a.url), client(b.url)]);
  const write = async (c: Client, who: string) => {
    for (let i = 0; i < 60; i++) {
      const result = await c.callTool({
        name: 'lock_context',
        arguments: { topic: `shared/${i % 3}`, content: `${who} wrote note ${i}` },
      });
      expect(result.isError).toBeFalsy();
    }
  };
  await Promise.all([write(ca, 'a'), write(cb, 'b')]);
  for (let t = 0; t < 3; t++) {
    const recalled = (await cb.callTool({ name: 'recall_context', arguments: { topic: `shared/${t}` } }))
      .structuredContent as {
      versions: string[];
    };
    // 40 writes per topic across both servers: versions 1.0 ... 1.39, each once, seen from either server.
    expect(recalled.versions).toEqual(Array.from({ length: 40 }, (_, i) => `1.${i}`));
  }
  await Promise.all([ca.close(), cb.close()]);
});
