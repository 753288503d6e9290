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
/** The environment of every child: without a token of the developer's, unless a test gives one. */
const ENV: NodeJS.ProcessEnv = { ...process.env, STOMPY_MEMORY_TOKEN: undefined, STOMPY_TOKEN: undefined };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stompy-memory-cli-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

/** Starts `stompy-memory serve` and resolves with its base URL once it listens. */
function serve(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<Served> {
  const child = spawn(process.execPath, [STOMPY_MEMORY_BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.push(child);
  let out = '';
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child, output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)}: ${out}`)));
  });
}

async function client(url: string, token?: string): Promise<Client> {
  const c = new Client({ name: 'cli-test', version: '0' });
  const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
  await c.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit }));
  return c;
}

/** Sends SIGTERM and resolves with the exit code. */
function terminate(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

function run(...args: string[]) {
  return spawnSync(process.execPath, [STOMPY_MEMORY_BIN, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: ENV,
  });
}

it('serve answers every tool to a plain MCP client and exits 0 on SIGTERM, even with an SSE stream open', async () => {
  const db = join(dir, 'serve.db');
  const { url, child } = await serve(['--db', db]);
  const c = await client(url);
  const { tools } = await c.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([
    'context_dashboard',
    'context_explore',
    'context_search',
    'context_search_batch',
    'lock_context',
    'lock_context_batch',
    'outcome_insights',
    'recall_batch',
    'recall_context',
    'unlock_context',
  ]);
  const calls: [string, Record<string, unknown>][] = [
    ['lock_context', { topic: 'cli/topic', content: 'GatewayTimeout for customer C9', tags: 'customer:C9' }],
    ['recall_context', { topic: 'cli/topic' }],
    ['recall_batch', { topics: ['cli/topic'] }],
    ['context_search', { query: 'GatewayTimeout' }],
    ['context_search_batch', { searches: [{ query: 'GatewayTimeout' }] }],
    ['context_explore', {}],
    ['context_dashboard', {}],
    ['lock_context_batch', { contexts: [{ topic: 'cli/other', content: 'x' }] }],
    ['outcome_insights', { keys: ['customer:C9'] }],
    ['unlock_context', { topic: 'cli/other' }],
  ];
  for (const [name, args] of calls) {
    const result = await c.callTool({ name, arguments: args });
    expect(result.isError).toBeFalsy();
  }
  await c.close();
  const sse = await fetch(`${url}/sse`);
  expect(sse.status).toBe(200);
  const reader: ReadableStreamDefaultReader<Uint8Array> = sse.body!.getReader();
  expect(Buffer.from((await reader.read()).value!).toString()).toMatch(/^event: endpoint/);
  expect(await terminate(child)).toBe(0);
  await reader.cancel().catch(() => undefined);

  const inspect = run('inspect', '--db', db, '--search', 'GatewayTimeout C9');
  expect(inspect.status).toBe(0);
  expect(inspect.stdout).toContain('cli/topic');
  const topic = run('inspect', '--db', db, '--topic', 'cli/topic', '--json');
  expect(JSON.parse(topic.stdout)).toMatchObject({
    topic: 'cli/topic',
    content: 'GatewayTimeout for customer C9',
    tags: ['customer:C9'],
  });
  const search = run('inspect', '--db', db, '--search', 'GatewayTimeout', '--tags', 'customer:C9', '--json');
  expect(JSON.parse(search.stdout)).toMatchObject({
    results: [{ topic: 'cli/topic', content: 'GatewayTimeout for customer C9' }],
    total_found: 1,
  });
  expect(run('inspect', '--db', db).stdout).toMatch(/1 topics in project default/);
});

it('emulates hosted Stompy with --profile hosted: its seven tools, and HTTP 429 over the rate limit', async () => {
  const served = await serve([
    '--db',
    join(dir, 'hosted.db'),
    '--profile',
    'hosted',
    '--rate-per-minute',
    '3',
  ]);
  expect(served.output()).toMatch(/hosted plan free: 3 calls\/min \+ 3 per 10 s per token, no extra tools/);
  const bare = (method: string, params: object) =>
    fetch(`${served.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
  const listed = (await (await bare('tools/list', {})).json()) as { result: { tools: { name: string }[] } };
  expect(listed.result.tools.map((t) => t.name)).not.toContain('lock_context_batch');
  expect((await bare('tools/call', { name: 'context_dashboard', arguments: {} })).status).toBe(200);
  expect((await bare('tools/call', { name: 'context_dashboard', arguments: {} })).status).toBe(200);
  const refused = await bare('tools/call', { name: 'context_dashboard', arguments: {} });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(await refused.json()).toMatchObject({ status_code: 429, error: 'rate_limit_exceeded', limit: 3 });
});

it('serve takes its token from STOMPY_MEMORY_TOKEN, requires it on every call, and never prints it', async () => {
  const token = 'env-token-4be1c9';
  const served = await serve(['--db', join(dir, 'token.db')], { ...ENV, STOMPY_MEMORY_TOKEN: token });
  expect((await fetch(`${served.url}/mcp`, { method: 'POST', body: '{}' })).status).toBe(401);
  await expect(client(served.url)).rejects.toThrow(/unauthorized/);
  const c = await client(served.url, token);
  expect((await c.callTool({ name: 'context_dashboard', arguments: {} })).isError).toBeFalsy();
  await c.close();
  expect(await terminate(served.child)).toBe(0);
  expect(served.output()).toMatch(/listening on/);
  expect(served.output()).not.toContain(token);
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

it('two server processes write one SQLite file concurrently: unique contiguous versions, seen by both', async () => {
  const db = join(dir, 'shared.db');
  const servers = await Promise.all([serve(['--db', db]), serve(['--db', db])]);
  const clients = await Promise.all(servers.map(({ url }) => client(url)));
  const reported: string[] = [];
  // 100 calls per server over 3 topics, from two concurrent lanes per server (checked by hand: the
  // servers' versions interleave within each topic).
  const lane = async (c: Client, who: string) => {
    for (let i = 0; i < 50; i++) {
      const result = await c.callTool({
        name: 'lock_context',
        arguments: { topic: `shared/${i % 3}`, content: `${who} wrote note ${i}` },
      });
      expect(result.isError).toBeFalsy();
      const { topic, version } = result.structuredContent as { topic: string; version: string };
      reported.push(`${topic}@${version}`);
    }
  };
  await Promise.all(clients.flatMap((c, s) => [lane(c, `server${s}-a`), lane(c, `server${s}-b`)]));
  // 200 writes: 68, 68 and 64 per topic; each version issued once, whichever server wrote it.
  expect(new Set(reported).size).toBe(200);
  for (const c of clients) {
    for (let t = 0; t < 3; t++) {
      const recalled = (await c.callTool({ name: 'recall_context', arguments: { topic: `shared/${t}` } }))
        .structuredContent as { versions: string[] };
      const count = t === 2 ? 64 : 68;
      expect(recalled.versions).toEqual(Array.from({ length: count }, (_, i) => `1.${i}`));
    }
  }
  expect([...reported].sort()).toEqual(
    [0, 1, 2]
      .flatMap((t) => Array.from({ length: t === 2 ? 64 : 68 }, (_, i) => `shared/${t}@1.${i}`))
      .sort(),
  );
  await Promise.all(clients.map((c) => c.close()));
});
